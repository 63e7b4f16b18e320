import { Rng } from '@optlab/tensor';
import type { KnownMinimum, Point, TestFunction } from './test-function.js';

/**
 * The largest dimension of a rotated quadratic: the Hessian is a dense n × n matrix (8·n² bytes,
 * O(n²) per gradient), so 1,000 coordinates (8 MB, a million multiply-adds a step) is the limit.
 */
export const ROTATED_QUADRATIC_MAX_DIM = 1000;

/**
 * How a rotated quadratic is specified: its spectrum (a list of eigenvalues, or a condition
 * number κ with a dimension), its eigenbasis (an angle in 2-D, a seeded random orthogonal
 * matrix in n-D) and optional gradient noise.
 */
export interface RotatedQuadraticOptions {
  /** The Hessian's eigenvalues; when given, they set the dimension and κ. */
  readonly eigenvalues?: readonly number[] | null;
  /** κ = λmax / λmin when `eigenvalues` is not given: λ spaced geometrically from 1 to κ. */
  readonly condition?: number;
  /** Number of coordinates when `eigenvalues` is not given. */
  readonly dim?: number;
  /** 2-D: the angle (degrees) of the first eigenvector from the x axis. */
  readonly angle?: number;
  /** n-D (n > 2): the seed of the random orthogonal basis; also seeds the gradient noise. */
  readonly seed?: number;
  /** Standard deviation σ of the Gaussian noise added to every gradient coordinate. */
  readonly noise?: number;
}

/** A rotated quadratic exposes its eigen-decomposition, so the lab can split the error along it. */
export interface RotatedQuadratic extends TestFunction {
  /** λ₁ ≤ … ≤ λₙ, ascending. */
  readonly eigenvalues: readonly number[];
  /** The eigenvectors as rows: `eigenvectors[i]` is the unit vector of `eigenvalues[i]`. */
  readonly eigenvectors: readonly (readonly number[])[];
  /** σ of the gradient noise (0: exact gradients). */
  readonly noise: number;
}

/** λ spaced geometrically from 1 to κ (n = 1: just 1). */
export function geometricSpectrum(condition: number, dim: number): number[] {
  if (dim === 1) return [1];
  return Array.from({ length: dim }, (_, i) => condition ** (i / (dim - 1)));
}

/**
 * A Haar-distributed random orthogonal matrix (rows orthonormal): the Q of the QR decomposition
 * of a matrix of standard normals from `rng`, with R's diagonal positive (the sign convention
 * that makes Q uniformly distributed; Mezzadri 2007). Gram–Schmidt gives that convention by
 * construction (R[j][j] is a norm); run twice per column in float64 it is orthogonal to ~1e-15.
 */
export function randomOrthogonal(dim: number, rng: Rng): number[][] {
  // Columns of the Gaussian matrix, drawn column by column.
  const cols: Float64Array[] = [];
  for (let j = 0; j < dim; j++) {
    const c = new Float64Array(dim);
    rng.fillNormal(c);
    cols.push(c);
  }
  const q: Float64Array[] = [];
  for (let j = 0; j < dim; j++) {
    const v = cols[j];
    // Two passes of modified Gram–Schmidt ("twice is enough").
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let d = 0;
        for (let i = 0; i < dim; i++) d += u[i] * v[i];
        for (let i = 0; i < dim; i++) v[i] -= d * u[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < dim; i++) v[i] /= norm;
    q.push(v);
  }
  // q holds Q's columns: the eigenvectors, returned as rows.
  return q.map((c) => Array.from(c));
}

/** The 2-D rotation's eigenvectors: (cos θ, sin θ) and (−sin θ, cos θ). */
function rotation2(angleDegrees: number): number[][] {
  const t = (angleDegrees * Math.PI) / 180;
  return [
    [Math.cos(t), Math.sin(t)],
    [-Math.sin(t), Math.cos(t)],
  ];
}

function shortList(values: readonly number[]): string {
  const shown = values.slice(0, 4).map((v) => Number(v.toPrecision(4)));
  return `[${shown.join(', ')}${values.length > 4 ? ', …' : ''}]`;
}

/**
 * f(x) = ½·xᵀHx with H = Σ λᵢ·qᵢqᵢᵀ: the quadratic whose eigenvalues are chosen and whose
 * eigenvectors qᵢ are not the coordinate axes, so per-coordinate preconditioners (Adam, Adagrad)
 * get no free help from the problem's alignment. ∇f = Hx (+ σ·ξ, ξ ~ N(0, I) from the seeded
 * stream, one draw per coordinate per gradient evaluation). Minimum 0 at the origin when every
 * λ > 0. The start is (1, …, 1).
 */
export function rotatedQuadratic(options: RotatedQuadraticOptions = {}): RotatedQuadratic {
  const eigenvalues = options.eigenvalues
    ? [...options.eigenvalues].sort((a, b) => a - b)
    : geometricSpectrum(options.condition ?? 10, options.dim ?? 2);
  const dim = eigenvalues.length;
  if (dim < 1 || dim > ROTATED_QUADRATIC_MAX_DIM) {
    throw new RangeError(
      `rotated-quadratic: the dimension must be 1 … ${ROTATED_QUADRATIC_MAX_DIM}, got ${dim}`,
    );
  }
  const seed = options.seed ?? 0;
  const noise = options.noise ?? 0;
  const rng = new Rng(seed);
  const angle = options.angle ?? 30;
  const eigenvectors =
    dim === 1 ? [[1]] : dim === 2 ? rotation2(angle) : randomOrthogonal(dim, rng);
  // H = Qᵀ diag(λ) Q with Q's rows the eigenvectors, stored row-major.
  const h = new Float64Array(dim * dim);
  for (let k = 0; k < dim; k++) {
    const q = eigenvectors[k];
    const lambda = eigenvalues[k];
    for (let i = 0; i < dim; i++) {
      const li = lambda * q[i];
      for (let j = 0; j < dim; j++) h[i * dim + j] += li * q[j];
    }
  }
  const hx = (x: Point): Float64Array => {
    const g = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      let s = 0;
      const row = i * dim;
      for (let j = 0; j < dim; j++) s += h[row + j] * x[j];
      g[i] = s;
    }
    return g;
  };
  const convex = eigenvalues.every((v) => v > 0);
  const minima: KnownMinimum[] = convex ? [{ x: new Array<number>(dim).fill(0), f: 0 }] : [];
  const basis = dim === 2 ? `angle=${angle}°` : dim > 2 ? `seed=${seed}` : '';
  const parts = [`λ=${shortList(eigenvalues)}`, basis, noise > 0 ? `σ=${noise}` : ''];
  return {
    kind: 'rotated-quadratic',
    name: `RotatedQuadratic(${parts.filter((p) => p !== '').join(', ')})`,
    dim,
    f: (x: Point) => {
      const g = hx(x);
      let s = 0;
      for (let i = 0; i < dim; i++) s += x[i] * g[i];
      return 0.5 * s;
    },
    grad: (x: Point) => {
      const g = hx(x);
      if (noise > 0) for (let i = 0; i < dim; i++) g[i] += noise * rng.normal();
      return g;
    },
    minima,
    start: new Array<number>(dim).fill(1),
    domain: new Array(dim).fill([-1.5, 1.5] as const),
    eigenvalues,
    eigenvectors,
    noise,
  };
}

/** The coordinates of `x` in the eigenbasis: cᵢ = qᵢ·x, the error along each eigenvector. */
export function eigenComponents(fn: RotatedQuadratic, x: Point): number[] {
  return fn.eigenvectors.map((q) => {
    let s = 0;
    for (let i = 0; i < q.length; i++) s += q[i] * x[i];
    return s;
  });
}
