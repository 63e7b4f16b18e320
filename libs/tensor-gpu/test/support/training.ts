import { Expr, Rng, defineUpdate, tidy } from '@optlab/tensor';
import type { Backend, Tensor } from '@optlab/tensor';

/**
 * Training computations written with Backend ops only (no @optlab/models), shared by the Node
 * and browser tests: the tutorial's MLP (dense → tanh → dense → softmax cross-entropy, backward
 * written out) and linear regression, both trained with an Adam step fused into one program.
 */

/** Adam (Kingma & Ba, 2015) with bias corrections passed as scalars: one pass per parameter. */
export const adamUpdate = defineUpdate({
  name: 'testAdam',
  inputs: ['param', 'grad', 'm', 'v'],
  scalars: ['lr', 'beta1', 'beta2', 'eps', 'bc1', 'bc2'],
  outputs: ['m', 'v', 'param'],
  body: ({ param, grad, m, v }, { lr, beta1, beta2, eps, bc1, bc2 }) => {
    const m2 = m.lerp(grad, Expr.of(1).sub(beta1));
    const v2 = v.lerp(grad.square(), Expr.of(1).sub(beta2));
    const step = m2.div(bc1).mul(lr).div(v2.div(bc2).sqrt().add(eps));
    return { m: m2, v: v2, param: param.sub(step) };
  },
});

interface AdamSlot {
  param: Tensor;
  m: Tensor;
  v: Tensor;
}

/** Adam state for a list of parameter tensors; `step` applies one fused update to each. */
export class AdamState {
  readonly slots: AdamSlot[];
  t = 0;

  constructor(
    readonly backend: Backend,
    params: readonly Tensor[],
    readonly lr = 0.01,
    readonly betas: readonly [number, number] = [0.9, 0.999],
    readonly eps = 1e-8,
  ) {
    this.slots = params.map((param) => ({
      param,
      m: backend.zeros(param.shape),
      v: backend.zeros(param.shape),
    }));
  }

  step(grads: readonly Tensor[]): void {
    this.t++;
    const [beta1, beta2] = this.betas;
    const scalars = {
      lr: this.lr,
      beta1,
      beta2,
      eps: this.eps,
      bc1: 1 - beta1 ** this.t,
      bc2: 1 - beta2 ** this.t,
    };
    this.slots.forEach((slot, i) => {
      this.backend.fusedUpdate(adamUpdate, { ...slot, grad: grads[i] }, scalars);
    });
  }

  dispose(): void {
    for (const s of this.slots) {
      s.param.dispose();
      s.m.dispose();
      s.v.dispose();
    }
  }
}

/** A seeded classification set like the tutorial's: X ~ N(0,1) [n, d], labels in [0, c). */
export function classificationData(
  n: number,
  d: number,
  c: number,
  seed: number,
): { x: Float32Array; y: Float32Array } {
  const rng = new Rng(seed);
  const x = new Float32Array(n * d);
  rng.fillNormal(x, 0, 1);
  const y = Float32Array.from({ length: n }, () => rng.int(0, c - 1));
  return { x, y };
}

/** The tutorial's SimpleNN: W1 [d,h], b1 [1,h], W2 [h,c], b2 [1,c]; weights N(0, 0.01²). */
export class Mlp {
  readonly adam: AdamState;

  constructor(
    readonly backend: Backend,
    readonly sizes: { input: number; hidden: number; classes: number },
    seed: number,
    lr = 0.01,
  ) {
    const { input, hidden, classes } = sizes;
    const params = [
      backend.normal([input, hidden], { seed, std: 0.01 }),
      backend.zeros([1, hidden]),
      backend.normal([hidden, classes], { seed: seed + 1, std: 0.01 }),
      backend.zeros([1, classes]),
    ];
    this.adam = new AdamState(backend, params, lr);
  }

  /**
   * One training step on a minibatch given as host arrays (its two uploads); returns the mean
   * loss as a device tensor (not read back). Every intermediate is freed by the scope.
   */
  step(xHost: Float32Array, yHost: Float32Array): Tensor {
    const be = this.backend;
    const n = yHost.length;
    const [w1, b1, w2, b2] = this.adam.slots.map((s) => s.param);
    return tidy(() => {
      const x = be.tensor(xHost, [n, this.sizes.input]);
      const y = be.tensor(yHost, [n]);
      const a1 = be.tanh(be.add(be.matmul(x, w1), b1));
      const z2 = be.add(be.matmul(a1, w2), b2);
      const { loss, grad: dz2 } = be.softmaxCrossEntropy(z2, y);
      const dw2 = be.matmul(a1, dz2, { transposeA: true });
      const db2 = be.sum(dz2, 0, true);
      const dz1 = be.mul(be.matmul(dz2, w2, { transposeB: true }), be.sub(1, be.square(a1)));
      const dw1 = be.matmul(x, dz1, { transposeA: true });
      const db1 = be.sum(dz1, 0, true);
      this.adam.step([dw1, db1, dw2, db2]);
      return loss;
    });
  }

  dispose(): void {
    this.adam.dispose();
  }
}

/** Linear regression y ≈ X·w + b with mean squared error. */
export class LinearRegression {
  readonly adam: AdamState;

  constructor(
    readonly backend: Backend,
    readonly features: number,
    lr = 0.05,
  ) {
    this.adam = new AdamState(backend, [backend.zeros([features, 1]), backend.zeros([1, 1])], lr);
  }

  step(xHost: Float32Array, yHost: Float32Array): Tensor {
    const be = this.backend;
    const n = yHost.length;
    const [w, b] = this.adam.slots.map((s) => s.param);
    return tidy(() => {
      const x = be.tensor(xHost, [n, this.features]);
      const y = be.tensor(yHost, [n, 1]);
      const r = be.sub(be.add(be.matmul(x, w), b), y);
      const loss = be.mean(be.square(r));
      const scaled = be.mul(r, 2 / n);
      const dw = be.matmul(x, scaled, { transposeA: true });
      const db = be.sum(scaled, 0, true);
      this.adam.step([dw, db]);
      return loss;
    });
  }

  dispose(): void {
    this.adam.dispose();
  }
}

/** Rows [start, start+count) of a row-major [n, width] host array. */
export function rows(
  data: Float32Array,
  width: number,
  start: number,
  count: number,
): Float32Array {
  return data.subarray(start * width, (start + count) * width);
}

/**
 * Trains `epochs` epochs over the data in fixed order with the given step, reading each step's
 * loss; returns the mean loss of every epoch.
 */
export async function epochLosses(
  step: (x: Float32Array, y: Float32Array) => Tensor,
  data: { x: Float32Array; y: Float32Array },
  width: number,
  labelWidth: number,
  batch: number,
  epochs: number,
): Promise<number[]> {
  const n = data.y.length / labelWidth;
  const out: number[] = [];
  for (let e = 0; e < epochs; e++) {
    let total = 0;
    let count = 0;
    for (let i = 0; i < n; i += batch) {
      const size = Math.min(batch, n - i);
      const loss = step(rows(data.x, width, i, size), rows(data.y, labelWidth, i, size));
      total += (await loss.data())[0];
      loss.dispose();
      count++;
    }
    out.push(total / count);
  }
  return out;
}

/** Data for linear regression: y = X·w* + 0.5 + noise, seeded. */
export function regressionData(
  n: number,
  d: number,
  seed: number,
): { x: Float32Array; y: Float32Array } {
  const rng = new Rng(seed);
  const x = new Float32Array(n * d);
  rng.fillNormal(x, 0, 1);
  const w = Array.from({ length: d }, (_, j) => (j % 2 === 0 ? 1 : -0.5) * (1 + j / d));
  const y = Float32Array.from({ length: n }, (_, i) => {
    let s = 0.5;
    for (let j = 0; j < d; j++) s += x[i * d + j] * w[j];
    return s + 0.01 * rng.normal();
  });
  return { x, y };
}
