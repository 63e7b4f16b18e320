import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpu, tidy } from '@optlab/tensor';
import {
  NumpyRandomState,
  QuadraticDeep,
  checkModelOptions,
  createModel,
  loadDataset,
  modelDataProblem,
  quadraticDeepHessian,
} from '../src/index.js';
import { be64, expectAllClose, numericGrad } from './helpers.js';

/** tools/fixtures/models/make-quadratic-deep.py (NumPy, following DeepOBS's code). */
const refs = JSON.parse(
  readFileSync(
    new URL('../../../tools/fixtures/models/quadratic-deep.json', import.meta.url),
    'utf8',
  ),
) as {
  stream: { uniform: number[]; normal: number[]; 'normal_0_0.6': number[] };
  eigenvalues: number[];
  hessian_rows: Record<string, number[]>;
  hessian_trace: number;
  train_rows: Record<string, number[]>;
  test_rows: Record<string, number[]>;
  loss_at_ones: { train: number; test: number };
  grad_at_ones_train: number[];
  expected_loss_at_zero: number;
};

describe("NumPy's legacy RandomState", () => {
  it('repeats RandomState(42): uniform, then normal (polar method, pairs kept), with scale', () => {
    const r = new NumpyRandomState(42);
    expect([r.uniform(), r.uniform(), r.uniform()]).toEqual(refs.stream.uniform);
    expectAllClose([r.normal(), r.normal(), r.normal()], refs.stream.normal, 1e-15, 0);
    expectAllClose([r.normal(0, 0.6), r.normal(0, 0.6)], refs.stream['normal_0_0.6'], 1e-15, 0);
  });
  it('refuses a seed NumPy refuses', () => {
    expect(() => new NumpyRandomState(-1)).toThrow('seed must be an integer 0 … 2^32 − 1, got -1');
  });
});

describe("DeepOBS's quadratic_deep, rebuilt from its NumPy streams", () => {
  const h = quadraticDeepHessian();
  it('the Hessian: its rows and trace as DeepOBS computes them', () => {
    for (const [row, values] of Object.entries(refs.hessian_rows)) {
      expectAllClose(h.subarray(+row * 100, +row * 100 + 100), values, 1e-9, 1e-12);
    }
    let trace = 0;
    for (let i = 0; i < 100; i++) trace += h[i * 101];
    expect(trace).toBeCloseTo(refs.hessian_trace, 9);
    expect(trace).toBeCloseTo(
      refs.eigenvalues.reduce((a, b) => a + b, 0),
      9,
    );
  });
  it('the data: training (seed 42) and test (seed 43) points, float32-rounded; validation its own', async () => {
    const data = await loadDataset({ kind: 'deepobs-quadratic' });
    expect([data.n, data.features, data.task]).toEqual([1000, 100, 'regression']);
    expect(Array.from(data.x.subarray(0, 100))).toEqual(refs.train_rows['0']);
    expect(Array.from(data.x.subarray(99_900))).toEqual(refs.train_rows['999']);
    expect(Array.from(data.test!.x.subarray(500, 600))).toEqual(refs.test_rows['5']);
    expect(data.validation!.n).toBe(1000);
    expect(data.validation!.x[0]).not.toBe(data.x[0]);
    expect(data.validation!.x[0]).not.toBe(data.test!.x[0]);
  });
  it('the loss and its gradient at θ = ones, on all 1000 points', async () => {
    const data = await loadDataset({ kind: 'deepobs-quadratic' });
    const model = createModel(
      be64,
      { kind: 'quadratic-deep' },
      { features: 100, classes: 0, seed: 0 },
    );
    const x = be64.tensor(data.x, [1000, 100]);
    const tx = be64.tensor(data.test!.x, [1000, 100]);
    expect(model.loss(x, x).dataSync()[0]).toBeCloseTo(refs.loss_at_ones.train, 9);
    expect(model.loss(tx, tx).dataSync()[0]).toBeCloseTo(refs.loss_at_ones.test, 9);
    const loss = tidy(() => model.lossAndGrad(x, x));
    expect(loss.dataSync()[0]).toBeCloseTo(refs.loss_at_ones.train, 9);
    expectAllClose(model.parameters()[0].grad!.dataSync(), refs.grad_at_ones_train, 1e-9, 1e-9);
    // predict: each point's loss; their mean is the loss.
    const each = model.predict(x).dataSync();
    expect(each.length).toBe(1000);
    expect(Array.from(each).reduce((a, b) => a + b, 0) / 1000).toBeCloseTo(
      refs.loss_at_ones.train,
      9,
    );
  });
  it('the gradient agrees with central differences (float64, a batch of 7)', () => {
    const model = new QuadraticDeep(be64);
    const pts = new Float64Array(700).map((_, i) => Math.sin(i));
    const x = be64.tensor(pts, [7, 100]);
    model.theta.value = be64.tensor(
      new Float64Array(100).map((_, i) => Math.cos(i)),
      [100],
    );
    tidy(() => model.lossAndGrad(x, x));
    const numeric = numericGrad((v) => {
      const saved = model.theta.value.dataSync();
      model.theta.value = be64.tensor(v, [100]);
      const s = model.loss(x).dataSync()[0];
      model.theta.value = be64.tensor(saved, [100]);
      return s;
    }, model.theta.value.dataSync());
    expectAllClose(model.theta.grad!.dataSync(), numeric, 1e-6, 1e-6);
  });
  it('float32 gives the same loss within float32 rounding', () => {
    const be32 = cpu({ dtype: 'float32' });
    const model = new QuadraticDeep(be32);
    const x = be32.zeros([3, 100]);
    // at x = 0, θ = ones: ½·1ᵀH1
    let expected = 0;
    for (const v of quadraticDeepHessian()) expected += v;
    expect(model.loss(x).dataSync()[0]).toBeCloseTo(expected / 2, 2);
  });
  it('refuses data that is not 100-D', () => {
    expect(checkModelOptions('quadratic-deep', {})).toEqual([]);
    expect(modelDataProblem('quadratic-deep', {}, 4, 0)).toEqual({
      path: [],
      message: 'needs 100-D points (the deepobs-quadratic dataset), the data has 4 features',
    });
    expect(() =>
      createModel(be64, { kind: 'quadratic-deep' }, { features: 4, classes: 0, seed: 0 }),
    ).toThrow('model "quadratic-deep": needs 100-D points');
  });
});
