/**
 * The sensitivity view's data: for one swept option, the selection metric against the option's
 * values, one line per run (optimizer). Each point is the configuration's selection score (the
 * median over its tuning seeds, as `runComparison` chose by it) with the interquartile range of
 * the same metric over those seeds where the analysis summarises it. Where a run sweeps other
 * options too, each value shows its best configuration over them, as the CLI's sensitivity table
 * does. A value at which every configuration diverged is marked, not drawn.
 */
import {
  directionOf,
  formatSweepNumber,
  metricWords,
  type ComparisonAnalysis,
  type ConfigurationAnalysis,
  type SummarizedMetric,
} from '@optlab/experiment';

export interface SensitivityLine {
  readonly name: string;
  /** One entry per value of `xs`; null where the run did not try the value or it diverged. */
  readonly median: readonly (number | null)[];
  readonly q1: readonly (number | null)[];
  readonly q3: readonly (number | null)[];
  /** Values at which every configuration of the run diverged. */
  readonly diverged: readonly number[];
  /** The value of the chosen configuration; null when the run does not sweep this option. */
  readonly best: number | null;
}

export interface Sensitivity {
  readonly path: string;
  /** The metric, as words: "final validation loss". */
  readonly metric: string;
  readonly lowerIsBetter: boolean;
  /** Whether the band is the IQR over seeds (false: the analysis has no summary of this metric). */
  readonly band: boolean;
  readonly xs: readonly number[];
  readonly lines: readonly SensitivityLine[];
}

/** The numeric swept options of a comparison, in order of first appearance. */
export function sweptPaths(analysis: ComparisonAnalysis): string[] {
  const paths: string[] = [];
  for (const g of analysis.groups) {
    for (const p of g.paths) {
      const numeric = g.configurations.every((c) => typeof c.values[p] === 'number');
      if (numeric && !paths.includes(p)) paths.push(p);
    }
  }
  return paths;
}

/** The summary (over seeds) of the selection metric, where the analysis keeps one. */
function bandMetric(analysis: ComparisonAnalysis): SummarizedMetric | null {
  const { metric, reduce } = analysis.protocol.select;
  if (metric === 'final-loss') return reduce === 'best' ? 'bestLoss' : 'finalLoss';
  if (reduce === 'best') return null;
  const fields: Record<string, SummarizedMetric> = {
    'validation-loss': 'validationLoss',
    'validation-accuracy': 'validationAccuracy',
    'test-loss': 'testLoss',
    'test-accuracy': 'testAccuracy',
  };
  return fields[metric] ?? null;
}

export function sensitivity(analysis: ComparisonAnalysis, path: string): Sensitivity {
  const { metric, reduce } = analysis.protocol.select;
  const lower = directionOf(metric) === 'lower';
  const field = bandMetric(analysis);
  const groups = analysis.groups.filter((g) => g.paths.includes(path));
  // Values as printed: the same grid point reached from two grids shares one x.
  const byKey = new Map<string, number>();
  for (const g of groups) {
    for (const c of g.configurations) {
      const v = c.values[path];
      if (typeof v === 'number' && !byKey.has(formatSweepNumber(v))) {
        byKey.set(formatSweepNumber(v), v);
      }
    }
  }
  const xs = [...byKey.values()].sort((a, b) => a - b);
  const keys = xs.map((x) => formatSweepNumber(x));
  const better = (a: ConfigurationAnalysis, b: ConfigurationAnalysis) =>
    lower ? a.score! < b.score! : a.score! > b.score!;
  const lines = groups.map((g): SensitivityLine => {
    const median: (number | null)[] = [];
    const q1: (number | null)[] = [];
    const q3: (number | null)[] = [];
    const diverged: number[] = [];
    // The configurations at each printed value, in one pass: a random search of thousands has
    // as many values as configurations, and filtering them all per value was quadratic.
    const byValue = new Map<string, ConfigurationAnalysis[]>();
    for (const c of g.configurations) {
      const v = c.values[path];
      if (typeof v !== 'number') continue;
      const key = formatSweepNumber(v);
      const list = byValue.get(key);
      if (list) list.push(c);
      else byValue.set(key, [c]);
    }
    keys.forEach((key, i) => {
      const at = byValue.get(key) ?? [];
      const scored = at.filter((c) => c.score !== null);
      if (at.length > 0 && scored.length === 0) diverged.push(xs[i]);
      const best = scored.reduce<ConfigurationAnalysis | null>(
        (p, c) => (p === null || better(c, p) ? c : p),
        null,
      );
      const stats = best && field ? best.stats[field] : undefined;
      median.push(best ? best.score : null);
      q1.push(stats?.q1 ?? null);
      q3.push(stats?.q3 ?? null);
    });
    const chosen = g.bestValues[path];
    return {
      name: g.name,
      median,
      q1,
      q3,
      diverged,
      best: typeof chosen === 'number' ? chosen : null,
    };
  });
  return {
    path,
    metric: reducedWords(metricWords(metric), reduce),
    lowerIsBetter: lower,
    band: field !== null,
    xs,
    lines,
  };
}

/** "best validation loss", "final loss" (not "final final loss"). */
export function reducedWords(words: string, reduce: 'final' | 'best'): string {
  if (reduce === 'best') return `best ${words}`;
  return words.startsWith('final') ? words : `final ${words}`;
}
