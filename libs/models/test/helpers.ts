import { expect } from 'vitest';
import { Rng, cpu, tidy, type Backend, type Parameter, type Tensor } from '@optlab/tensor';
import type { Layer } from '../src/index.js';

/** The float64 CPU backend that gradient checks run on. */
export const be64: Backend = cpu({ dtype: 'float64' });

/** Central differences of `f` at `at`: (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h. */
export function numericGrad(
  f: (values: Float64Array) => number,
  at: ArrayLike<number>,
  h = 1e-6,
): Float64Array {
  const x = Float64Array.from(at);
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const keep = x[i];
    x[i] = keep + h;
    const up = f(x);
    x[i] = keep - h;
    const down = f(x);
    x[i] = keep;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

/** Every entry within `atol + rtol·|expected|`, with the index in the failure message. */
export function expectAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol = 1e-6,
  atol = 1e-8,
): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = atol + rtol * Math.abs(expected[i]);
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      expect.fail(`entry ${i}: ${actual[i]} vs expected ${expected[i]} (tolerance ${tol})`);
    }
  }
}

/** Scalar value of a [] tensor, read synchronously (tests run on the CPU). */
export function scalar(t: Tensor): number {
  expect(t.shape).toEqual([]);
  return t.dataSync()[0];
}

/** Evaluates `loss()` with the parameter's value replaced by `values` (then restored). */
export function withValue<T>(p: Parameter, values: Float64Array, fn: () => T): T {
  const original = p.value.dataSync();
  p.value = p.backend.tensor(values, p.shape);
  try {
    return tidy(fn);
  } finally {
    p.value = p.backend.tensor(original, p.shape);
  }
}

/**
 * Checks every parameter's analytic gradient (written by `lossAndGrad`) against central
 * differences of `loss`, both evaluated on the float64 backend.
 */
export function checkParameterGrads(
  params: Parameter[],
  lossAndGrad: () => Tensor,
  loss: () => Tensor,
  rtol = 1e-6,
  atol = 1e-8,
): void {
  tidy(() => lossAndGrad());
  for (const p of params) {
    expect(p.grad, `gradient of ${p.name}`).not.toBeNull();
    const analytic = p.grad!.dataSync();
    const numeric = numericGrad((v) => withValue(p, v, () => scalar(loss())), p.value.dataSync());
    expectAllClose(analytic, numeric, rtol, atol);
  }
}

/** Σ (layer(x) ⊙ r): a scalar whose gradient w.r.t. the output is r. */
function projected(layer: Layer, x: Tensor, r: Tensor): number {
  return tidy(() => be64.sum(be64.mul(layer.forward(x), r)).dataSync()[0]);
}

/**
 * Checks a layer's backward against central differences: ∂/∂x and ∂/∂θ of Σ(layer(x) ⊙ r),
 * with r a fixed random tensor, on the float64 backend. `input` replaces the random x (to keep
 * it away from a kink).
 */
export function checkLayerGrads(
  layer: Layer,
  inputShape: number[],
  seed: number,
  input?: number[],
): void {
  const rng = new Rng(seed);
  const xv = new Float64Array(inputShape.reduce((a, b) => a * b, 1));
  if (input) xv.set(input);
  else rng.fillNormal(xv);
  const x = be64.tensor(xv, inputShape);
  const outShape = tidy(() => layer.forward(x).shape);
  const rv = new Float64Array(outShape.reduce((a, b) => a * b, 1));
  rng.fillNormal(rv);
  const r = be64.tensor(rv, outShape);
  const dx = tidy(() => {
    layer.forward(x);
    return layer.backward(r);
  });
  expect(dx.shape).toEqual(inputShape);
  const numericDx = numericGrad((v) => {
    const xt = be64.tensor(v, inputShape);
    const s = projected(layer, xt, r);
    xt.dispose();
    return s;
  }, xv);
  expectAllClose(dx.dataSync(), numericDx, 1e-6, 1e-8);
  for (const p of layer.parameters()) {
    const analytic = p.grad!.dataSync();
    const numeric = numericGrad((v) => {
      const saved = p.value.dataSync();
      p.value = be64.tensor(v, p.shape);
      const s = projected(layer, x, r);
      p.value = be64.tensor(saved, p.shape);
      return s;
    }, p.value.dataSync());
    expectAllClose(analytic, numeric, 1e-6, 1e-8);
  }
  x.dispose();
  r.dispose();
  dx.dispose();
}
