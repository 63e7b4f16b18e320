/**
 * The quadratic lab's computations (Goh 2017, "Why Momentum Really Works"): the project's SGD
 * with momentum — PyTorch's form, which is Polyak's heavy ball with α = lr, β = momentum
 * (@optlab/optim `heavyBallFromSgd`) — run on a rotated quadratic on the CPU in float64; the
 * error split along the eigenvectors; and the measured convergence rate over a grid of
 * (lr, momentum) beside the theory's. Pure apart from the optimizer runs; the heatmap runs in a
 * worker (workers/quadratic-lab.worker.ts).
 */
import {
  eigenComponents,
  rotatedQuadratic,
  type RotatedQuadratic,
  type RotatedQuadraticOptions,
} from '@optlab/models';
import {
  SGD,
  heavyBallFromSgd,
  heavyBallOptimum,
  heavyBallRate,
  measuredRate,
} from '@optlab/optim';
import { Parameter, cpu, type Backend } from '@optlab/tensor';

/** What the lab's controls set. */
export interface QuadraticSetup {
  /** κ (eigenvalues 1 … κ, geometric) unless `eigenvalues` is given. */
  readonly condition: number;
  readonly dim: number;
  readonly eigenvalues: readonly number[] | null;
  readonly angle: number;
  readonly seed: number;
  readonly noise: number;
}

export const DEFAULT_SETUP: QuadraticSetup = {
  condition: 100,
  dim: 2,
  eigenvalues: null,
  angle: 30,
  seed: 0,
  noise: 0,
};

/** Steps of every heatmap cell, and the tail over which its rate is measured. */
export const RATE_STEPS = 200;
export const RATE_WINDOW = 150;
export const RATE_BLOCK = 50;

export function quadraticOf(setup: QuadraticSetup): RotatedQuadratic {
  const options: RotatedQuadraticOptions = setup.eigenvalues
    ? { eigenvalues: setup.eigenvalues, angle: setup.angle, seed: setup.seed, noise: setup.noise }
    : {
        condition: setup.condition,
        dim: setup.dim,
        angle: setup.angle,
        seed: setup.seed,
        noise: setup.noise,
      };
  return rotatedQuadratic(options);
}

let backend: Backend | null = null;
function cpu64(): Backend {
  backend ??= cpu({ dtype: 'float64' });
  return backend;
}

/**
 * The iterates x₀ … x_steps of torch-style SGD(lr, momentum) from the function's start. A run that
 * leaves the finite numbers stops there (its last point is the first non-finite one).
 */
export function sgdTrajectory(
  fn: RotatedQuadratic,
  lr: number,
  momentum: number,
  steps: number,
): number[][] {
  const be = cpu64();
  const w = new Parameter(be.tensor([...fn.start], [fn.dim]));
  const opt = new SGD([w], { lr, momentum });
  const points: number[][] = [[...fn.start]];
  try {
    for (let k = 0; k < steps; k++) {
      const x = w.value.dataSync();
      w.grad = be.tensor(fn.grad(x), [fn.dim]);
      opt.step();
      const next = Array.from(w.value.dataSync());
      points.push(next);
      if (!next.every(Number.isFinite)) break;
    }
  } finally {
    w.dispose();
  }
  return points;
}

/** |error along each eigenvector| per step: rows are eigenvectors (λ ascending), columns steps. */
export function eigenErrors(fn: RotatedQuadratic, points: readonly number[][]): number[][] {
  const rows = fn.eigenvalues.map(() => [] as number[]);
  for (const p of points) eigenComponents(fn, p).forEach((c, i) => rows[i].push(Math.abs(c)));
  return rows;
}

/** The measured rate of SGD(lr, momentum) on `fn`: from the error norms ‖xₖ‖ (the minimum is 0). */
export function measuredSgdRate(fn: RotatedQuadratic, lr: number, momentum: number): number {
  const points = sgdTrajectory(fn, lr, momentum, RATE_STEPS);
  if (points.length < RATE_STEPS + 1) return Infinity;
  const errors = points.map((p) => Math.hypot(...p));
  return measuredRate(errors, RATE_WINDOW, RATE_BLOCK);
}

/** The theory's rate of SGD(lr, momentum) on `fn`. */
export function predictedSgdRate(fn: RotatedQuadratic, lr: number, momentum: number): number {
  const { alpha, beta } = heavyBallFromSgd({ lr, momentum });
  return heavyBallRate(fn.eigenvalues, alpha, beta);
}

/** The (lr, momentum) grid of the heatmap. */
export interface RateGridAxes {
  /** Geometric from 0.02/λmax to 4/λmax: every stable step size for β < 1 lies below 4/λmax. */
  readonly lrs: readonly number[];
  /** 0, 0.05, …, 0.95. */
  readonly momenta: readonly number[];
}

export function rateGridAxes(fn: RotatedQuadratic, lrCount = 24, momentumCount = 20): RateGridAxes {
  const top = Math.max(...fn.eigenvalues);
  const lo = 0.02 / top;
  const hi = 4 / top;
  const lrs = Array.from({ length: lrCount }, (_, i) => lo * (hi / lo) ** (i / (lrCount - 1)));
  const momenta = Array.from({ length: momentumCount }, (_, j) => Number((j * 0.05).toFixed(2)));
  return { lrs, momenta };
}

/** Measured and predicted rates, row j = momenta[j], column i = lrs[i]. */
export interface RateGrid extends RateGridAxes {
  readonly measured: number[][];
  readonly predicted: number[][];
}

/** The cell with the smallest measured rate (ties: the first). */
export function bestCell(grid: RateGrid): {
  lr: number;
  momentum: number;
  i: number;
  j: number;
  rate: number;
} {
  let best = { lr: NaN, momentum: NaN, i: -1, j: -1, rate: Infinity };
  grid.measured.forEach((row, j) =>
    row.forEach((rate, i) => {
      if (rate < best.rate) best = { lr: grid.lrs[i], momentum: grid.momenta[j], i, j, rate };
    }),
  );
  return best;
}

/** The grid cell nearest to (lr, momentum): lr by ratio (the axis is geometric), momentum by difference. */
export function nearestCell(
  axes: RateGridAxes,
  lr: number,
  momentum: number,
): { i: number; j: number } {
  const nearest = (values: readonly number[], d: (v: number) => number) =>
    values.reduce((best, v, k) => (d(v) < d(values[best]) ? k : best), 0);
  return {
    i: nearest(axes.lrs, (v) => Math.abs(Math.log(v / lr))),
    j: nearest(axes.momenta, (v) => Math.abs(v - momentum)),
  };
}

export { heavyBallOptimum };
