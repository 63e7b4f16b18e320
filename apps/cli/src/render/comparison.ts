import Table from 'cli-table3';
import {
  divergedInSearch,
  expandSweeps,
  formatSweepNumber,
  gridEdgeText,
  verdictSummary,
  metricWords,
  REPORTED_STAT,
  resolveProtocol,
  trainingsOf,
  type ComparisonAnalysis,
  type ExperimentSpec,
  type ExperimentSummary,
  type GroupSummary,
} from '@optlab/experiment';
import { int, ms, num, pct } from './format.js';

/**
 * The comparison as text: the expansion of a spec's sweeps (`--dry-run`), and after a run the
 * leaderboard, the verdicts and the sensitivity tables (the lab draws the same from the same
 * summary).
 */

const plain = { head: [], border: [] };

/** What `optlab run --dry-run` prints: every configuration, each run's budget, the trainings. */
export function expansionText(spec: ExperimentSpec): string {
  const { groups, configurations } = expandSweeps(spec);
  const protocol = resolveProtocol(spec);
  const lines = [
    `${spec.name}: ${configurations.length} configuration${configurations.length === 1 ? '' : 's'}`,
  ];
  for (const g of groups) {
    lines.push(`  ${g.name} (${g.optimizer}): tuning budget ${g.budget}`);
    for (const c of g.configurations) lines.push(`    ${c.name}`);
  }
  lines.push(`protocol: ${protocol.text}`);
  lines.push(
    `trainings: ${trainingsOf(spec)} (configurations × seeds${spec.protocol ? ', plus the reruns' : ''})`,
  );
  return lines.join('\n') + '\n';
}

/** Whether a summary comes from a comparison worth a leaderboard (a sweep or a protocol). */
export function isComparison(spec: ExperimentSpec): boolean {
  return spec.protocol !== undefined || spec.runs.some((r) => r.sweep !== undefined);
}

/** A metric value as the tables show it: accuracies in %, losses with 4 digits. */
function metricText(metric: string): (v: number | null) => string {
  return /accuracy/.test(metric) ? (v) => pct(v) : (v) => num(v);
}

/** `median [low–high]` with the bootstrap CI of the median, or why there is none. */
function withCi(s: GroupSummary | undefined, f: (v: number | null) => string): string {
  if (!s || s.median === null) return 'diverged';
  const ci = s.medianCi ? ` [${f(s.medianCi.low)}–${f(s.medianCi.high)}]` : ' (1 seed: no CI)';
  const diverged = s.diverged > 0 ? `, ${s.diverged}/${s.n} diverged` : '';
  return `${f(s.median)}${ci}${diverged}`;
}

/** The leaderboard: runs by their reported median, best first. */
export function leaderboardTable(summary: ExperimentSummary): string {
  const a = summary.analysis!;
  const report = a.protocol.report;
  const f = metricText(report);
  const hasTarget = summary.targetLoss !== null;
  const head = [
    '#',
    'run',
    'best configuration',
    `${metricWords(report)} (median [95% CI])`,
    'seeds',
    'budget',
    ...(hasTarget ? [`steps to ${num(summary.targetLoss)}`, 'time to target'] : []),
  ];
  const t = new Table({ head, style: plain });
  a.leaderboard.forEach((name, i) => {
    const g = a.groups.find((x) => x.name === name)!;
    const r = g.reported;
    t.push([
      String(i + 1),
      g.name,
      g.budget > 1 ? g.best : '(as listed)',
      withCi(r.stats[REPORTED_STAT[report]], f),
      String(r.seeds.length),
      String(g.budget),
      ...(hasTarget
        ? [
            r.reachedTarget === 0
              ? 'not reached'
              : `${int(r.targetStep?.median)}${r.reachedTarget < r.seeds.length ? ` (${r.reachedTarget}/${r.seeds.length})` : ''}`,
            ms(r.targetMs?.median),
          ]
        : []),
    ]);
  });
  return t.toString() + '\n';
}

/** Runs whose choice lies at an end of their search space (`GroupAnalysis.edges`). */
export function edgeLines(analysis: ComparisonAnalysis): string {
  const lines = analysis.groups.flatMap((g) => g.edges.map((e) => `  ${gridEdgeText(g.name, e)}`));
  return lines.length === 0
    ? ''
    : `search space (Choi et al. 2019: rankings follow the search space):\n${lines.join('\n')}\n`;
}

/**
 * Tuning configurations that diverged: part of the search (a learning rate found too high), shown
 * in the sensitivity table, and not a failed result, so the exit status stays 0 for them.
 */
export function searchDivergenceLine(summary: ExperimentSummary): string {
  const names = [...new Set(divergedInSearch(summary).map((m) => m.run))];
  if (names.length === 0) return '';
  const shown = names.length <= 6 ? names.join(', ') : `${names.slice(0, 6).join(', ')}, …`;
  return `diverged while tuning: ${names.length} configuration${names.length === 1 ? '' : 's'} (${shown}) — part of the search, marked in the sensitivity table; not a reported result\n`;
}

export function verdictLines(analysis: ComparisonAnalysis): string {
  if (analysis.comparisons.length === 0) return '';
  const lines = analysis.comparisons.map((c) => `  ${c.verdict.text}`);
  return `verdicts (${metricWords(analysis.protocol.report)}, Mann–Whitney U, α = ${analysis.protocol.alpha}):\n${verdictSummary(analysis)}\n${lines.join('\n')}\n`;
}

/**
 * One table per swept path: its values down, the runs across, each cell the selection score
 * (the best over the other swept paths at that value), `*` on the configuration chosen, and
 * "diverged" where every configuration at that value diverged.
 */
export function sensitivityTables(analysis: ComparisonAnalysis): string {
  const paths = [...new Set(analysis.groups.flatMap((g) => g.paths))];
  if (paths.length === 0) return '';
  const select = analysis.protocol.select;
  const metric = `${select.reduce === 'best' ? 'best' : 'final'} ${metricWords(select.metric)}`;
  const f = metricText(select.metric);
  const lower = !/accuracy/.test(select.metric);
  const parts: string[] = [];
  for (const path of paths) {
    const groups = analysis.groups.filter((g) => g.paths.includes(path));
    // Rows by the value as printed: two grids' 0.0215 (10^(-5/3) reached from different ends,
    // differing in the last bits) share a row rather than showing twice.
    const shown = (v: unknown) =>
      typeof v === 'number' ? formatSweepNumber(v) : typeof v === 'string' ? v : JSON.stringify(v);
    const rows = new Map<string, number>();
    for (const g of groups) {
      for (const c of g.configurations) {
        const v = c.values[path];
        const key = shown(v);
        if (!rows.has(key)) rows.set(key, typeof v === 'number' ? v : rows.size);
      }
    }
    const keys = [...rows.entries()].sort((x, y) => x[1] - y[1]).map(([k]) => k);
    const t = new Table({ head: [path, ...groups.map((g) => g.name)], style: plain });
    for (const key of keys) {
      t.push([
        key,
        ...groups.map((g) => {
          const at = g.configurations.filter((c) => shown(c.values[path]) === key);
          if (at.length === 0) return '';
          const scored = at.filter((c) => c.score !== null);
          if (scored.length === 0) return 'diverged';
          const best = scored.reduce((p, c) =>
            lower ? (c.score! < p.score! ? c : p) : c.score! > p.score! ? c : p,
          );
          return `${f(best.score)}${at.some((c) => c.selected) ? ' *' : ''}`;
        }),
      ]);
    }
    parts.push(`sensitivity: ${metric} against ${path} (* chosen)\n${t.toString()}`);
  }
  return parts.join('\n') + '\n';
}

/** Leaderboard, verdicts and sensitivity, with the protocol and the budgets stated. */
export function comparisonText(summary: ExperimentSummary): string {
  const a = summary.analysis;
  if (!a) return '';
  const budgets = a.groups.map((g) => `${g.name} ${g.budget}`).join(', ');
  return (
    [
      `protocol: ${a.protocol.text}`,
      `tuning budget (configurations per run): ${budgets}`,
      leaderboardTable(summary).trimEnd(),
      edgeLines(a).trimEnd(),
      searchDivergenceLine(summary).trimEnd(),
      verdictLines(a).trimEnd(),
      sensitivityTables(a).trimEnd(),
    ]
      .filter((s) => s.length > 0)
      .join('\n') + '\n'
  );
}
