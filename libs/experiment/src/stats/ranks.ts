/**
 * Ranks with ties averaged (`scipy.stats.rankdata(x)`, method 'average'): the smallest value
 * has rank 1, and values that tie share the mean of the ranks they span. Equal infinities tie.
 * Also returns the tie term Σ(t³ − t) over the groups of t tied values, which the Mann–Whitney
 * variance needs.
 */
export function averageRanks(values: ArrayLike<number>): { ranks: Float64Array; tieTerm: number } {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) =>
    compare(values[i], values[j]),
  );
  const ranks = new Float64Array(n);
  let tieTerm = 0;
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    // Positions start..end-1 hold ranks start+1..end; their mean is (start + 1 + end) / 2.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    const t = end - start;
    tieTerm += t * t * t - t;
    start = end;
  }
  return { ranks, tieTerm };
}

/** Whether any two values are equal (the same infinity included). */
export function hasTies(values: ArrayLike<number>): boolean {
  const sorted = Float64Array.from(values).sort();
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) return true;
  return false;
}

// Numeric order in which equal infinities compare equal (a − b would give NaN for them).
function compare(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
