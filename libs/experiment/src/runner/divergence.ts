/**
 * When a run has diverged. A loss or a parameter that is NaN or ±Infinity has, obviously; so has
 * a loss above `DIVERGENCE_FACTOR` × max(|initial loss|, `DIVERGENCE_FLOOR`), which stops a run
 * that is blowing up long before float32 overflows (3.4e38) — a run whose loss grows to 2e37 is
 * not "done".
 *
 * Why these numbers: a run that is exploding grows geometrically and crosses a factor of a
 * million within a few tens of steps, while loss spikes of healthy training (warm-up,
 * edge-of-stability oscillation, a bad minibatch) stay within a few orders of magnitude of the
 * initial loss. The floor keeps the rule meaningful when training starts at, or very near, a
 * minimum (an initial loss of 0 or 1e-12 would otherwise flag noise); the absolute value, when
 * a test function is negative at its start.
 */
export const DIVERGENCE_FACTOR = 1e6;
export const DIVERGENCE_FLOOR = 1;

/** The largest loss a run may reach before it counts as diverged. */
export function divergenceLimit(initialLoss: number): number {
  return DIVERGENCE_FACTOR * Math.max(Math.abs(initialLoss), DIVERGENCE_FLOOR);
}

/**
 * Why `loss` (named `what`, e.g. "the training loss") means divergence, or null when it does
 * not. A non-finite initial loss gives an infinite (or NaN) limit: only non-finite losses count.
 */
export function lossDivergence(what: string, loss: number, limit: number): string | null {
  if (!Number.isFinite(loss)) return `${what} became ${loss}`;
  if (loss > limit) {
    return `${what} ${loss} exceeded ${limit} (${DIVERGENCE_FACTOR} × max(|initial loss|, ${DIVERGENCE_FLOOR}))`;
  }
  return null;
}

/** True when every value is finite (no NaN, no ±Infinity). */
export function allFinite(xs: ArrayLike<number>): boolean {
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) return false;
  return true;
}
