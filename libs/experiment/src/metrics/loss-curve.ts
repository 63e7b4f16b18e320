/**
 * Metrics read off a loss history. `history[i]` is the loss after the i-th evaluation (an
 * epoch, or a step for function tasks and step-based training), as the tutorial records it.
 */

/**
 * The tutorial's "epochs to converge" (its `convergence_speed`):
 * `len([l for l in loss_history if l <= 1.1 * min(loss_history)])` — how many entries of the
 * history lie within 10 % of the best loss. It counts entries, not the first index, and it is
 * only meaningful for positive losses (for a negative minimum, 1.1·min is below the minimum and
 * the count is 0); OptLab keeps the tutorial's definition and reports steps-to-target beside it.
 */
export function epochsToConverge(history: readonly number[]): number {
  let min = Infinity;
  for (const l of history) if (l < min) min = l;
  const bound = 1.1 * min;
  let count = 0;
  for (const l of history) if (l <= bound) count++;
  return count;
}

/** The smallest loss and where it happened (first occurrence), or null for an empty history. */
export function bestOf(history: readonly number[]): { loss: number; index: number } | null {
  let best: { loss: number; index: number } | null = null;
  history.forEach((loss, index) => {
    if (best === null || loss < best.loss) best = { loss, index };
  });
  return best;
}

/** A point of a run where the loss was evaluated. */
export interface LossPoint {
  readonly step: number;
  readonly epoch: number | null;
  readonly elapsedMs: number;
  readonly loss: number;
}

/** When a run first reached its target loss. */
export interface TargetHit {
  readonly step: number;
  readonly epoch: number | null;
  readonly elapsedMs: number;
}

/**
 * Time-to-target: the first evaluated point whose loss is ≤ `target`, or null when no point is
 * (the run never got there, or there is no target). Only evaluated points count, so with
 * `evalEvery: 10` the answer is accurate to 10 epochs; the spec's evaluation interval says so.
 */
export function timeToTarget(
  points: readonly LossPoint[],
  target: number | undefined,
): TargetHit | null {
  if (target === undefined) return null;
  for (const p of points) {
    if (p.loss <= target) return { step: p.step, epoch: p.epoch, elapsedMs: p.elapsedMs };
  }
  return null;
}
