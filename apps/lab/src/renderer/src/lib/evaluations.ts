/**
 * The function evaluations of closure optimizers on a 2-D test function, as the Paths view draws
 * them: LBFGS's line-search trials and the iterates it takes inside one update, SAM's perturbed
 * points. The runner reports every evaluation (`closure` events, asked for with
 * `RunnerOptions.closureEvaluations`); the accepted updates are the path itself (`step` events).
 */
import type { ClosureEvent } from '@optlab/experiment';

/** One evaluation as the lab keeps it: the update it belongs to and the point it was made at. */
export interface ClosurePoint {
  /** The update in progress (1-based): drawn once the path reaches this step. */
  readonly step: number;
  /** Order of the evaluation within the update (0 first). */
  readonly index: number;
  readonly loss: number;
  /** LBFGS only: `initial`, `step` (after a fixed step) or `lineSearch` (a strong-Wolfe trial). */
  readonly kind?: 'initial' | 'step' | 'lineSearch';
  /** LBFGS only: the step length along the search direction. */
  readonly t?: number;
  readonly position: readonly [number, number];
}

/**
 * How an evaluation is drawn: `trial` a line-search trial (accepted or not), `iterate` an LBFGS
 * iterate after a fixed step inside one update, `perturbed` SAM's ascent point w + ε(w).
 */
export type EvaluationMarker = 'trial' | 'iterate' | 'perturbed';

/** The evaluation of a `closure` event in the lab's terms; null without a 2-D point in full. */
export function closurePointOf(event: ClosureEvent): ClosurePoint | null {
  const params = event.params;
  // A sampled point (more than 64 coordinates) is not a position on the contour.
  if (!params || params.length !== 2 || event.paramsMode === 'sampled') return null;
  return {
    step: event.step,
    index: event.index,
    loss: event.loss,
    ...(event.kind !== undefined ? { kind: event.kind } : {}),
    ...(event.t !== undefined ? { t: event.t } : {}),
    position: [params[0], params[1]],
  };
}

/**
 * Which marker an evaluation gets, or null where it lies on the path already: LBFGS's `initial`
 * evaluation is the point the update starts from, and SAM's first evaluation (index 0) is at the
 * current weights; only its second, at the perturbed weights, leaves the path.
 */
export function markerOf(point: ClosurePoint): EvaluationMarker | null {
  switch (point.kind) {
    case 'lineSearch':
      return 'trial';
    case 'step':
      return 'iterate';
    case 'initial':
      return null;
    default:
      return point.index > 0 ? 'perturbed' : null;
  }
}

export interface DrawnEvaluation {
  readonly marker: EvaluationMarker;
  readonly position: readonly [number, number];
}

/** The evaluations to draw once the path has reached update `upToStep`, finite points only. */
export function evaluationMarkers(
  points: readonly ClosurePoint[],
  upToStep: number,
): DrawnEvaluation[] {
  const drawn: DrawnEvaluation[] = [];
  for (const point of points) {
    if (point.step > upToStep) continue;
    const marker = markerOf(point);
    if (marker === null) continue;
    if (!Number.isFinite(point.position[0]) || !Number.isFinite(point.position[1])) continue;
    drawn.push({ marker, position: point.position });
  }
  return drawn;
}

/** How many of each marker: the Paths view exposes these counts for its tests and screen readers. */
export function countMarkers(drawn: readonly DrawnEvaluation[]): Record<EvaluationMarker, number> {
  const counts: Record<EvaluationMarker, number> = { trial: 0, iterate: 0, perturbed: 0 };
  for (const d of drawn) counts[d.marker] += 1;
  return counts;
}
