import type { KnownMinimum, Point, TestFunction } from './test-function.js';

/*
 * The test functions, each with its gradient written out beside it. References: Rosenbrock
 * (1960); Beale (1958); Himmelblau (1972); Rastrigin (1974); Ackley (1987); the forms and minima
 * are those of the usual optimisation test-function tables (e.g. Jamil & Yang, 2013).
 */

const TWO_PI = 2 * Math.PI;

function box2(lo: number, hi: number): (readonly [number, number])[] {
  return [
    [lo, hi],
    [lo, hi],
  ];
}

/** f(x, y) = (a − x)² + b·(y − x²)²; minimum 0 at (a, a²), at the end of a curved valley. */
export function rosenbrock(a = 1, b = 100): TestFunction {
  return {
    kind: 'rosenbrock',
    name: `Rosenbrock(a=${a}, b=${b})`,
    dim: 2,
    f: ([x, y]: Point) => (a - x) ** 2 + b * (y - x * x) ** 2,
    grad: ([x, y]: Point) =>
      Float64Array.of(-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)),
    minima: [{ x: [a, a * a], f: 0 }],
    start: [-1.2, 1],
    domain: [
      [-2, 2],
      [-1, 3],
    ],
  };
}

/** f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²; minimum 0 at (3, 0.5). */
export function beale(): TestFunction {
  return {
    kind: 'beale',
    name: 'Beale',
    dim: 2,
    f: ([x, y]: Point) =>
      (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2,
    grad: ([x, y]: Point) => {
      const t1 = 1.5 - x + x * y;
      const t2 = 2.25 - x + x * y * y;
      const t3 = 2.625 - x + x * y ** 3;
      return Float64Array.of(
        2 * t1 * (y - 1) + 2 * t2 * (y * y - 1) + 2 * t3 * (y ** 3 - 1),
        2 * t1 * x + 4 * t2 * x * y + 6 * t3 * x * y * y,
      );
    },
    minima: [{ x: [3, 0.5], f: 0 }],
    start: [1, 1.5],
    domain: box2(-4.5, 4.5),
  };
}

/** f = (x² + y − 11)² + (x + y² − 7)²; four minima, all 0. */
export function himmelblau(): TestFunction {
  return {
    kind: 'himmelblau',
    name: 'Himmelblau',
    dim: 2,
    f: ([x, y]: Point) => (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
    grad: ([x, y]: Point) => {
      const u = x * x + y - 11;
      const v = x + y * y - 7;
      return Float64Array.of(4 * x * u + 2 * v, 2 * u + 4 * y * v);
    },
    minima: [
      { x: [3, 2], f: 0 },
      { x: [-2.805118086952745, 3.131312518250573], f: 0 },
      { x: [-3.779310253377747, -3.28318599128617], f: 0 },
      { x: [3.584428340330492, -1.848126526964404], f: 0 },
    ],
    start: [0, 0],
    domain: box2(-5, 5),
  };
}

/** f = A·n + Σ (xᵢ² − A·cos 2πxᵢ); many local minima, global minimum 0 at the origin. */
export function rastrigin(dim = 2, A = 10): TestFunction {
  return {
    kind: 'rastrigin',
    name: `Rastrigin(dim=${dim}, A=${A})`,
    dim,
    f: (x: Point) => {
      let s = A * dim;
      for (let i = 0; i < dim; i++) s += x[i] * x[i] - A * Math.cos(TWO_PI * x[i]);
      return s;
    },
    grad: (x: Point) => {
      const g = new Float64Array(dim);
      for (let i = 0; i < dim; i++) g[i] = 2 * x[i] + TWO_PI * A * Math.sin(TWO_PI * x[i]);
      return g;
    },
    minima: [{ x: new Array<number>(dim).fill(0), f: 0 }],
    start: new Array<number>(dim).fill(2.2),
    domain: new Array(dim).fill([-5.12, 5.12] as const),
  };
}

/**
 * f = −a·exp(−b·√(Σxᵢ²/n)) − exp(Σ cos(c·xᵢ)/n) + a + e, with a = 20, b = 0.2, c = 2π;
 * global minimum 0 at the origin. The first term has no gradient at the origin itself (a cone
 * tip); there the gradient returned is its limit along no direction, 0.
 */
export function ackley(dim = 2): TestFunction {
  const a = 20;
  const b = 0.2;
  const c = TWO_PI;
  return {
    kind: 'ackley',
    name: `Ackley(dim=${dim})`,
    dim,
    f: (x: Point) => {
      let sq = 0;
      let cs = 0;
      for (let i = 0; i < dim; i++) {
        sq += x[i] * x[i];
        cs += Math.cos(c * x[i]);
      }
      return -a * Math.exp(-b * Math.sqrt(sq / dim)) - Math.exp(cs / dim) + a + Math.E;
    },
    grad: (x: Point) => {
      let sq = 0;
      let cs = 0;
      for (let i = 0; i < dim; i++) {
        sq += x[i] * x[i];
        cs += Math.cos(c * x[i]);
      }
      const r = Math.sqrt(sq / dim);
      const radial = r === 0 ? 0 : (a * b * Math.exp(-b * r)) / (dim * r);
      const wave = (Math.exp(cs / dim) * c) / dim;
      const g = new Float64Array(dim);
      for (let i = 0; i < dim; i++) g[i] = radial * x[i] + wave * Math.sin(c * x[i]);
      return g;
    },
    minima: [{ x: new Array<number>(dim).fill(0), f: 0 }],
    start: new Array<number>(dim).fill(3),
    domain: new Array(dim).fill([-5, 5] as const),
  };
}

/** f = (x + 2y − 7)² + (2x + y − 5)²; a convex quadratic, minimum 0 at (1, 3). */
export function booth(): TestFunction {
  return {
    kind: 'booth',
    name: 'Booth',
    dim: 2,
    f: ([x, y]: Point) => (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2,
    grad: ([x, y]: Point) => {
      const u = x + 2 * y - 7;
      const v = 2 * x + y - 5;
      return Float64Array.of(2 * u + 4 * v, 4 * u + 2 * v);
    },
    minima: [{ x: [1, 3], f: 0 }],
    start: [-6, -4],
    domain: box2(-10, 10),
  };
}

/**
 * f = x² − y²: a saddle at the origin and no minimum (unbounded below along y). The start sits
 * just off the ridge so that a method's escape from the saddle shows.
 */
export function saddle(): TestFunction {
  return {
    kind: 'saddle',
    name: 'Saddle x² − y²',
    dim: 2,
    f: ([x, y]: Point) => x * x - y * y,
    grad: ([x, y]: Point) => Float64Array.of(2 * x, -2 * y),
    minima: [],
    start: [1, 1e-3],
    domain: box2(-2, 2),
  };
}

/** The tutorial's `quadratic_function`: f(x) = x², f′(x) = 2x, from x = 2.0. */
export function xSquared(): TestFunction {
  return {
    kind: 'x-squared',
    name: 'x²',
    dim: 1,
    f: (x: Point) => x[0] * x[0],
    grad: (x: Point) => Float64Array.of(2 * x[0]),
    minima: [{ x: [0], f: 0 }],
    start: [2],
    domain: [[-3, 3]],
  };
}

/** Curvatures a quadratic's name lists before it shortens to the first few and the dimension. */
const QUADRATIC_NAME_COEFFICIENTS = 8;

/**
 * A diagonal quadratic f(x) = ½·Σ cᵢ·xᵢ², ∇f = (cᵢ·xᵢ): the coefficients are the curvatures
 * (the Hessian's diagonal), so their ratio is the condition number. Minimum 0 at the origin when
 * every cᵢ > 0.
 */
export function quadratic(coefficients: readonly number[]): TestFunction {
  const c = [...coefficients];
  const dim = c.length;
  const convex = c.every((v) => v > 0);
  const minima: KnownMinimum[] = convex ? [{ x: new Array<number>(dim).fill(0), f: 0 }] : [];
  return {
    kind: 'quadratic',
    // The name travels in every run's start event: a 10,000-D quadratic lists a few curvatures.
    name:
      dim <= QUADRATIC_NAME_COEFFICIENTS
        ? `Quadratic(c=[${c.join(', ')}])`
        : `Quadratic(${dim}-D, c=[${c.slice(0, QUADRATIC_NAME_COEFFICIENTS).join(', ')}, …])`,
    dim,
    f: (x: Point) => {
      let s = 0;
      for (let i = 0; i < dim; i++) s += c[i] * x[i] * x[i];
      return 0.5 * s;
    },
    grad: (x: Point) => {
      const g = new Float64Array(dim);
      for (let i = 0; i < dim; i++) g[i] = c[i] * x[i];
      return g;
    },
    minima,
    start: new Array<number>(dim).fill(1),
    domain: new Array(dim).fill([-2, 2] as const),
  };
}
