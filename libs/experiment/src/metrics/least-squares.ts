/**
 * The least-squares solution of a linear regression, to print beside the weights an optimizer
 * reached: argmin_w ‖X_b·w − y‖² with X_b = [1, X] (bias first, like the tutorial's weights),
 * solved in float64 by Householder QR (stable where the normal equations lose digits).
 *
 * The solution is unique only when X_b has full column rank. Data without that (fewer samples
 * than weights, a constant feature, collinear features) is a fact about a user's CSV, not a bug:
 * the result says why there is no reference solution, and the caller leaves the metric empty.
 */
export type LeastSquares =
  | { readonly ok: true; readonly weights: number[] }
  | { readonly ok: false; readonly reason: string };

/**
 * A column whose remaining norm, once the columns before it are projected out, is at most
 * max(n, columns) machine epsilons of its own norm counts as a linear combination of them: the
 * relative cut-off NumPy's `lstsq` applies to singular values (its default rcond).
 */
const RANK_TOLERANCE = Number.EPSILON;

/**
 * @param x row-major [n, features]
 * @param y length n
 * @returns the weights [b, w₁, …, w_features], or why there is no unique solution
 */
export function leastSquares(x: ArrayLike<number>, y: ArrayLike<number>, n: number): LeastSquares {
  const features = x.length / n;
  if (!Number.isInteger(features) || y.length !== n) {
    // The caller's shapes disagree: a bug in OptLab, not a property of the data.
    throw new Error(`leastSquares: x has ${x.length} values and y ${y.length} for n = ${n}`);
  }
  const cols = features + 1;
  if (n < cols) {
    return {
      ok: false,
      reason: `${cols} weights (the bias and ${features} features) need at least ${cols} samples, got ${n}`,
    };
  }
  // A = X_b (column-major copy for the QR sweep), b = y.
  const a = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    a[i] = 1;
    for (let j = 0; j < features; j++) a[(j + 1) * n + i] = x[i * features + j];
  }
  const b = Float64Array.from(y);
  if (!a.every(Number.isFinite) || !b.every(Number.isFinite)) {
    return { ok: false, reason: 'the data holds a value that is not a finite number' };
  }
  const tolerance = Math.max(n, cols) * RANK_TOLERANCE;
  for (let k = 0; k < cols; k++) {
    const col = k * n;
    // The norm of the whole column is the original column's (reflections are orthogonal); the
    // norm from row k down is what the columns before it leave of it.
    let columnNorm = 0;
    let norm = 0;
    for (let i = 0; i < n; i++) {
      const sq = a[col + i] ** 2;
      columnNorm += sq;
      if (i >= k) norm += sq;
    }
    norm = Math.sqrt(norm);
    if (norm <= tolerance * Math.sqrt(columnNorm)) {
      return {
        ok: false,
        reason:
          `rank deficient: feature ${k} is constant or a linear combination of ` +
          (k === 1 ? 'the bias' : `the bias and features 1 to ${k - 1}`),
      };
    }
    // The sign opposite to the pivot's, so that v_k = a_kk − alpha adds two numbers of one sign
    // and never cancels (with the other sign, a column already close to e_k loses its digits).
    const alpha = a[col + k] > 0 ? -norm : norm;
    // v = a_k − alpha·e_k, stored in place.
    a[col + k] -= alpha;
    let vv = 0;
    for (let i = k; i < n; i++) vv += a[col + i] ** 2;
    const reflect = (target: Float64Array, offset: number) => {
      let dot = 0;
      for (let i = k; i < n; i++) dot += a[col + i] * target[offset + i];
      const f = (2 * dot) / vv;
      for (let i = k; i < n; i++) target[offset + i] -= f * a[col + i];
    };
    for (let j = k + 1; j < cols; j++) reflect(a, j * n);
    reflect(b, 0);
    // R's diagonal entry; the rest of column k below it is no longer needed.
    a[col + k] = alpha;
  }
  const w = new Float64Array(cols);
  // Stryker disable next-line ArithmeticOperator: starting past the last weight only writes past the end of w, which a Float64Array drops (equivalent)
  for (let k = cols - 1; k >= 0; k--) {
    let s = b[k];
    for (let j = k + 1; j < cols; j++) s -= a[j * n + k] * w[j];
    w[k] = s / a[k * n + k];
  }
  return { ok: true, weights: Array.from(w) };
}
