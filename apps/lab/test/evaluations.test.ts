// Closure optimizers' function evaluations as the Paths view draws them, from the runner's own
// `closure` events (the same runner the run worker drives), on Rosenbrock in float64.
import {
  assertSpec,
  defaultCatalog,
  runExperiment,
  type ClosureEvent,
  type ExperimentEvent,
} from '@optlab/experiment';
import { describe, expect, it } from 'vitest';
import {
  closurePointOf,
  countMarkers,
  evaluationMarkers,
  markerOf,
  type ClosurePoint,
} from '../src/renderer/src/lib/evaluations.js';

const rosenbrock = ([x, y]: readonly number[]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;

async function eventsOf(optimizer: Record<string, unknown>, steps: number) {
  const spec = assertSpec(
    {
      version: 1,
      name: 'evaluations',
      task: { kind: 'function', function: { type: 'rosenbrock' }, start: [-1.5, 2] },
      training: { steps },
      runs: [{ name: 'run', optimizer, backend: 'cpu64' }],
    },
    defaultCatalog(),
  );
  const events: ExperimentEvent[] = [];
  for await (const e of runExperiment(spec, { closureEvaluations: true })) events.push(e);
  return {
    closures: events.filter((e): e is ClosureEvent => e.type === 'closure'),
    path: events.flatMap((e) => (e.type === 'step' && e.params ? [[...e.params]] : [])),
  };
}

describe('closure evaluations on the contour', () => {
  it('LBFGS with strong Wolfe: every trial is a point of Rosenbrock with its loss; trials are drawn as trials', async () => {
    const { closures } = await eventsOf({ type: 'LBFGS', lineSearchFn: 'strong_wolfe' }, 2);
    const points = closures.map(closurePointOf);
    expect(points.every((p) => p !== null)).toBe(true);
    for (const p of points as ClosurePoint[]) expect(p.loss).toBe(rosenbrock(p.position));
    const kinds = new Set(points.map((p) => p!.kind));
    expect(kinds).toEqual(new Set(['initial', 'lineSearch']));
    const drawn = evaluationMarkers(points as ClosurePoint[], 2);
    const counts = countMarkers(drawn);
    expect(counts.trial).toBe(closures.filter((e) => e.kind === 'lineSearch').length);
    expect(counts.trial).toBeGreaterThan(2);
    expect(counts).toMatchObject({ iterate: 0, perturbed: 0 });
    // Up to update 1 only: the second update's evaluations wait for the slider to reach it.
    const first = evaluationMarkers(points as ClosurePoint[], 1);
    expect(first.length).toBe(
      closures.filter((e) => e.step === 1 && e.kind === 'lineSearch').length,
    );
    expect(first.length).toBeLessThan(drawn.length);
  });

  it('LBFGS with fixed steps: its iterates within an update are drawn as iterates', async () => {
    const { closures } = await eventsOf({ type: 'LBFGS', lr: 0.1 }, 1);
    const counts = countMarkers(
      evaluationMarkers(
        closures.map((e) => closurePointOf(e)!),
        1,
      ),
    );
    expect(counts.iterate).toBe(closures.filter((e) => e.kind === 'step').length);
    expect(counts.iterate).toBeGreaterThan(0);
    expect(counts.trial).toBe(0);
  });

  it('SAM: its first evaluation is on the path, its second (perturbed) is drawn', async () => {
    const { closures, path } = await eventsOf(
      { type: 'SAM', base: 'SGD', lr: 0.001, rho: 0.05 },
      3,
    );
    expect(closures.map((e) => [e.step, e.index])).toEqual([
      [1, 0],
      [1, 1],
      [2, 0],
      [2, 1],
      [3, 0],
      [3, 1],
    ]);
    const points = closures.map((e) => closurePointOf(e)!);
    // The evaluation at index 0 of update k is at the point update k - 1 reached.
    expect(points[2].position).toEqual(path[0]);
    expect(points.map(markerOf)).toEqual([null, 'perturbed', null, 'perturbed', null, 'perturbed']);
    // SAM perturbs by rho along the normalised gradient: the perturbed point is rho away.
    const [a, b] = [points[0].position, points[1].position];
    expect(Math.hypot(b[0] - a[0], b[1] - a[1])).toBeCloseTo(0.05, 12);
  });

  it('a point with more than two coordinates, sampled, or absent is not drawn', () => {
    const base = { type: 'closure', run: 'r', seed: 0, step: 1, index: 1, loss: 1 } as const;
    expect(closurePointOf({ ...base, params: [1, 2, 3] })).toBeNull();
    expect(closurePointOf({ ...base })).toBeNull();
    expect(closurePointOf({ ...base, params: [1, 2], paramsMode: 'sampled' })).toBeNull();
    expect(closurePointOf({ ...base, params: [1, 2] })).toEqual({
      step: 1,
      index: 1,
      loss: 1,
      position: [1, 2],
    });
    const far = { step: 1, index: 1, loss: NaN, kind: 'lineSearch', position: [NaN, 0] } as const;
    expect(evaluationMarkers([far], 1)).toEqual([]);
  });
});
