import { describe, expect, it } from 'vitest';
import { cpu, defineUpdate, tidy, type Backend, type Parameter } from '@optlab/tensor';
import {
  LinearRegression,
  LogisticRegression,
  MLP,
  MODELS,
  accuracyFromLogits,
  createModel,
  linearData,
  moons,
  randomClassification,
  toTensors,
} from '../src/index.js';
import { be64, checkParameterGrads, expectAllClose, scalar } from './helpers.js';
import { refs } from './references.js';

/** Plain SGD as one fused program, written here so the tests do not depend on @optlab/optim. */
const sgd = defineUpdate({
  name: 'testSgd',
  inputs: ['param', 'grad'],
  scalars: ['lr'],
  outputs: ['param'],
  body: ({ param, grad }, { lr }) => ({ param: param.sub(grad.mul(lr)) }),
});

function sgdStep(backend: Backend, params: Parameter[], lr: number): void {
  for (const p of params) backend.fusedUpdate(sgd, { param: p.value, grad: p.grad! }, { lr });
}

describe('LinearRegression (the tutorial)', () => {
  it('weights are [b, w]; loss and gradient match the hand-derived values', () => {
    // X = [1, 2], y = [5, 7], b = 1, w = 2: prediction [3, 5], error [−2, −2],
    // loss = mean(4, 4) = 4, gradient = (2/2)·X_bᵀ·error = [−2 − 2, −2 − 4] = [−4, −6].
    const model = new LinearRegression(be64);
    model.weights.value = be64.tensor([[1], [2]]);
    const x = be64.tensor([[1], [2]]);
    const y = be64.tensor([[5], [7]]);
    expect(Array.from(tidy(() => model.predict(x)).dataSync())).toEqual([3, 5]);
    expect(scalar(tidy(() => model.loss(x, y)))).toBe(4);
    expect(scalar(tidy(() => model.lossAndGrad(x, y)))).toBe(4);
    expect(model.weights.grad!.shape).toEqual([2, 1]);
    expect(Array.from(model.weights.grad!.dataSync())).toEqual([-4, -6]);
  });

  it('gradient check with several features', () => {
    const data = linearData({ n: 12, noise: 1, seed: 1 });
    const wide = new LinearRegression(be64, { features: 3, seed: 2 });
    const x = be64.tensor(
      Array.from({ length: 36 }, (_, i) => Math.sin(i)),
      [12, 3],
    );
    const y = be64.tensor(data.y, [12, 1]);
    checkParameterGrads(
      wide.parameters(),
      () => wide.lossAndGrad(x, y),
      () => wide.loss(x, y),
    );
  });

  it('initial weights are N(0, 1) from the seed, identical on float32 and float64', () => {
    const a = new LinearRegression(cpu({ dtype: 'float32' }), { seed: 42 });
    const b = new LinearRegression(be64, { seed: 42 });
    expectAllClose(a.weights.value.dataSync(), b.weights.value.dataSync(), 1e-7);
    expect(
      Array.from(new LinearRegression(be64, { init: 'zeros' }).weights.value.dataSync()),
    ).toEqual([0, 0]);
  });

  it("full-batch gradient descent on the tutorial's data reaches least squares (b ≈ 4, w ≈ 3)", () => {
    const data = linearData({ n: 100, noise: 1, seed: 42 });
    const { x, y } = toTensors(be64, data);
    const model = new LinearRegression(be64, { seed: 42 });
    for (let i = 0; i < 1500; i++) {
      tidy(() => model.lossAndGrad(x, y));
      sgdStep(be64, model.parameters(), 0.1);
    }
    // Least squares from the normal equations of the same data.
    let sx = 0,
      sy = 0,
      sxx = 0,
      sxy = 0;
    for (let i = 0; i < data.n; i++) {
      sx += data.x[i];
      sy += data.y[i];
      sxx += data.x[i] ** 2;
      sxy += data.x[i] * data.y[i];
    }
    const w = (data.n * sxy - sx * sy) / (data.n * sxx - sx * sx);
    const b = (sy - w * sx) / data.n;
    expectAllClose(model.weights.value.dataSync(), [b, w], 1e-6);
    expect(Math.abs(b - 4)).toBeLessThan(0.5);
    expect(Math.abs(w - 3)).toBeLessThan(0.5);
  });
});

describe('MLP', () => {
  const r = refs.mlp_3_4_2;
  const x = be64.tensor(r.x, [5, 3]);
  const labels = be64.tensor(r.labels);

  it.each(['tanh', 'relu', 'sigmoid', 'gelu'] as const)(
    'with %s matches PyTorch: logits, loss and every gradient',
    (activation) => {
      const mlp = new MLP(be64, { sizes: [3, 4, 2], activation });
      const [W1, b1, W2, b2] = mlp.parameters();
      W1.value = be64.tensor(r.W1, [3, 4]);
      b1.value = be64.tensor(r.b1, [4]);
      W2.value = be64.tensor(r.W2, [4, 2]);
      b2.value = be64.tensor(r.b2, [2]);
      const run = r.runs[activation];
      expectAllClose(tidy(() => mlp.predict(x)).dataSync(), run.logits, 1e-12, 1e-14);
      expectAllClose([scalar(tidy(() => mlp.lossAndGrad(x, labels)))], [run.loss], 1e-12);
      expectAllClose(W1.grad!.dataSync(), run.grads.W1, 1e-10, 1e-14);
      expectAllClose(b1.grad!.dataSync(), run.grads.b1, 1e-10, 1e-14);
      expectAllClose(W2.grad!.dataSync(), run.grads.W2, 1e-10, 1e-14);
      expectAllClose(b2.grad!.dataSync(), run.grads.b2, 1e-10, 1e-14);
    },
  );

  it('gradient check, two hidden layers', () => {
    const mlp = new MLP(be64, { sizes: [3, 5, 4, 2], activation: 'gelu', seed: 3 });
    checkParameterGrads(
      mlp.parameters(),
      () => mlp.lossAndGrad(x, labels),
      () => mlp.loss(x, labels),
    );
  });

  it("the tutorial's SimpleNN: MLP([20, 64, 3], tanh), shapes of forward and backward", () => {
    const be = cpu({ dtype: 'float32' });
    const data = randomClassification({ n: 32, features: 20, classes: 3, seed: 42 });
    const { x: xb, y: yb } = toTensors(be, data);
    const net = new MLP(be, { sizes: [20, 64, 3], activation: 'tanh', init: 'small-normal' });
    expect(net.name).toBe('MLP(20→64→3, tanh)');
    expect(net.parameters().map((p) => [p.name, p.shape])).toEqual([
      ['layer1.W', [20, 64]],
      ['layer1.b', [64]],
      ['layer2.W', [64, 3]],
      ['layer2.b', [3]],
    ]);
    expect(tidy(() => net.predict(xb)).shape).toEqual([32, 3]);
    const loss = tidy(() => net.lossAndGrad(xb, yb));
    // 0.01-scale weights give near-uniform softmax: the loss starts at ≈ ln 3.
    expect(scalar(loss)).toBeCloseTo(Math.log(3), 2);
    for (const p of net.parameters()) expect(p.grad!.shape).toEqual(p.shape);
    // Biases start at zero, weights at 0.01·N(0, 1).
    expect(Array.from(net.parameters()[1].value.dataSync()).every((v) => v === 0)).toBe(true);
  });

  it('same seed gives the same initial weights on every backend; another seed differs', () => {
    const a = new MLP(cpu({ dtype: 'float32' }), { sizes: [4, 8, 3], seed: 5 });
    const b = new MLP(be64, { sizes: [4, 8, 3], seed: 5 });
    const c = new MLP(be64, { sizes: [4, 8, 3], seed: 6 });
    a.parameters().forEach((p, i) => {
      expectAllClose(p.value.dataSync(), b.parameters()[i].value.dataSync(), 1e-7, 1e-9);
    });
    expect(Array.from(c.parameters()[0].value.dataSync())).not.toEqual(
      Array.from(b.parameters()[0].value.dataSync()),
    );
  });

  it.each([
    ['MLP (gelu)', (be: Backend) => new MLP(be, { sizes: [10, 16, 3], activation: 'gelu' })],
    ['LinearRegression', (be: Backend) => new LinearRegression(be, { features: 10 })],
    ['LogisticRegression (binary)', (be: Backend) => new LogisticRegression(be, { features: 10 })],
    [
      'LogisticRegression (3 classes)',
      (be: Backend) => new LogisticRegression(be, { features: 10, classes: 3 }),
    ],
  ] as const)('%s: a training step inside tidy leaves no new live tensors', (_, make) => {
    const be = cpu({ dtype: 'float32' });
    const data = randomClassification({ n: 64, features: 10, classes: 3, seed: 1 });
    const model = make(be);
    const { x: xs, y: labels } = toTensors(be, data);
    // Regression reads the labels as targets [N, 1]; binary logistic as 0/1.
    const ys =
      model.task === 'regression'
        ? be.reshape(labels, [64, 1])
        : model.name.includes('binary')
          ? be.minimum(labels, 1)
          : labels;
    const rows = [0, 5, 9, 20];
    const step = (): void => {
      tidy(() => {
        model.lossAndGrad(be.gather(xs, rows), be.gather(ys, rows));
        model.loss(xs, ys);
        model.predict(xs);
      });
      sgdStep(be, model.parameters(), 0.1);
    };
    step(); // the first step creates the gradients, which the parameters keep
    const live = be.stats().liveTensors;
    for (let i = 0; i < 5; i++) step();
    expect(be.stats().liveTensors).toBe(live);
    model.dispose();
    expect(be.stats().liveTensors).toBe(live - 2 * model.parameters().length);
  });

  it('SGD training on moons lowers the loss and reaches high accuracy', async () => {
    const be = cpu({ dtype: 'float32' });
    const data = moons({ n: 200, noise: 0.1, seed: 0 });
    const { x: xs, y: ys } = toTensors(be, data);
    const net = new MLP(be, { sizes: [2, 16, 2], activation: 'tanh', seed: 0 });
    const first = scalar(tidy(() => net.loss(xs, ys)));
    for (let i = 0; i < 300; i++) {
      tidy(() => net.lossAndGrad(xs, ys));
      sgdStep(be, net.parameters(), 0.5);
    }
    const last = scalar(tidy(() => net.loss(xs, ys)));
    expect(last).toBeLessThan(first / 4);
    expect(await net.accuracy(xs, ys)).toBeGreaterThan(0.95);
  });

  it('predict, loss and accuracy free their hidden activations (no live tensor left behind)', async () => {
    // Before the fix, every accuracy() call left each hidden layer's activations alive: an
    // experiment that evaluates every epoch ended with hundreds of live tensors.
    const be = cpu({ dtype: 'float32' });
    const { x, y } = toTensors(be, moons({ n: 50, noise: 0.1, seed: 0 }));
    const net = new MLP(be, { sizes: [2, 8, 8, 2], activation: 'relu', seed: 0 });
    const live = be.stats().liveTensors;
    for (let i = 0; i < 10; i++) await net.accuracy(x, y);
    expect(be.stats().liveTensors).toBe(live);
    net.predict(x).dispose();
    net.loss(x, y).dispose();
    expect(be.stats().liveTensors).toBe(live);
  });

  it('refuses bad sizes, naming the field', () => {
    expect(() => new MLP(be64, { sizes: [3] })).toThrow('MLP: sizes must list at least');
    expect(() => new MLP(be64, { sizes: [3, 0, 2] })).toThrow(
      'MLP: sizes[1] must be a positive integer, got 0',
    );
  });
});

describe('LogisticRegression', () => {
  const x = be64.tensor(
    Array.from({ length: 18 }, (_, i) => Math.cos(1.3 * i)),
    [6, 3],
  );

  it('binary (one logit, BCE): gradient check', () => {
    const model = new LogisticRegression(be64, { features: 3, init: 'xavier-normal', seed: 1 });
    const y = be64.tensor([0, 1, 1, 0, 1, 0]);
    expect(tidy(() => model.predict(x)).shape).toEqual([6, 1]);
    checkParameterGrads(
      model.parameters(),
      () => model.lossAndGrad(x, y),
      () => model.loss(x, y),
    );
  });

  it('multinomial (softmax) for 3 classes: gradient check', () => {
    const model = new LogisticRegression(be64, {
      features: 3,
      classes: 3,
      init: 'xavier-normal',
      seed: 2,
    });
    const y = be64.tensor([0, 2, 1, 1, 0, 2]);
    expect(tidy(() => model.predict(x)).shape).toEqual([6, 3]);
    checkParameterGrads(
      model.parameters(),
      () => model.lossAndGrad(x, y),
      () => model.loss(x, y),
    );
  });

  it('from zeros the binary loss is ln 2', () => {
    const model = new LogisticRegression(be64, { features: 3 });
    expect(scalar(tidy(() => model.loss(x, be64.tensor([0, 1, 1, 0, 1, 0]))))).toBeCloseTo(
      Math.LN2,
      12,
    );
  });
});

describe('accuracy', () => {
  it('argmax over columns (first maximum on ties), or logit > 0 for one column', () => {
    expect(accuracyFromLogits([1, 2, 5, 0, 3, 3], [1, 0, 0], 2)).toBeCloseTo(1);
    expect(accuracyFromLogits([1, 2, 5, 0, 3, 3], [0, 1, 1], 2)).toBe(0);
    expect(accuracyFromLogits([0.5, -0.2, 0, 3], [1, 0, 1, 0], 1)).toBe(0.5);
  });
});

describe('createModel / MODELS', () => {
  it('builds each registered model with the dataset widths and the run seed', () => {
    const ctx = { features: 4, classes: 3, seed: 9 };
    const mlp = createModel(be64, { kind: 'mlp', hidden: [8, 5], activation: 'relu' }, ctx);
    expect(mlp.name).toBe('MLP(4→8→5→3, relu)');
    expect(createModel(be64, { kind: 'logistic-regression' }, ctx).name).toBe(
      'LogisticRegression(4→3)',
    );
    const lr = createModel(be64, { kind: 'linear-regression' }, { ...ctx, seed: 42 });
    expectAllClose(
      lr.parameters()[0].value.dataSync(),
      new LinearRegression(be64, { features: 4, seed: 42 }).weights.value.dataSync(),
      0,
    );
    expect(Object.keys(MODELS)).toEqual([
      'linear-regression',
      'mlp',
      'cnn',
      'quadratic-deep',
      'logistic-regression',
    ]);
  });

  it('refuses unknown kinds and bad options with the allowed values', () => {
    const ctx = { features: 2, classes: 2, seed: 0 };
    expect(() => createModel(be64, { kind: 'resnet' }, ctx)).toThrow(
      'unknown model "resnet"; known: linear-regression, mlp, cnn, quadratic-deep, logistic-regression',
    );
    expect(() => createModel(be64, { kind: 'cnn' }, ctx)).toThrow(
      'model "cnn": option "layers" is required',
    );
    expect(() => createModel(be64, { kind: 'mlp', activation: 'swish' }, ctx)).toThrow(
      'model "mlp": option "activation" must be one of "tanh", "relu", "sigmoid", "gelu", got "swish"',
    );
    expect(() => createModel(be64, { kind: 'mlp', hidden: [8, -1] }, ctx)).toThrow(
      'model "mlp": option "hidden" [1] must be ≥ 1, got -1',
    );
    expect(() => createModel(be64, { kind: 'mlp', depth: 3 }, ctx)).toThrow(
      'model "mlp": unknown option "depth"; known: hidden, activation, init',
    );
  });
});
