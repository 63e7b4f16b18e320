/**
 * The exact null distribution of the Mann–Whitney U statistic for samples of sizes m and n
 * without ties: every one of the C(m+n, m) orderings is equally likely, and the number of them
 * giving U = k is the coefficient of q^k in the Gaussian binomial
 *
 *   [m+n choose m]_q = Π_{i=1..m} (1 − q^(n+i)) / (1 − q^i).
 *
 * The counts are the ones SciPy 1.10 builds with the recursion of Di Bucchianico (1999),
 * f(m, n, k) = f(m−1, n, k−n) + f(m, n−1, k); the product form costs O(min(m, n) · k) instead of
 * O(m · n · k), so a sample of 8 seeds against 10,000 runs stays fast. Counts are exact
 * integers below 2^53 and within rounding (~1e-16 relative) above.
 */

/** Counts of U = 0..kMax over all orderings of m and n values. */
export function exactUCounts(m: number, n: number, kMax: number): Float64Array {
  const small = Math.min(m, n);
  const large = Math.max(m, n);
  const top = Math.min(kMax, m * n);
  const c = new Float64Array(top + 1);
  c[0] = 1;
  for (let i = 1; i <= small; i++) {
    // Divide by (1 − q^i): a power series, exact term by term up to `top`.
    for (let k = i; k <= top; k++) c[k] += c[k - i];
    // Multiply by (1 − q^(large+i)).
    for (let k = top; k >= large + i; k--) c[k] -= c[k - large - i];
  }
  return c;
}

/**
 * C(total, k) computed as SciPy's `special.binom` does for an integer k below 20 (the product
 * loop of scipy/special/orthogonal_eval.pxd, with k replaced by total − k when that is smaller),
 * so the probabilities divide by the same float.
 */
export function binomial(total: number, k: number): number {
  let kx = k;
  if (kx > total / 2 && total > 0) kx = total - kx;
  let num = 1;
  let den = 1;
  for (let i = 1; i <= kx; i++) {
    num *= i + total - kx;
    den *= i;
    if (Math.abs(num) > 1e50) {
      num /= den;
      den = 1;
    }
  }
  return num / den;
}

/**
 * P(U ≥ u) for the exact null distribution (the survival function, including the mass at u),
 * computed like SciPy: by symmetry as P(U ≤ mn − u), summing the probabilities in order.
 */
export function exactUSf(u: number, m: number, n: number): number {
  const k = m * n - u;
  if (k < 0) return 0;
  const counts = exactUCounts(m, n, k);
  const total = binomial(m + n, Math.min(m, n));
  let cdf = 0;
  for (let j = 0; j <= k; j++) cdf += counts[j] / total;
  return cdf;
}
