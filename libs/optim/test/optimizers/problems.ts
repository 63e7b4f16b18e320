/**
 * The three deterministic problems of tools/fixtures/optim/generate.py, with the same initial
 * parameters and the same analytic float64 gradients (same formulas, same summation order).
 */
export interface Problem {
  shapes: number[][];
  init(): Float64Array[];
  grad(params: readonly ArrayLike<number>[]): Float64Array[];
  /** The objective, for closures (generate_torch.py's losses: same formulas, same order). */
  loss(params: readonly ArrayLike<number>[]): number;
}

const QUAD_D = Array.from({ length: 10 }, (_, i) => 1 + 11 * i);
const LSQ_X = Array.from({ length: 4 }, (_, i) =>
  Array.from({ length: 8 }, (_, j) => (((i * 7 + j * 3) % 11) - 5) / 5),
);
const LSQ_Y = Array.from({ length: 3 }, (_, k) =>
  Array.from({ length: 8 }, (_, j) => (((k * 5 + j * 2) % 7) - 3) / 3),
);

export const PROBLEMS: Record<string, Problem> = {
  /** f(x, y) = (1 − x)² + 100(y − x²)², from (−1.5, 2). */
  rosenbrock: {
    shapes: [[2]],
    init: () => [Float64Array.from([-1.5, 2.0])],
    grad: ([p]) => {
      const [x, y] = [p[0], p[1]];
      return [Float64Array.from([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])];
    },
    loss: ([p]) => (1 - p[0]) ** 2 + 100 * (p[1] - p[0] * p[0]) ** 2,
  },
  /** f(x) = ½ Σ dᵢxᵢ², d = 1, 12, …, 100 (condition number 100), from x = 1. */
  quadratic: {
    shapes: [[10]],
    init: () => [new Float64Array(10).fill(1)],
    grad: ([p]) => [Float64Array.from(QUAD_D, (d, i) => d * p[i])],
    loss: ([p]) => {
      let s = 0;
      QUAD_D.forEach((d, i) => (s += d * p[i] * p[i]));
      return 0.5 * s;
    },
  },
  /** f(W, b) = ½·mean‖W X + b − Y‖², W [3, 4], b [3], 8 samples. */
  lstsq: {
    shapes: [[3, 4], [3]],
    init: () => [
      Float64Array.from(
        { length: 12 },
        (_, n) => (((Math.floor(n / 4) * 3 + (n % 4)) % 5) - 2) / 10,
      ),
      Float64Array.from([0.1, -0.2, 0.3]),
    ],
    grad: ([W, b]) => {
      const n = 8;
      const R = Array.from({ length: 3 }, (_, k) =>
        Array.from({ length: n }, (_, j) => {
          let s = b[k];
          for (let i = 0; i < 4; i++) s += W[k * 4 + i] * LSQ_X[i][j];
          return s - LSQ_Y[k][j];
        }),
      );
      const gW = new Float64Array(12);
      for (let k = 0; k < 3; k++) {
        for (let i = 0; i < 4; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += R[k][j] * LSQ_X[i][j];
          gW[k * 4 + i] = s / n;
        }
      }
      const gb = Float64Array.from({ length: 3 }, (_, k) => {
        let s = 0;
        for (let j = 0; j < n; j++) s += R[k][j];
        return s / n;
      });
      return [gW, gb];
    },
    loss: ([W, b]) => {
      const n = 8;
      let s = 0;
      for (let k = 0; k < 3; k++) {
        for (let j = 0; j < n; j++) {
          let r = b[k];
          for (let i = 0; i < 4; i++) r += W[k * 4 + i] * LSQ_X[i][j];
          r -= LSQ_Y[k][j];
          s += r * r;
        }
      }
      return s / (2 * n);
    },
  },
};

/**
 * generate_modern.py's matrix-only variants, for Muon (2-D parameters only). quadratic2d: the
 * quadratic with its 10 coordinates as a tall [5, 2] matrix (row-major), so that Newton–Schulz
 * takes its transposed branch; lstsqW: lstsq with the bias fixed at its initial value.
 */
const LSQ_B0 = Float64Array.from([0.1, -0.2, 0.3]);
Object.assign(PROBLEMS, {
  quadratic2d: {
    shapes: [[5, 2]],
    init: () => [new Float64Array(10).fill(1)],
    grad: ([p]) => [Float64Array.from(QUAD_D, (d, i) => d * p[i])],
    loss: (params) => PROBLEMS.quadratic.loss(params),
  },
  lstsqW: {
    shapes: [[3, 4]],
    init: () => [PROBLEMS.lstsq.init()[0]],
    grad: ([W]) => [PROBLEMS.lstsq.grad([W, LSQ_B0])[0]],
    loss: ([W]) => PROBLEMS.lstsq.loss([W, LSQ_B0]),
  },
} satisfies Record<string, Problem>);
