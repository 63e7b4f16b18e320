/**
 * The heatmap of a run that sweeps two numeric options (lr × momentum, lr × β₁): the selection
 * score of every configuration on the grid of the two options' values — where the run sweeps
 * more options, each cell shows its best configuration over them, as the sensitivity view does —
 * with the cells where every configuration diverged marked, and the chosen cell.
 */
import {
  directionOf,
  formatSweepNumber,
  metricWords,
  type ComparisonAnalysis,
  type GroupAnalysis,
} from '@optlab/experiment';
import { reducedWords } from './sensitivity.js';

export interface Heatmap {
  readonly run: string;
  readonly xPath: string;
  readonly yPath: string;
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  /** `cells[j][i]`: the score at (xs[i], ys[j]); null where untried or every configuration diverged. */
  readonly cells: readonly (readonly (number | null)[])[];
  /** `diverged[j][i]`: every configuration tried there diverged. */
  readonly diverged: readonly (readonly boolean[])[];
  /** The chosen configuration's cell. */
  readonly best: { readonly i: number; readonly j: number } | null;
  readonly metric: string;
  readonly lowerIsBetter: boolean;
}

/** The numeric swept paths of one run, in its sweep's order. */
export function numericPaths(group: GroupAnalysis): string[] {
  return group.paths.filter((p) =>
    group.configurations.every((c) => typeof c.values[p] === 'number'),
  );
}

/** Values as the names print them: one column per printed value. */
function axis(group: GroupAnalysis, path: string): number[] {
  const byKey = new Map<string, number>();
  for (const c of group.configurations) {
    const v = c.values[path] as number;
    if (!byKey.has(formatSweepNumber(v))) byKey.set(formatSweepNumber(v), v);
  }
  return [...byKey.values()].sort((a, b) => a - b);
}

/** One heatmap per run that sweeps two or more numeric options (its first two). */
export function heatmaps(analysis: ComparisonAnalysis): Heatmap[] {
  const { metric, reduce } = analysis.protocol.select;
  const lower = directionOf(metric) === 'lower';
  const words = reducedWords(metricWords(metric), reduce);
  return analysis.groups.flatMap((g): Heatmap[] => {
    const paths = numericPaths(g);
    if (paths.length < 2) return [];
    const [xPath, yPath] = paths;
    const xs = axis(g, xPath);
    const ys = axis(g, yPath);
    const key = (v: unknown) => formatSweepNumber(v as number);
    const xAt = new Map(xs.map((x, i) => [key(x), i]));
    const yAt = new Map(ys.map((y, j) => [key(y), j]));
    const cells = ys.map(() => xs.map((): number | null => null));
    const tried = ys.map(() => xs.map(() => false));
    let best: { i: number; j: number } | null = null;
    for (const c of g.configurations) {
      const i = xAt.get(key(c.values[xPath]))!;
      const j = yAt.get(key(c.values[yPath]))!;
      tried[j][i] = true;
      const old = cells[j][i];
      if (c.score !== null && (old === null || (lower ? c.score < old : c.score > old))) {
        cells[j][i] = c.score;
      }
      if (c.name === g.best) best = { i, j };
    }
    const diverged = cells.map((row, j) => row.map((v, i) => tried[j][i] && v === null));
    return [
      {
        run: g.name,
        xPath,
        yPath,
        xs,
        ys,
        cells,
        diverged,
        best,
        metric: words,
        lowerIsBetter: lower,
      },
    ];
  });
}
