import { describe, expect, it } from 'vitest';
import { Rng, cpu, defineUpdate } from '@optlab/tensor';
import {
  FUNCTIONS,
  createFunction,
  functionObjective,
  type FunctionSpec,
  type TestFunction,
} from '../src/index.js';
import { be64, expectAllClose, numericGrad } from './helpers.js';

const specs: FunctionSpec[] = [
  { kind: 'rosenbrock' },
  { kind: 'rosenbrock', a: 2, b: 50 },
  { kind: 'beale' },
  { kind: 'himmelblau' },
  { kind: 'rastrigin' },
  { kind: 'rastrigin', dim: 5, A: 3 },
  { kind: 'ackley' },
  { kind: 'ackley', dim: 4 },
  { kind: 'booth' },
  { kind: 'saddle' },
  { kind: 'x-squared' },
  { kind: 'quadratic', coefficients: [1, 10, 0.5, 3] },
  { kind: 'rotated-quadratic', condition: 100, angle: 25 },
  { kind: 'rotated-quadratic', eigenvalues: [0.5, 2, 30], seed: 11 },
  { kind: 'expression', expr: 'x^2 + 3*sin(x*y) - exp(-y)' },
];

/** Random points inside the function's plotting domain, plus its start. */
function samplePoints(fn: TestFunction, count: number, seed: number): number[][] {
  const rng = new Rng(seed);
  const points = Array.from({ length: count }, () =>
    fn.domain.map(([lo, hi]) => lo + (hi - lo) * rng.uniform()),
  );
  return [[...fn.start], ...points];
}

describe.each(specs)('test function %o', (spec) => {
  const fn = createFunction(spec);

  it('gradient matches central differences at the start and 20 random points', () => {
    for (const x of samplePoints(fn, 20, 1)) {
      const numeric = numericGrad((v) => fn.f(v), x, 1e-6);
      expectAllClose(fn.grad(x), numeric, 1e-5, 1e-5);
    }
  });

  it('every listed minimum has the listed value and zero gradient; the start lies in the domain', () => {
    for (const m of fn.minima) {
      expect(fn.f(m.x)).toBeCloseTo(m.f, 10);
      expectAllClose(fn.grad(m.x), new Array(fn.dim).fill(0), 0, 1e-9);
    }
    expect(fn.start).toHaveLength(fn.dim);
    expect(fn.domain).toHaveLength(fn.dim);
    fn.start.forEach((s, i) => {
      expect(s).toBeGreaterThanOrEqual(fn.domain[i][0]);
      expect(s).toBeLessThanOrEqual(fn.domain[i][1]);
    });
  });
});

describe('known values', () => {
  it('Rosenbrock, Beale, Booth, Himmelblau at hand-checked points', () => {
    expect(createFunction({ kind: 'rosenbrock' }).f([0, 0])).toBe(1);
    expect(createFunction({ kind: 'rosenbrock' }).f([-1.2, 1])).toBeCloseTo(24.2, 12);
    expect(createFunction({ kind: 'rosenbrock', a: 2, b: 50 }).minima[0].x).toEqual([2, 4]);
    expect(createFunction({ kind: 'beale' }).f([0, 0])).toBeCloseTo(14.203125, 12);
    expect(createFunction({ kind: 'booth' }).f([0, 0])).toBe(74);
    expect(createFunction({ kind: 'himmelblau' }).f([0, 0])).toBe(170);
    expect(createFunction({ kind: 'himmelblau' }).minima).toHaveLength(4);
  });
  it('Rastrigin and Ackley: many local minima, global 0 at the origin', () => {
    const r = createFunction({ kind: 'rastrigin', dim: 3 });
    expect(r.f([0, 0, 0])).toBe(0);
    expect(r.f([1, 1, 1])).toBeCloseTo(3, 12);
    const a = createFunction({ kind: 'ackley' });
    expect(a.f([0, 0])).toBeCloseTo(0, 14);
    expect(Array.from(a.grad([0, 0]))).toEqual([0, 0]);
    expect(a.f([1, 1])).toBeCloseTo(3.6253849384403627, 12);
  });
  it("the saddle has no minimum; the tutorial's x² starts at 2.0 with f′ = 2x", () => {
    const s = createFunction({ kind: 'saddle' });
    expect(s.minima).toEqual([]);
    expect(s.f([0, 3])).toBe(-9);
    const x2 = createFunction({ kind: 'x-squared' });
    expect(x2.start).toEqual([2]);
    expect(x2.f([2])).toBe(4);
    expect(Array.from(x2.grad([2]))).toEqual([4]);
  });
  it('the diagonal quadratic is ½·Σ cᵢxᵢ² in any dimension', () => {
    const q = createFunction({ kind: 'quadratic', coefficients: [2, 4, 6] });
    expect(q.dim).toBe(3);
    expect(q.f([1, 1, 1])).toBe(6);
    expect(Array.from(q.grad([1, -1, 2]))).toEqual([2, -4, 12]);
    expect(createFunction({ kind: 'quadratic', coefficients: [1, -1] }).minima).toEqual([]);
  });
  it("a quadratic's name lists its curvatures, or the first 8 and the dimension when longer", () => {
    expect(createFunction({ kind: 'quadratic', coefficients: [2, 4, 6] }).name).toBe(
      'Quadratic(c=[2, 4, 6])',
    );
    const big = Array.from({ length: 10_000 }, (_, i) => i + 1);
    expect(createFunction({ kind: 'quadratic', coefficients: big }).name).toBe(
      'Quadratic(10000-D, c=[1, 2, 3, 4, 5, 6, 7, 8, …])',
    );
  });
});

describe('createFunction / FUNCTIONS', () => {
  it('registers every kind', () => {
    expect(Object.keys(FUNCTIONS)).toEqual([
      'rosenbrock',
      'beale',
      'himmelblau',
      'rastrigin',
      'ackley',
      'booth',
      'saddle',
      'x-squared',
      'quadratic',
      'rotated-quadratic',
      'expression',
    ]);
  });
  it('an unknown kind lists the known ones', () => {
    expect(() => createFunction({ kind: 'sphere' })).toThrow(
      'unknown function "sphere"; known: rosenbrock, beale, himmelblau, rastrigin, ackley, booth, saddle, x-squared, quadratic',
    );
  });
  it('bad options and starts are named', () => {
    expect(() => createFunction({ kind: 'rastrigin', dim: 0 })).toThrow(
      'function "rastrigin": option "dim" must be ≥ 1, got 0',
    );
    expect(() => createFunction({ kind: 'quadratic', coefficients: [] })).toThrow(
      'function "quadratic": option "coefficients" must list at least 1 number, got []',
    );
    expect(() => createFunction({ kind: 'beale', start: [1] })).toThrow(
      'function "beale": option "start" must be 2 finite numbers, got [1]',
    );
    expect(() => createFunction({ kind: 'booth', c: 1 })).toThrow(
      'function "booth": unknown option "c"; known: (none)',
    );
    expect(createFunction({ kind: 'booth', start: [3, 4] }).start).toEqual([3, 4]);
  });
});

describe('FunctionObjective', () => {
  it('writes ∇f into the parameter and returns f at the point read back', async () => {
    const objective = functionObjective(be64, createFunction({ kind: 'rosenbrock' }));
    const { loss, point } = await objective.lossAndGrad();
    expect(Array.from(point)).toEqual([-1.2, 1]);
    expect(loss).toBeCloseTo(24.2, 12);
    expectAllClose(objective.parameter.grad!.dataSync(), [-215.6, -88], 1e-12);
  });

  it('gradient descent through a fused update converges on Booth', async () => {
    const be = cpu({ dtype: 'float32' });
    const sgd = defineUpdate({
      name: 'testSgdFn',
      inputs: ['p', 'g'],
      scalars: ['lr'],
      outputs: ['p'],
      body: ({ p, g }, { lr }) => ({ p: p.sub(g.mul(lr)) }),
    });
    const objective = functionObjective(be, createFunction({ kind: 'booth' }));
    let last = Infinity;
    for (let i = 0; i < 200; i++) {
      last = (await objective.lossAndGrad()).loss;
      be.fusedUpdate(
        sgd,
        { p: objective.parameter.value, g: objective.parameter.grad! },
        { lr: 0.05 },
      );
    }
    expect(last).toBeLessThan(1e-6);
    expectAllClose(await objective.parameter.value.data(), [1, 3], 1e-3);
  });

  it('refuses a start of the wrong dimension', () => {
    expect(() => functionObjective(be64, createFunction({ kind: 'beale' }), [1, 2, 3])).toThrow(
      'Beale: start has 3 coordinates, expected 2',
    );
  });
});
