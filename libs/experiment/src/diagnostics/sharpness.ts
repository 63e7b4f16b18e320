import { Rng } from '@optlab/tensor';
import { dot, norm } from './flat-weights.js';

/** A gradient as a function of the flat weights (`WeightObjective.gradient`). */
export type GradientFunction = (weights: Float64Array) => Promise<Float64Array>;

export interface SharpnessOptions {
  /** Most power-iteration steps (Hessian-vector products). */
  readonly iterations: number;
  /** Stop once the eigenvalue estimate changes by less than this, relative. */
  readonly tolerance: number;
  /** Seed of the random start vector (a stream of its own: training draws nothing from it). */
  readonly seed: number;
  /**
   * Finite-difference step along the unit vector v. Default: ∛ε · max(1, ‖θ‖), the step that
   * balances the O(h²) truncation error of a central difference against rounding (ε the machine
   * epsilon of the numbers the gradient is computed in).
   */
  readonly step?: number;
  /** The machine epsilon of the gradient's numbers, for the default step. */
  readonly epsilon: number;
  /** Start vector in place of the seeded one (the previous estimate's eigenvector: a warm start). */
  readonly start?: Float64Array | null;
}

export interface Sharpness {
  /** The estimate of the Hessian's eigenvalue of largest magnitude (its Rayleigh quotient). */
  readonly value: number;
  /** Hessian-vector products made. */
  readonly iterations: number;
  /** Whether the estimate settled within `tolerance` before `iterations` ran out. */
  readonly converged: boolean;
  /** The finite-difference step used. */
  readonly step: number;
  /** The unit eigenvector estimate (for a warm start next time). */
  readonly vector: Float64Array;
}

/**
 * The Hessian-vector product H·v at θ by a central difference of gradients:
 * (∇L(θ + h·v) − ∇L(θ − h·v)) / 2h, exact for a quadratic and O(h²) otherwise.
 */
export async function hessianVectorProduct(
  gradient: GradientFunction,
  theta: Float64Array,
  v: Float64Array,
  h: number,
): Promise<Float64Array> {
  const shifted = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) shifted[i] = theta[i] + h * v[i];
  const plus = await gradient(shifted);
  for (let i = 0; i < theta.length; i++) shifted[i] = theta[i] - h * v[i];
  const minus = await gradient(shifted);
  const out = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) out[i] = (plus[i] - minus[i]) / (2 * h);
  return out;
}

/**
 * The top Hessian eigenvalue ("sharpness", Cohen et al. 2021) by power iteration on
 * Hessian-vector products: v ← Hv/‖Hv‖, estimate λ = vᵀHv. Power iteration finds the eigenvalue
 * of largest magnitude; near a minimum and along a training trajectory that is the largest
 * positive one (a negative estimate is reported as it is). The start vector is a seeded Gaussian
 * unless `start` is given.
 */
export async function topHessianEigenvalue(
  gradient: GradientFunction,
  theta: Float64Array,
  options: SharpnessOptions,
): Promise<Sharpness> {
  const n = theta.length;
  if (n === 0) throw new RangeError('sharpness: there are no weights');
  const h = options.step ?? Math.cbrt(options.epsilon) * Math.max(1, norm(theta));
  let v: Float64Array = new Float64Array(n);
  if (options.start && options.start.length === n && norm(options.start) > 0) {
    v.set(options.start);
  } else {
    const rng = new Rng(options.seed);
    for (let i = 0; i < n; i++) v[i] = rng.normal();
  }
  scaleToUnit(v);
  let value = NaN;
  let iterations = 0;
  let converged = false;
  while (iterations < options.iterations) {
    const hv = await hessianVectorProduct(gradient, theta, v, h);
    iterations++;
    const estimate = dot(v, hv);
    const size = norm(hv);
    const settled =
      Number.isFinite(value) &&
      Math.abs(estimate - value) <= options.tolerance * Math.max(Math.abs(estimate), 1e-12);
    value = estimate;
    if (!(size > 0) || !Number.isFinite(size)) break;
    v = hv;
    scaleToUnit(v);
    if (settled) {
      converged = true;
      break;
    }
  }
  return { value, iterations, converged, step: h, vector: v };
}

function scaleToUnit(v: Float64Array): void {
  const s = norm(v);
  if (s > 0) for (let i = 0; i < v.length; i++) v[i] /= s;
}
