/**
 * The configurations table of a sweep: every configuration a run tried, best first by the
 * selection score (the median over its tuning seeds that `runComparison` chose by), diverged ones
 * last, with its swept values and how many of its seeds diverged. A run that sweeps has as many
 * rows as its tuning budget (up to the spec's limit of 5,000 trainings), so the view windows them
 * (row-window.ts).
 */
import {
  directionOf,
  formatSweepNumber,
  metricWords,
  type ComparisonAnalysis,
  type GroupAnalysis,
} from '@optlab/experiment';
import { numberText } from './leaderboard.js';
import { reducedWords } from './sensitivity.js';

export interface ConfigurationRow {
  readonly rank: number;
  readonly name: string;
  /** The swept values as the names print them, one per `paths` entry. */
  readonly values: readonly string[];
  /** The selection score, or "diverged" where every seed (or the median) diverged. */
  readonly score: string;
  /** `2/5` seeds diverged; empty when none did. */
  readonly diverged: string;
  readonly chosen: boolean;
}

export interface ConfigurationTable {
  readonly run: string;
  readonly paths: readonly string[];
  /** The selection metric in words: "final loss". */
  readonly metric: string;
  readonly rows: readonly ConfigurationRow[];
}

function valueText(v: unknown): string {
  return typeof v === 'number' ? formatSweepNumber(v) : JSON.stringify(v);
}

/** One table per run that sweeps (a run of one configuration has nothing to list). */
export function configurationTables(analysis: ComparisonAnalysis): ConfigurationTable[] {
  const { metric, reduce } = analysis.protocol.select;
  const lower = directionOf(metric) === 'lower';
  const words = reducedWords(metricWords(metric), reduce);
  return analysis.groups
    .filter((g) => g.configurations.length > 1)
    .map((g) => tableOf(g, words, lower, metric));
}

function tableOf(
  g: GroupAnalysis,
  words: string,
  lower: boolean,
  metric: string,
): ConfigurationTable {
  // Best first; unscored (diverged) last; ties keep the expansion's order.
  const order = g.configurations
    .map((c, i) => ({ c, i }))
    .sort((a, b) => {
      const x = a.c.score;
      const y = b.c.score;
      if (x === null || y === null) return x === y ? a.i - b.i : x === null ? 1 : -1;
      const d = lower ? x - y : y - x;
      return d !== 0 ? d : a.i - b.i;
    });
  return {
    run: g.name,
    paths: g.paths,
    metric: words,
    rows: order.map(({ c }, k) => ({
      rank: k + 1,
      name: c.name,
      values: g.paths.map((p) => valueText(c.values[p])),
      score: c.score === null ? 'diverged' : numberText(metric, c.score),
      diverged: c.diverged > 0 ? `${c.diverged}/${c.seeds.length}` : '',
      chosen: c.selected,
    })),
  };
}
