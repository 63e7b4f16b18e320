/** A point: an array or a typed array of coordinates. */
export type Point = ArrayLike<number> & Iterable<number>;

/** A point where a test function attains a known minimum. */
export interface KnownMinimum {
  readonly x: readonly number[];
  readonly f: number;
}

/**
 * An optimisation test function with its analytic gradient, evaluated on the host in double
 * precision. Points are plain arrays of length `dim`.
 */
export interface TestFunction {
  /** Registry key, e.g. `rosenbrock`. */
  readonly kind: string;
  /** For humans, with its parameters, e.g. `Rosenbrock(a=1, b=100)`. */
  readonly name: string;
  readonly dim: number;
  f(x: Point): number;
  grad(x: Point): Float64Array;
  /** Global minima (every one, where there are several); empty when unbounded below. */
  readonly minima: readonly KnownMinimum[];
  /** Where a run starts unless the spec says otherwise. */
  readonly start: readonly number[];
  /** A box [min, max] per coordinate that shows the interesting part, for contour plots. */
  readonly domain: readonly (readonly [number, number])[];
}
