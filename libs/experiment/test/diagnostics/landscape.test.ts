import { Rng } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import {
  assertSpec,
  Cancelled,
  computeLandscape,
  defaultCatalog,
  filterNormalizedDirection,
  interpolationAlphas,
  LandscapeError,
  projectOntoPlane,
  resolveLandscapeOptions,
  runToSummary,
  type ExperimentSpecInput,
} from '../helpers.js';

const catalog = defaultCatalog();

function moons(backend: 'cpu' | 'cpu64', extra: Partial<ExperimentSpecInput['runs'][number]> = {}) {
  return assertSpec(
    {
      version: 1,
      name: 'moons',
      task: {
        kind: 'classification',
        dataset: { type: 'moons', n: 80, noise: 0.1, seed: 1 },
        model: { type: 'mlp', hidden: [5], activation: 'tanh' },
        testFraction: 0.25,
      },
      training: { steps: 30, batchSize: 16, evalEvery: 10 },
      runs: [
        { name: 'other', optimizer: { type: 'SGD', lr: 0.1 }, backend },
        { name: 'Adam', optimizer: { type: 'Adam', lr: 0.05 }, backend, seed: 4, ...extra },
      ],
    },
    catalog,
  );
}

describe('filter-normalised directions (Li et al. 2018)', () => {
  it('scales each output unit of a Dense weight to its norm, and zeroes the biases', () => {
    // W is [in = 3, out = 2]: the filters are its columns; b is [2].
    const layout = {
      names: ['l.W', 'l.b'],
      shapes: [[3, 2], [2]],
      offsets: [0, 6],
      sizes: [6, 2],
      total: 8,
    };
    const w = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const d = filterNormalizedDirection(layout, w, new Rng(9));
    // Independently: the same Gaussian draws, laid out as PyTorch's [out, in] rows, each row
    // rescaled to the norm of the weight's row.
    const rng = new Rng(9);
    const draws = Array.from({ length: 6 }, () => rng.normal());
    const rows = [0, 1].map((j) => [0, 1, 2].map((i) => draws[i * 2 + j]));
    const wRows = [0, 1].map((j) => [0, 1, 2].map((i) => w[i * 2 + j]));
    const expected = rows.map((r, j) => {
      const scale = Math.hypot(...wRows[j]) / Math.hypot(...r);
      return r.map((v) => v * scale);
    });
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) expect(d[i * 2 + j]).toBeCloseTo(expected[j][i], 14);
    }
    expect(Math.hypot(d[0], d[2], d[4])).toBeCloseTo(Math.hypot(1, 3, 5), 14);
    expect([d[6], d[7]]).toEqual([0, 0]);
  });

  it('recovers the coordinates of a point in the plane by projection', () => {
    const rng = new Rng(3);
    const draw = () => Float64Array.from({ length: 40 }, () => rng.normal());
    const [c, d1, d2] = [draw(), draw(), draw()];
    const p = Float64Array.from(c, (v, i) => v + 0.3 * d1[i] - 1.7 * d2[i]);
    const [a, b] = projectOntoPlane(p, c, d1, d2);
    expect(a).toBeCloseTo(0.3, 12);
    expect(b).toBeCloseTo(-1.7, 12);
    expect(() => projectOntoPlane(p, c, d1, d1)).toThrow(/parallel/);
  });
});

describe('loss landscapes', () => {
  it('1-D: the line runs from the initial to the final weights, with their losses exactly', async () => {
    for (const backend of ['cpu', 'cpu64'] as const) {
      const spec = moons(backend);
      const result = await computeLandscape(spec, 'Adam', { dim: 1, steps: 9, span: 0.5 });
      const { summary } = await runToSummary(spec, { warmUp: false });
      const adam = summary!.runs.find((r) => r.run === 'Adam')!;
      expect(result.xs).toEqual([-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5]);
      expect(result.directions).toBe('interpolation from the initial to the final weights');
      expect(result.losses[result.xs.indexOf(0)]).toBe(adam.initialLoss);
      expect(result.losses[result.xs.indexOf(1)]).toBe(adam.finalLoss);
      expect(result.initialLoss).toBe(adam.initialLoss);
      expect(result.finalLoss).toBe(adam.finalLoss);
      expect(result.seed).toBe(4);
      expect(result.batch).toBe('the full training set (60 rows)');
      // The trajectory's ends project to α = 0 and α = 1.
      expect(result.trajectory[0]).toEqual({ step: 0, x: 0, y: null });
      expect(result.trajectory.at(-1)!.step).toBe(30);
      expect(result.trajectory.at(-1)!.x).toBeCloseTo(1, 12);
    }
  });

  it('2-D: a seeded slice centred on the final weights, with the trajectory projected', async () => {
    const spec = moons('cpu64');
    const a = await computeLandscape(spec, 'Adam', { dim: 2, steps: 5, span: 1, seed: 2 });
    const b = await computeLandscape(spec, 'Adam', { dim: 2, steps: 5, span: 1, seed: 2 });
    const c = await computeLandscape(spec, 'Adam', { dim: 2, steps: 5, span: 1, seed: 3 });
    expect(a.xs).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(a.directionSeed).toBe(2);
    expect(a.seed).toBe(4);
    expect(a.directions).toMatch(/^filter-normalised/);
    expect(a.losses).toHaveLength(25);
    expect(b.losses).toEqual(a.losses);
    expect(c.losses).not.toEqual(a.losses);
    // The centre is the final weights: the run's final loss exactly.
    expect(a.losses[12]).toBe(a.finalLoss);
    const last = a.trajectory.at(-1)!;
    expect(last.step).toBe(30);
    expect(Math.abs(last.x)).toBeLessThan(1e-12);
    expect(Math.abs(last.y!)).toBeLessThan(1e-12);
    expect(a.trajectory.length).toBe(31); // every ⌈30 / 50⌉ = 1 step, and step 0
    expect(a.losses.every(Number.isFinite)).toBe(true);
  });

  it('refuses a grid over the limit, an unknown run and a test function, naming the option', async () => {
    expect(() => resolveLandscapeOptions({ dim: 2, steps: 102 })).toThrow(
      'steps: a 2-D landscape has 3 to 101 points per side (at most 10201 loss evaluations), got 102',
    );
    expect(() => resolveLandscapeOptions({ dim: 1, steps: 1002 })).toThrow(
      'steps: a 1-D landscape has 3 to 1001 points, got 1002',
    );
    expect(() => resolveLandscapeOptions({ span: -1 })).toThrow(/^span: /);
    expect(() => interpolationAlphas(3, 100)).toThrow(/cannot hold both ends/);
    const err = await computeLandscape(moons('cpu'), 'Adam', { dim: 2, steps: 500 }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(LandscapeError);
    expect((err as LandscapeError).field).toBe('steps');
    await expect(computeLandscape(moons('cpu'), 'adam')).rejects.toThrow(
      'run: no run named "adam"; the spec has "other", "Adam"',
    );
    const fn = assertSpec(
      {
        version: 1,
        name: 'f',
        task: { kind: 'function', function: { type: 'rosenbrock' } },
        training: { steps: 3 },
        runs: [{ name: 'r', optimizer: { type: 'SGD', lr: 0.001 } }],
      },
      catalog,
    );
    await expect(computeLandscape(fn, 'r')).rejects.toThrow(/^task: a loss landscape needs/);
  });

  it('reports progress and stops when cancelled', async () => {
    const controller = new AbortController();
    const phases: string[] = [];
    const err = await computeLandscape(moons('cpu'), 'Adam', {
      dim: 2,
      steps: 21,
      signal: controller.signal,
      onProgress: (p) => {
        phases.push(p.phase);
        if (p.phase === 'grid' && p.done === 10) controller.abort();
      },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(Cancelled);
    expect((err as Cancelled).step).toBe(10);
    expect(phases.filter((p) => p === 'grid')).toHaveLength(10);
    expect(phases[0]).toBe('training');
  });
});
