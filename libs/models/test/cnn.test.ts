import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng, cpu, tidy, type Tensor } from '@optlab/tensor';
import {
  AvgPool2d,
  CNN,
  CNN_EVAL_ROWS,
  Conv2d,
  Dropout,
  Flatten,
  MaxPool2d,
  ReLU,
  Sequential,
  checkModelOptions,
  createModel,
  modelDataProblem,
  modelParameterCount,
  modelParameterLayout,
  type CnnLayerSpec,
} from '../src/index.js';
import { be64, checkLayerGrads, expectAllClose } from './helpers.js';

describe('convolutional layers: gradient checks (float64, central differences)', () => {
  it('Conv2d 3×3, padding 1', () => {
    checkLayerGrads(new Conv2d(be64, 2, 3, { kernelSize: 3, padding: 1, rng: 1 }), [2, 2, 5, 5], 1);
  });
  it('Conv2d 2×3, stride (2, 1), padding (0, 1), odd sizes', () => {
    const conv = new Conv2d(be64, 3, 2, {
      kernelSize: [2, 3],
      stride: [2, 1],
      padding: [0, 1],
      rng: 2,
    });
    checkLayerGrads(conv, [1, 3, 5, 4], 2);
  });
  it('MaxPool2d 2×2 (random inputs have no ties)', () => {
    checkLayerGrads(new MaxPool2d(be64, { kernelSize: 2 }), [2, 3, 4, 6], 3);
  });
  it('MaxPool2d 3×3, stride 2, padding 1', () => {
    checkLayerGrads(new MaxPool2d(be64, { kernelSize: 3, stride: 2, padding: 1 }), [1, 2, 5, 5], 4);
  });
  it('AvgPool2d 2×2, stride 1, and 3×3 with padding 1 (zeros counted)', () => {
    checkLayerGrads(new AvgPool2d(be64, { kernelSize: 2, stride: 1 }), [2, 2, 3, 4], 5);
    checkLayerGrads(new AvgPool2d(be64, { kernelSize: 3, padding: 1 }), [1, 2, 5, 5], 6);
  });
  it('Flatten', () => checkLayerGrads(new Flatten(be64), [2, 3, 2, 2], 7));
  it('Sequential(Conv2d, ReLU, MaxPool2d, Flatten)', () => {
    const net = new Sequential([
      new Conv2d(be64, 1, 2, { kernelSize: 3, padding: 1, rng: 8 }),
      new ReLU(be64),
      new MaxPool2d(be64, { kernelSize: 2 }),
      new Flatten(be64),
    ]);
    checkLayerGrads(net, [2, 1, 4, 4], 8);
  });
});

describe('Conv2d', () => {
  it('PyTorch default initialisation: weights and biases in ±1/√fanIn; a constant bias on request', () => {
    const conv = new Conv2d(be64, 4, 8, { kernelSize: 3, rng: 1 });
    const bound = 1 / Math.sqrt(4 * 9);
    const w = conv.W.value.dataSync();
    expect(conv.W.shape).toEqual([8, 4, 3, 3]);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.9 * bound);
    expect(Math.max(...conv.b.value.dataSync().map(Math.abs))).toBeLessThanOrEqual(bound);
    const fixed = new Conv2d(be64, 1, 2, {
      kernelSize: 5,
      init: 'deepobs-2c2d-truncated-normal',
      biasInit: 0.05,
      rng: 2,
    });
    expect(Array.from(fixed.b.value.dataSync())).toEqual([0.05, 0.05]);
    // truncated at ±2σ, σ = 0.05
    expect(Math.max(...fixed.W.value.dataSync().map(Math.abs))).toBeLessThanOrEqual(0.1);
  });
  it('refuses an input with the wrong channels, naming the shapes', () => {
    const conv = new Conv2d(be64, 3, 2, { kernelSize: 3 });
    expect(() => conv.forward(be64.zeros([1, 2, 5, 5]))).toThrow(
      'Conv2d(3→2, 3×3): input has shape [1,2,5,5], expected [N,3,H,W]',
    );
  });
});

describe('Dropout', () => {
  it('training: zeros about p of the values, scales the rest by 1/(1 − p); backward uses the same mask', () => {
    const d = new Dropout(be64, 0.25, { rng: 3 });
    const x = be64.ones([40, 50]);
    const y = d.forward(x).dataSync();
    const kept = y.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([1 / 0.75]));
    expect(1 - kept.length / y.length).toBeCloseTo(0.25, 1);
    const g = d.backward(be64.full([40, 50], 2)).dataSync();
    expectAllClose(
      g,
      y.map((v) => 2 * v),
    );
  });
  it('evaluation: the identity; the same seed gives the same masks', () => {
    const d = new Dropout(be64, 0.5, { rng: 4 });
    d.setTraining(false);
    const x = be64.tensor([1, -2, 3, 4], [2, 2]);
    expect(Array.from(d.forward(x).dataSync())).toEqual([1, -2, 3, 4]);
    expect(Array.from(d.backward(x).dataSync())).toEqual([1, -2, 3, 4]);
    const a = new Dropout(be64, 0.5, { rng: 9 });
    const b = new Dropout(be64, 0.5, { rng: 9 });
    const ones = be64.ones([4, 8]);
    expect(Array.from(a.forward(ones).dataSync())).toEqual(Array.from(b.forward(ones).dataSync()));
    expect(Array.from(a.forward(ones).dataSync())).not.toEqual(
      Array.from(
        b
          .forward(be64.ones([4, 8]))
          .dataSync()
          .map(() => 0),
      ),
    );
  });
  it('refuses p outside [0, 1)', () => {
    expect(() => new Dropout(be64, 1)).toThrow('Dropout: p must be in [0, 1), got 1');
  });
});

interface CnnRefs {
  layers: CnnLayerSpec[];
  inputShape: number[];
  x: number[];
  labels: number[];
  params: Record<string, number[]>;
  logits: number[];
  loss: number;
  grads: Record<string, number[]>;
  dx: number[];
}
const refs: CnnRefs = JSON.parse(
  readFileSync(
    new URL('../../../tools/fixtures/models/cnn-references.json', import.meta.url),
    'utf8',
  ),
);

/**
 * loss and gradients in evaluation mode (the fixture's dropout is PyTorch's eval-mode identity;
 * `lossAndGrad` trains, with dropout on): the same forward and backward, by hand.
 */
function evalLossAndGrad(model: CNN, x: Tensor, y: Tensor): number {
  const be = model.backend;
  return tidy(() => {
    model.net.setTraining(false);
    const logits = model.net.forward(be.reshape(x, [x.shape[0], ...model.inputShape]));
    const { loss, grad } = be.softmaxCrossEntropy(logits, y);
    model.net.backwardParameters(grad);
    return loss.dataSync()[0];
  });
}

function referenceModel(backend = be64): CNN {
  const model = createModel(
    backend,
    { kind: 'cnn', layers: refs.layers },
    { features: 36, classes: 3, seed: 0, inputShape: refs.inputShape },
  ) as CNN;
  for (const p of model.parameters()) p.value = backend.tensor(refs.params[p.name!], p.shape);
  return model;
}

describe('cnn model against PyTorch (tools/fixtures/models/make-cnn-references.py)', () => {
  it('logits, loss and every parameter gradient (float64)', () => {
    const model = referenceModel();
    expect(model.parameters().map((p) => p.name)).toEqual(Object.keys(refs.params));
    const x = be64.tensor(refs.x, [2, 36]);
    const y = be64.tensor(refs.labels, [2]);
    expectAllClose(model.predict(x).dataSync(), refs.logits, 1e-10, 1e-12);
    expect(model.loss(x, y).dataSync()[0]).toBeCloseTo(refs.loss, 12);
    expect(evalLossAndGrad(model, x, y)).toBeCloseTo(refs.loss, 12);
    for (const p of model.parameters()) {
      expectAllClose(p.grad!.dataSync(), refs.grads[p.name!], 1e-9, 1e-12);
    }
  });
  it('the input gradient of the whole network (layers run by hand)', () => {
    const model = referenceModel();
    const x = be64.tensor(refs.x, [2, 1, 6, 6]);
    model.net.setTraining(false);
    const logits = model.net.forward(x);
    const { grad } = be64.softmaxCrossEntropy(logits, be64.tensor(refs.labels, [2]));
    expectAllClose(model.net.backward(grad).dataSync(), refs.dx, 1e-9, 1e-12);
  });
  it('float32 agrees with PyTorch within float32 rounding', () => {
    const be32 = cpu({ dtype: 'float32' });
    const model = referenceModel(be32);
    const x = be32.tensor(refs.x, [2, 36]);
    const y = be32.tensor(refs.labels, [2]);
    expect(evalLossAndGrad(model, x, y)).toBeCloseTo(refs.loss, 5);
    for (const p of model.parameters()) {
      expectAllClose(p.grad!.dataSync(), refs.grads[p.name!], 1e-4, 1e-5);
    }
  });
  it('evaluation in chunks of CNN_EVAL_ROWS gives the loss and logits of one pass', () => {
    const model = referenceModel();
    const n = CNN_EVAL_ROWS + 37;
    const rng = new Rng(1);
    const xv = new Float64Array(n * 36);
    rng.fillNormal(xv);
    const yv = Float64Array.from({ length: n }, (_, i) => i % 3);
    const x = be64.tensor(xv, [n, 36]);
    const y = be64.tensor(yv, [n]);
    // One pass through the layers in evaluation mode, as `loss` runs them chunk by chunk.
    model.net.setTraining(false);
    const logits = model.net.forward(be64.reshape(x, [n, 1, 6, 6]));
    const whole = be64.softmaxCrossEntropy(logits, y).loss.dataSync()[0];
    expect(model.loss(x, y).dataSync()[0]).toBeCloseTo(whole, 12);
    expectAllClose(model.predict(x).dataSync(), logits.dataSync(), 1e-12, 1e-12);
  });
  it('evaluate: the loss and accuracy of one forward pass equal loss() and accuracy()', async () => {
    const model = referenceModel();
    const n = CNN_EVAL_ROWS + 5;
    const rng = new Rng(2);
    const xv = new Float64Array(n * 36);
    rng.fillNormal(xv);
    const x = be64.tensor(xv, [n, 36]);
    const y = be64.tensor(
      Float64Array.from({ length: n }, (_, i) => (i * 7) % 3),
      [n],
    );
    const both = await model.evaluate(x, y);
    expect(both.loss).toBeCloseTo(model.loss(x, y).dataSync()[0], 12);
    expect(both.accuracy).toBe(await model.accuracy(x, y));
    const mlp = createModel(
      be64,
      { kind: 'mlp', hidden: [5] },
      { features: 36, classes: 3, seed: 1 },
    );
    const m = await mlp.evaluate!(x, y);
    expect(m.loss).toBeCloseTo(mlp.loss(x, y).dataSync()[0], 12);
    expect(m.accuracy).toBe(await mlp.accuracy!(x, y));
  });
  it('dropout drops in lossAndGrad and not in loss', () => {
    const model = referenceModel();
    const x = be64.tensor(refs.x, [2, 36]);
    const y = be64.tensor(refs.labels, [2]);
    const train = tidy(() => model.lossAndGrad(x, y)).dataSync()[0];
    expect(train).not.toBeCloseTo(refs.loss, 6);
    expect(model.loss(x, y).dataSync()[0]).toBeCloseTo(refs.loss, 12);
  });
});

const TWO_C_TWO_D: CnnLayerSpec[] = [
  { type: 'conv2d', out: 32, kernel: 5, padding: 'same' },
  { type: 'relu' },
  { type: 'maxPool2d', kernel: 2 },
  { type: 'conv2d', out: 64, kernel: 5, padding: 'same' },
  { type: 'relu' },
  { type: 'maxPool2d', kernel: 2 },
  { type: 'flatten' },
  { type: 'dense', out: 1024 },
  { type: 'relu' },
  { type: 'dense', out: 10 },
];

describe('cnn options: checks with JSON paths, shapes and the parameter count', () => {
  it("DeepOBS's 2c2d on 28×28 images has 3,274,634 parameters; names follow the list", () => {
    expect(checkModelOptions('cnn', { layers: TWO_C_TWO_D })).toEqual([]);
    expect(modelParameterCount('cnn', { layers: TWO_C_TWO_D }, 784, 10)).toBe(3_274_634);
    expect(modelDataProblem('cnn', { layers: TWO_C_TWO_D }, 784, 10)).toBeUndefined();
    expect(modelParameterLayout('cnn', { layers: TWO_C_TWO_D })!.map((l) => l.name)).toEqual([
      'layers.0.W',
      'layers.0.b',
      'layers.3.W',
      'layers.3.b',
      'layers.7.W',
      'layers.7.b',
      'layers.9.W',
      'layers.9.b',
    ]);
  });
  it('every problem of a bad list, each at its path', () => {
    const problems = checkModelOptions('cnn', {
      layers: [
        { type: 'conv2d', kernel: 0, stride: [1, 2, 3] },
        { type: 'pool' },
        { type: 'maxPool2d', kernel: 2, padding: 2 },
        { type: 'dense', out: 10 },
        { type: 'flatten', out: 3 },
        { type: 'dropout', p: 1 },
        { type: 'dense', out: 2.5 },
        { type: 'relu' },
      ],
    });
    expect(problems).toEqual([
      { path: ['layers', 0, 'out'], message: 'is required' },
      { path: ['layers', 0, 'kernel'], message: 'must be ≥ 1, got 0' },
      {
        path: ['layers', 0, 'stride'],
        message: 'must be an integer or a [height, width] pair, got [1,2,3]',
      },
      {
        path: ['layers', 1, 'type'],
        message:
          'unknown layer type "pool"; known: conv2d, maxPool2d, avgPool2d, flatten, dense, dropout, tanh, relu, sigmoid, gelu',
      },
      { path: ['layers', 2, 'padding'], message: 'must be at most half the kernel (2), got 2' },
      {
        path: ['layers', 3, 'type'],
        message: 'a dense layer needs vectors: put {"type": "flatten"} before it',
      },
      {
        path: ['layers', 4, 'out'],
        message: 'unknown field "out" for a flatten layer; known: (none)',
      },
      { path: ['layers', 5, 'p'], message: 'must be a number in [0, 1), got 1' },
      { path: ['layers', 6, 'out'], message: 'must be an integer, got 2.5' },
      {
        path: ['layers', 7, 'type'],
        message: 'the last layer must be dense (the logits, one per class), got relu',
      },
    ]);
  });
  it('a missing list, an empty one, and "same" with an even kernel', () => {
    expect(checkModelOptions('cnn', {})).toEqual([{ path: ['layers'], message: 'is required' }]);
    expect(checkModelOptions('cnn', { layers: [] })).toEqual([
      { path: ['layers'], message: 'must list at least one layer' },
    ]);
    expect(
      checkModelOptions('cnn', {
        layers: [
          { type: 'conv2d', out: 2, kernel: 4, padding: 'same' },
          { type: 'flatten' },
          { type: 'dense' },
        ],
      }),
    ).toEqual([
      {
        path: ['layers', 0, 'padding'],
        message:
          '"same" needs odd kernel sizes and stride 1 (equal padding on both sides), got kernel 4, stride 1',
      },
    ]);
  });
  it('shapes against the data: a kernel larger than its input, logits that are not the classes', () => {
    const layers: CnnLayerSpec[] = [
      { type: 'maxPool2d', kernel: 4 },
      { type: 'conv2d', out: 2, kernel: 9 },
      { type: 'flatten' },
      { type: 'dense', out: 10 },
    ];
    expect(modelDataProblem('cnn', { layers }, 784, 10)).toEqual({
      path: ['layers', 1, 'kernel'],
      message:
        'kernel 9×9 is larger than its input 7×7 (padding 0×0); the input to layer 1 is [1,7,7]',
    });
    expect(
      modelDataProblem('cnn', { layers: layers.slice(0, 1).concat(layers.slice(2)) }, 784, 3),
    ).toEqual({
      path: ['layers', 3 - 1, 'out'],
      message: 'the last layer gives the logits: out must be the 3 classes of the data, got 10',
    });
    expect(modelDataProblem('cnn', { layers }, 100 * 3, 10)).toEqual({
      path: ['inputShape'],
      message: 'the data has 300 values per row, no square image: give inputShape [C, H, W]',
    });
    expect(modelDataProblem('cnn', { layers, inputShape: [3, 10, 11] }, 300, 10)).toEqual({
      path: ['inputShape'],
      message: '[3, 10, 11] holds 330 values, but the data has 300 per row',
    });
  });
  it('createModel refuses a bad list, naming the layer', () => {
    expect(() =>
      createModel(
        be64,
        { kind: 'cnn', layers: [{ type: 'conv2d', out: 2, kernel: 3 }] },
        { features: 16, classes: 2, seed: 0 },
      ),
    ).toThrow('model "cnn": option "layers" [0].[type] the last layer must be dense');
  });
});
