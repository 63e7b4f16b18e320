import { MLP, type Activation } from '@optlab/models';
import { Adam } from '@optlab/optim';
import { tidy, type Tensor } from '@optlab/tensor';
import { measureInterleaved, type Contender } from './harness.js';
import { toCase, type CaseResult, type Target } from './results.js';
import { seededValues, type Suite, type SuiteContext } from './suite.js';
import { tf, tfjsContender } from './tfjs-peers.js';

interface MlpCase {
  name: string;
  sizes: readonly [number, number, number];
  activation: Activation;
  init: 'small-normal' | 'xavier-uniform';
  /** Training rows per epoch, and the minibatch size (the last batch may be smaller). */
  rows: number;
  batch: number;
  targets: Target[];
}

/** Issue 4's two models; OptLab's epoch time ÷ tfjs-wasm's must be at most the ratio given. */
const CASES: readonly MlpCase[] = [
  {
    name: 'SimpleNN 20→64→3 tanh, 1000 rows, batch 32',
    sizes: [20, 64, 3],
    activation: 'tanh',
    init: 'small-normal',
    rows: 1000,
    batch: 32,
    targets: [
      { peer: 'tfjs-wasm', ratio: 0.4, source: 'issue 4' },
      { peer: 'tfjs-wasm', ratio: 0.2, source: 'issue 12' },
    ],
  },
  {
    name: 'MLP 784→256→10 relu, 1024 rows, batch 128',
    sizes: [784, 256, 10],
    activation: 'relu',
    init: 'xavier-uniform',
    rows: 1024,
    batch: 128,
    targets: [
      { peer: 'tfjs-wasm', ratio: 1.0, source: 'issue 4' },
      { peer: 'tfjs-wasm', ratio: 0.35, source: 'issue 12' },
    ],
  },
];

/** A fixed synthetic classification set: features in [-1, 1), labels from a fixed linear rule. */
function dataset(c: MlpCase): { x: Float32Array; labels: Float32Array } {
  const [d, , classes] = c.sizes;
  const x = seededValues(c.rows * d, 51);
  const w = seededValues(d * classes, 52);
  const labels = new Float32Array(c.rows);
  for (let i = 0; i < c.rows; i++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let k = 0; k < classes; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += x[i * d + j] * w[j * classes + k];
      if (s > bestScore) [best, bestScore] = [k, s];
    }
    labels[i] = best;
  }
  return { x, labels };
}

/**
 * One epoch = every minibatch in order: slice the batch, forward, softmax cross-entropy,
 * backward, one Adam step (lr 1e-3). OptLab: @optlab/models' MLP with @optlab/optim's Adam.
 */
function optlabEpoch(
  be: SuiteContext['backend'],
  c: MlpCase,
  data: { x: Float32Array; labels: Float32Array },
) {
  const [d] = c.sizes;
  const model = new MLP(be, { sizes: c.sizes, activation: c.activation, init: c.init, seed: 1 });
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const x = be.tensor(data.x, [c.rows, d]);
  const y = be.tensor(data.labels, [c.rows]);
  const initial = model.parameters().map((p) => Float32Array.from(p.value.dataSync()));
  const run = (): void => {
    for (let start = 0; start < c.rows; start += c.batch) {
      const n = Math.min(c.batch, c.rows - start);
      const loss: Tensor = tidy(() =>
        model.lossAndGrad(be.slice(x, [start, 0], [n, d]), be.slice(y, [start], [n])),
      );
      optimizer.step();
      loss.dispose();
    }
  };
  const dispose = (): void => {
    optimizer.dispose();
    model.dispose();
    x.dispose();
    y.dispose();
  };
  return { run, dispose, initial };
}

/** The same model in tfjs: tf ops, `optimizer.minimize` (tf.variableGrads), the same weights. */
function tfjsEpoch(
  c: MlpCase,
  data: { x: Float32Array; labels: Float32Array },
  initial: readonly Float32Array[],
) {
  const [d, h, classes] = c.sizes;
  const [w1, b1, w2, b2] = [
    tf.variable(tf.tensor2d(initial[0], [d, h])),
    tf.variable(tf.tensor1d(initial[1])),
    tf.variable(tf.tensor2d(initial[2], [h, classes])),
    tf.variable(tf.tensor1d(initial[3])),
  ];
  const x = tf.tensor2d(data.x, [c.rows, d]);
  const y = tf.oneHot(tf.tensor1d(data.labels, 'int32'), classes);
  const optimizer = tf.train.adam(1e-3);
  const act = c.activation === 'tanh' ? tf.tanh : tf.relu;
  const run = (): void => {
    for (let start = 0; start < c.rows; start += c.batch) {
      const n = Math.min(c.batch, c.rows - start);
      tf.tidy(() => {
        const xb = x.slice([start, 0], [n, d]);
        const yb = y.slice([start, 0], [n, classes]);
        optimizer.minimize(
          () => {
            const hidden = act(tf.add(tf.matMul(xb, w1), b1));
            const logits = tf.add(tf.matMul(hidden, w2), b2);
            return tf.losses.softmaxCrossEntropy(yb, logits);
          },
          false,
          [w1, b1, w2, b2],
        );
      });
    }
  };
  const dispose = (): void => {
    optimizer.dispose();
    tf.dispose([w1, b1, w2, b2, x, y]);
  };
  return { run, dispose };
}

/**
 * Training epochs of issue 4's two MLPs (ms per epoch, lower is better), OptLab beside the same
 * model, data, batches and initial weights in tfjs with the wasm backend.
 */
export const mlpSuite: Suite = {
  id: 'mlp',
  title: 'MLP training epoch with Adam (ms per epoch, lower is better)',
  async run(ctx) {
    const wasm = ctx.peers.filter((p) => p.backend === 'wasm');
    const cases: CaseResult[] = [];
    for (const c of CASES) {
      ctx.log(c.name);
      const data = dataset(c);
      const ours = optlabEpoch(ctx.backend, c, data);
      const optlab: Contender = { id: 'optlab', label: 'OptLab', ...ours };
      const peers: Contender[] = [
        { id: 'optlab-js', label: 'OptLab JS', ...optlabEpoch(ctx.jsBackend, c, data) },
      ];
      for (const peer of wasm) {
        peers.push(await tfjsContender(peer, () => tfjsEpoch(c, data, ours.initial)));
      }
      const all = [optlab, ...peers];
      const measured = await measureInterleaved(all, ctx.measure);
      for (const x of all) x.dispose?.();
      cases.push(toCase(c.name, 'ms/epoch', 'lower', measured, (ms) => ms, c.targets));
    }
    return {
      id: this.id,
      title: this.title,
      cases,
      notes: [
        'all sides: same synthetic data and batch order, same initial weights, Adam lr 1e-3, softmax cross-entropy; an operation is one epoch. OptLab and OptLab JS: the same model and optimizer code on the WebAssembly and the JavaScript path of the CPU backend.',
      ],
    };
  },
};
