import type { Dataset } from './dataset.js';
import { NumpyRandomState } from './numpy-random.js';

/**
 * DeepOBS's noisy quadratic problem `quadratic_deep` (Schneider, Balles & Hennig 2019), rebuilt
 * bit for bit from its NumPy streams:
 *
 * - fsschneider/DeepOBS deepobs/pytorch/testproblems/quadratic_deep.py (commit 07c71449): the
 *   Hessian H = Rᵀ·diag(λ)·R of a 100-D quadratic, λ = 90 draws of U(0, 1) then 10 of U(30, 60)
 *   (the "deep learning" spectrum of Chaudhari et al. 2016, arXiv:1611.01838), R a Haar-random
 *   rotation by Diaconis and Shahshahani's subgroup algorithm, all from one RandomState(42);
 * - deepobs/pytorch/datasets/quadratic.py (commit 51fa5861): the data, 1000 draws of N(0, 0.6²·I)
 *   in 100 dimensions from RandomState(42) (training) and RandomState(43) (test);
 * - deepobs/pytorch/testproblems/testproblems_modules.py net_quadratic_deep (commit 009aa5eb):
 *   the loss of a batch is the mean of ½·(θ − x)ᵀH(θ − x), θ starting at ones.
 *
 * DeepOBS has no validation set for it; OptLab draws one the same way from RandomState(44), so
 * configurations are chosen on data that neither trains nor tests.
 */
export const QUADRATIC_DEEP_DIM = 100;

/** The 100×100 Hessian of quadratic_deep, row-major (symmetric). */
export function quadraticDeepHessian(): Float64Array {
  const d = QUADRATIC_DEEP_DIM;
  const rng = new NumpyRandomState(42);
  const eigenvalues = new Float64Array(d);
  for (let i = 0; i < 90; i++) eigenvalues[i] = rng.uniform(0, 1);
  for (let i = 90; i < d; i++) eigenvalues[i] = rng.uniform(30, 60);
  const r = randomRotation(d, rng);
  // H = Rᵀ·diag(λ)·R: H[i][j] = Σₖ R[k][i]·λₖ·R[k][j].
  const h = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const lk = eigenvalues[k];
    for (let i = 0; i < d; i++) {
      const a = r[k * d + i] * lk;
      for (let j = 0; j < d; j++) h[i * d + j] += a * r[k * d + j];
    }
  }
  return h;
}

/**
 * A rotation in SO(D), uniform (Haar), by the subgroup algorithm as DeepOBS's random_rotation
 * writes it, drawing from `rng` in the same order: one uniform angle for the 2-D start, then for
 * each d = 2 … D − 1 a normal vector v of d + 1 values, the Householder reflection that takes e₁
 * to v applied to [[1, 0], [0, R]]; finally the negation (to fix the determinant).
 */
function randomRotation(dim: number, rng: NumpyRandomState): Float64Array {
  const t = 2 * Math.PI * rng.uniform();
  let r = new Float64Array([Math.cos(t), Math.sin(t), -Math.sin(t), Math.cos(t)]);
  for (let d = 2; d < dim; d++) {
    const n = d + 1;
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = rng.normal();
    const vn = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    for (let i = 0; i < n; i++) v[i] /= vn;
    // x = (e₁ − v) / ‖e₁ − v‖
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = (i === 0 ? 1 : 0) - v[i];
    const xn = Math.sqrt(x.reduce((s, y) => s + y * y, 0));
    for (let i = 0; i < n; i++) x[i] /= xn;
    // D = [[1, 0], [0, R]]
    const big = new Float64Array(n * n);
    big[0] = 1;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) big[(i + 1) * n + (j + 1)] = r[i * d + j];
    }
    // R' = D − 2·x·(xᵀ·D)
    const xtD = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      if (xi === 0) continue;
      for (let j = 0; j < n; j++) xtD[j] += xi * big[i * n + j];
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) big[i * n + j] -= 2 * x[i] * xtD[j];
    }
    r = big;
  }
  for (let i = 0; i < r.length; i++) r[i] = -r[i];
  return r;
}

/** `rows` points of N(0, noise²·I) in 100-D from RandomState(seed), row-major, as DeepOBS draws. */
export function quadraticDeepPoints(rows: number, noise: number, seed: number): Float64Array {
  const rng = new NumpyRandomState(seed);
  const x = new Float64Array(rows * QUADRATIC_DEEP_DIM);
  // np.float32(X): DeepOBS trains on the points rounded to float32.
  for (let i = 0; i < x.length; i++) x[i] = Math.fround(rng.normal(0, noise));
  return x;
}

export interface QuadraticDeepOptions {
  /** Points of each set; DeepOBS's 1000. */
  readonly n: number;
  /** Standard deviation of the points; DeepOBS's 0.6. */
  readonly noise: number;
}

/**
 * quadratic_deep's data: the training points (RandomState(42)), its own test set
 * (RandomState(43)) and validation set (RandomState(44)). There are no targets: `y` is zeros (the
 * loss reads only x), and the task is regression-like (a loss, no accuracy).
 */
export function quadraticDeepData(o: QuadraticDeepOptions): Dataset {
  const make = (name: string, seed: number): Dataset => ({
    name,
    task: 'regression',
    n: o.n,
    features: QUADRATIC_DEEP_DIM,
    classes: 0,
    x: quadraticDeepPoints(o.n, o.noise, seed),
    y: new Float64Array(o.n),
  });
  const name = `deepobs-quadratic(n=${o.n}, noise=${o.noise})`;
  return {
    ...make(name, 42),
    test: make(`${name} [test]`, 43),
    validation: make(`${name} [validation]`, 44),
  };
}
