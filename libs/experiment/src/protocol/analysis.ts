import { quantileSorted, spreadOf, type Spread } from '../metrics/spread.js';
import type { RunMetrics } from '../runner/events.js';
import type { ReportMetric, SelectMetric } from '../spec/schema.js';
import { compareGroups, type GroupComparison } from '../stats/compare.js';
import { divergedAsWorst, worstValue, type Direction } from '../stats/diverged.js';
import { summarizeGroup, type GroupSummary } from '../stats/summary.js';
import { verdict, type Verdict } from '../stats/verdict.js';
import type { ConfigurationGroup, Expansion } from '../sweep/expand.js';
import { gridEdges, type GridEdge } from './grid-edges.js';
import type { ResolvedProtocol } from './resolve.js';

/**
 * What a comparison concludes, from the runs' final metrics: per configuration, the selection
 * score and the statistics over its seeds; per run (group), its tuning budget, the configuration
 * chosen and the statistics of the reported runs; per pair of runs, the rank test, the bootstrap
 * interval of the difference of medians and a plain verdict. Pure: the same metrics give the
 * same analysis (the bootstrap is seeded).
 *
 * Diverged runs: every metric of a diverged run counts as diverged (NaN) — summaries count them
 * beside the statistics of the runs that finished, comparisons and selection rank them worst.
 * JSON has no infinity: an unbounded end or a diverged median is written as null.
 */
export interface ComparisonAnalysis {
  readonly protocol: ResolvedProtocol;
  /** One per spec run, in the spec's order. */
  readonly groups: readonly GroupAnalysis[];
  /** Groups by their reported median, best first. */
  readonly leaderboard: readonly string[];
  readonly comparisons: readonly PairComparison[];
}

/** Metrics summarised over seeds (those a task reports; the others are left out). */
export const SUMMARIZED_METRICS = [
  'finalLoss',
  'bestLoss',
  'trainAccuracy',
  'validationLoss',
  'validationAccuracy',
  'testLoss',
  'testAccuracy',
] as const;
export type SummarizedMetric = (typeof SUMMARIZED_METRICS)[number];

export interface ConfigurationAnalysis {
  readonly name: string;
  /** The swept values, by path. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Seeds it trained on in the tuning phase (single-phase: all its seeds). */
  readonly seeds: readonly number[];
  /** The selection metric reduced over those seeds (median); null when every seed diverged. */
  readonly score: number | null;
  readonly diverged: number;
  readonly selected: boolean;
  readonly stats: Partial<Record<SummarizedMetric, GroupSummary>>;
}

export interface GroupAnalysis {
  readonly name: string;
  readonly optimizer: string;
  /** Configurations tried: the tuning budget. */
  readonly budget: number;
  readonly paths: readonly string[];
  readonly configurations: readonly ConfigurationAnalysis[];
  /** The chosen configuration's name. */
  readonly best: string;
  readonly bestValues: Readonly<Record<string, unknown>>;
  /**
   * Swept options whose chosen value is the lowest or highest tried: the optimum may lie outside
   * the search space (empty when every choice is inside it).
   */
  readonly edges: readonly GridEdge[];
  /** The runs reported: the reruns, or the tuning runs of the best configuration. */
  readonly reported: {
    readonly phase: 'rerun' | 'tune';
    readonly seeds: readonly number[];
    readonly stats: Partial<Record<SummarizedMetric, GroupSummary>>;
    /** Steps and ms to the target loss over the seeds that reached it. */
    readonly targetStep: Spread | null;
    readonly targetMs: Spread | null;
    readonly reachedTarget: number;
  };
}

export interface PairComparison {
  readonly a: string;
  readonly b: string;
  readonly metric: ReportMetric;
  readonly comparison: GroupComparison;
  readonly verdict: Verdict;
}

/** The summarized statistic a reported metric is read from (its group's `stats` key). */
export const REPORTED_STAT: Readonly<Record<ReportMetric, SummarizedMetric>> = {
  'test-accuracy': 'testAccuracy',
  'test-loss': 'testLoss',
  'final-loss': 'finalLoss',
};

/** The RunMetrics field a selection or report metric reads; diverged runs give NaN. */
export function metricValue(
  m: RunMetrics,
  metric: SelectMetric | ReportMetric | SummarizedMetric,
  reduce: 'final' | 'best' = 'final',
): number {
  if (m.status === 'diverged') return NaN;
  const field = fieldOf(metric, reduce);
  const v = m[field];
  return typeof v === 'number' ? v : NaN;
}

function fieldOf(
  metric: SelectMetric | ReportMetric | SummarizedMetric,
  reduce: 'final' | 'best',
): keyof RunMetrics {
  const best = reduce === 'best';
  switch (metric) {
    case 'final-loss':
      return best ? 'bestLoss' : 'finalLoss';
    case 'validation-loss':
      return best ? 'bestValidationLoss' : 'validationLoss';
    case 'validation-accuracy':
      return best ? 'bestValidationAccuracy' : 'validationAccuracy';
    case 'test-loss':
      return 'testLoss';
    case 'test-accuracy':
      return 'testAccuracy';
    default:
      return metric;
  }
}

export function directionOf(metric: string): Direction {
  return /accuracy/i.test(metric) ? 'higher' : 'lower';
}

/** Metric names as a reader sees them: "test accuracy", "final loss". */
export function metricWords(metric: string): string {
  return metric.replace(/-/g, ' ');
}

/**
 * The score of one configuration: the median over its seeds of the selection metric, diverged
 * seeds counted as the worst value (so half or more diverged gives ±∞, and null in JSON).
 */
export function selectionScore(runs: readonly RunMetrics[], protocol: ResolvedProtocol): number {
  const { metric, reduce } = protocol.select;
  return medianWithWorst(
    runs.map((m) => metricValue(m, metric, reduce)),
    directionOf(metric),
  );
}

/** The median with diverged values (NaN, ±∞) as the worst value, as comparisons rank groups. */
function medianWithWorst(values: readonly number[], direction: Direction): number {
  if (values.length === 0) return worstValue(direction);
  return quantileSorted(Float64Array.from(divergedAsWorst(values, direction)).sort(), 0.5);
}

/** Index of the best score (first of equals); every score the worst value picks the first. */
export function bestIndex(scores: readonly number[], direction: Direction): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) {
    if (direction === 'lower' ? scores[i] < scores[best] : scores[i] > scores[best]) best = i;
  }
  return best;
}

/** Summaries of every metric the runs report (a metric null for every run is left out). */
export function summarizeMetrics(
  runs: readonly RunMetrics[],
  protocol: ResolvedProtocol,
): Partial<Record<SummarizedMetric, GroupSummary>> {
  const out: Partial<Record<SummarizedMetric, GroupSummary>> = {};
  for (const metric of SUMMARIZED_METRICS) {
    if (runs.every((m) => m[metric] === null)) continue;
    out[metric] = summarizeGroup(
      runs.map((m) => metricValue(m, metric)),
      protocol.bootstrap,
    );
  }
  return out;
}

/** The runs of one configuration name, in order. */
function runsOf(metrics: readonly RunMetrics[], name: string): RunMetrics[] {
  return metrics.filter((m) => m.run === name);
}

/**
 * The choice of each group's best configuration from the tuning runs (also what the
 * orchestrator reruns).
 */
export function selectBest(
  group: ConfigurationGroup,
  tuneMetrics: readonly RunMetrics[],
  protocol: ResolvedProtocol,
): { index: number; scores: number[] } {
  const scores = group.configurations.map((c) =>
    selectionScore(runsOf(tuneMetrics, c.name), protocol),
  );
  return { index: bestIndex(scores, directionOf(protocol.select.metric)), scores };
}

export function analyzeComparison(
  expansion: Expansion,
  protocol: ResolvedProtocol,
  tuneMetrics: readonly RunMetrics[],
  rerunMetrics: readonly RunMetrics[],
): ComparisonAnalysis {
  const groups: GroupAnalysis[] = expansion.groups.map((group) => {
    const { index, scores } = selectBest(group, tuneMetrics, protocol);
    const best = group.configurations[index];
    const configurations = group.configurations.map((c, i) => {
      const runs = runsOf(tuneMetrics, c.name);
      return {
        name: c.name,
        values: c.values,
        seeds: runs.map((m) => m.seed),
        score: Number.isFinite(scores[i]) ? scores[i] : null,
        diverged: runs.filter((m) => m.status === 'diverged').length,
        selected: i === index,
        stats: summarizeMetrics(runs, protocol),
      };
    });
    const reruns = runsOf(rerunMetrics, best.name);
    const reported = reruns.length > 0 ? reruns : runsOf(tuneMetrics, best.name);
    const hits = reported.flatMap((m) => (m.target ? [m.target] : []));
    return {
      name: group.name,
      optimizer: group.optimizer,
      budget: group.budget,
      paths: group.paths,
      configurations,
      best: best.name,
      bestValues: best.values,
      edges: gridEdges({
        paths: group.paths,
        configurations: group.configurations,
        bestValues: best.values,
        chosenOnMerit: Number.isFinite(scores[index]),
      }),
      reported: {
        phase: reruns.length > 0 ? 'rerun' : 'tune',
        seeds: reported.map((m) => m.seed),
        stats: summarizeMetrics(reported, protocol),
        targetStep: spreadOf(hits.map((t) => t.step)),
        targetMs: spreadOf(hits.map((t) => t.elapsedMs)),
        reachedTarget: hits.length,
      },
    };
  });
  const reportedValues = (g: GroupAnalysis) => {
    const runs = rerunMetrics.filter((m) => m.run === g.best);
    const source = runs.length > 0 ? runs : tuneMetrics.filter((m) => m.run === g.best);
    return source.map((m) => metricValue(m, protocol.report));
  };
  const direction = directionOf(protocol.report);
  const comparisons: PairComparison[] = [];
  for (let i = 0; i < groups.length; i++) {
    for (let j = i + 1; j < groups.length; j++) {
      const a = reportedValues(groups[i]);
      const b = reportedValues(groups[j]);
      if (a.length === 0 || b.length === 0) continue;
      const comparison = compareGroups(a, b, { direction, ...protocol.bootstrap });
      comparisons.push({
        a: groups[i].name,
        b: groups[j].name,
        metric: protocol.report,
        comparison,
        verdict: verdict({
          metric: metricWords(protocol.report),
          names: [groups[i].name, groups[j].name],
          comparison,
          alpha: protocol.alpha,
        }),
      });
    }
  }
  const order = groups
    .map((g, i) => ({ g, i, m: medianWithWorst(reportedValues(g), direction) }))
    .sort((x, y) => {
      const d = direction === 'lower' ? x.m - y.m : y.m - x.m;
      return d < 0 ? -1 : d > 0 ? 1 : x.i - y.i;
    })
    .map((x) => x.g.name);
  return { protocol, groups, leaderboard: order, comparisons };
}
