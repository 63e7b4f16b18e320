/** Order statistics of a benchmark's per-round figures. */
export interface Summary {
  median: number;
  /** First and third quartiles (linear interpolation between order statistics). */
  q1: number;
  q3: number;
  min: number;
  max: number;
  /** How many rounds the figures come from. */
  n: number;
}

/** The p-quantile (0 ≤ p ≤ 1) of sorted values, interpolating linearly. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('quantile: no values');
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    n: sorted.length,
  };
}

/** The interquartile range relative to the median, in percent: the spread printed beside it. */
export function relativeIqr(s: Summary): number {
  return s.median === 0 ? 0 : (100 * (s.q3 - s.q1)) / Math.abs(s.median);
}
