/**
 * How the statistics treat a diverged run (its metric NaN or ±∞, as the runner reports a run
 * that blew up).
 *
 * - A group summary describes the runs that finished and counts the diverged ones beside them:
 *   one +∞ would make the mean and the standard deviation meaningless.
 * - A comparison counts a diverged run as the worst possible value (+∞ when lower is better,
 *   −∞ when higher is better), so an optimizer that diverges ranks worse, and two diverged runs
 *   tie with each other.
 */

/** Which way a metric improves: a loss is `'lower'` (lower is better), an accuracy `'higher'`. */
export type Direction = 'lower' | 'higher';

/** Whether a metric value is a diverged run's: NaN or ±∞. */
export function isDiverged(value: number): boolean {
  return !Number.isFinite(value);
}

/** The finite values, in their order, and how many values were diverged. */
export function splitDiverged(values: readonly number[]): { finite: number[]; diverged: number } {
  const finite = values.filter((v) => !isDiverged(v));
  return { finite, diverged: values.length - finite.length };
}

/** The worst possible value of a metric: +∞ when lower is better, −∞ when higher is better. */
export function worstValue(direction: Direction): number {
  return direction === 'lower' ? Infinity : -Infinity;
}

/** The values with every diverged one replaced by the metric's worst value. */
export function divergedAsWorst(values: readonly number[], direction: Direction): number[] {
  const worst = worstValue(direction);
  return values.map((v) => (isDiverged(v) ? worst : v));
}
