import { formatSweepNumber } from '../sweep/names.js';

/**
 * A chosen configuration whose value of a numeric swept option is the lowest or highest value
 * its run tried. Its optimum may lie outside the search space, and a wider space can reorder the
 * leaderboard (Choi et al. 2019, "On Empirical Comparisons of Optimizers": rankings follow the
 * search spaces). The reader is told, per run and option, so the budget can be widened before
 * the ranking is read as a verdict.
 */
export interface GridEdge {
  /** The swept option, as the sweep names it (`optimizer.lr`). */
  readonly path: string;
  /** The chosen value. */
  readonly value: number;
  /** Which end of the tried values it is. */
  readonly side: 'lowest' | 'highest';
  /** The lowest and highest values the run tried for this option. */
  readonly tried: readonly [number, number];
}

interface EdgeInput {
  readonly paths: readonly string[];
  readonly configurations: readonly { readonly values: Readonly<Record<string, unknown>> }[];
  readonly bestValues: Readonly<Record<string, unknown>>;
  /** False when no configuration has a score (all diverged): nothing was chosen on merit. */
  readonly chosenOnMerit: boolean;
}

/**
 * The swept options whose chosen value lies at an end of what was tried. Only numeric options
 * with at least three distinct values count: with two there is no inside to the grid, and an
 * option's non-numeric values (activation names) have no order.
 */
export function gridEdges(group: EdgeInput): GridEdge[] {
  if (!group.chosenOnMerit) return [];
  const edges: GridEdge[] = [];
  for (const path of group.paths) {
    const chosen = group.bestValues[path];
    const values = group.configurations.map((c) => c.values[path]);
    if (typeof chosen !== 'number' || !values.every((v): v is number => typeof v === 'number')) {
      continue;
    }
    if (new Set(values).size < 3) continue;
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const side = chosen === lo ? 'lowest' : chosen === hi ? 'highest' : null;
    if (side) edges.push({ path, value: chosen, side, tried: [lo, hi] });
  }
  return edges;
}

/**
 * The sentence the CLI prints and the lab shows for one edge:
 * "Momentum: the chosen optimizer.lr = 1 is the highest value tried (1e-4 … 1); its optimum may
 * lie above the grid — widen it before reading the ranking".
 */
export function gridEdgeText(run: string, edge: GridEdge): string {
  const [lo, hi] = edge.tried.map((v) => formatSweepNumber(v));
  const beyond = edge.side === 'lowest' ? 'below' : 'above';
  return `${run}: the chosen ${edge.path} = ${formatSweepNumber(edge.value)} is the ${edge.side} value tried (${lo} … ${hi}); its optimum may lie ${beyond} the grid — widen it before reading the ranking`;
}
