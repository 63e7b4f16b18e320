/**
 * Median and spread of a metric over seeds, as DeepOBS/AlgoPerf report them: the median with
 * the range (min, max) and the interquartile range (type-7 quantiles, NumPy's default).
 */
export interface Spread {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly q1: number;
  readonly q3: number;
}

/**
 * NumPy's default (`linear`, type 7) quantile of sorted values.
 *
 * Infinite values (a diverged run counted as the worst loss) give the limit that a very large
 * finite value would give: between `x` and +∞ the quantile is +∞, between two equal values it is
 * that value; between −∞ and +∞ it is NaN. NumPy returns NaN whenever an infinity meets its
 * interpolation (∞ − ∞); for finite values the two agree exactly.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo];
  const b = sorted[hi];
  if (a === b || pos === lo) return a;
  if (a === -Infinity) return b === Infinity ? NaN : -Infinity;
  if (b === Infinity) return Infinity;
  return a + (b - a) * (pos - lo);
}

/** The spread of the finite values; null when there are none. */
export function spreadOf(values: readonly (number | null | undefined)[]): Spread | null {
  // Number.isFinite is false for NaN, ±Infinity, null and undefined: none of them has a rank.
  const finite = values.filter((v): v is number => Number.isFinite(v));
  if (finite.length === 0) return null;
  const sorted = [...finite].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantileSorted(sorted, 0.5),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    q1: quantileSorted(sorted, 0.25),
    q3: quantileSorted(sorted, 0.75),
  };
}
