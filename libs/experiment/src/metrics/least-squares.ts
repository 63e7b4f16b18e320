/**
 * The least-squares solution of a linear regression, to print beside the weights an optimizer
 * reached: argmin_w ‖X_b·w − y‖² with X_b = [1, X] (bias first, like the tutorial's weights),
 * solved in float64 by Householder QR (stable where the normal equations lose digits).
 *
 * @param x row-major [n, features]
 * @param y length n
 * @returns [b, w₁, …, w_features]
 */
export function leastSquares(x: ArrayLike<number>, y: ArrayLike<number>, n: number): number[] {
  const features = x.length / n;
  if (!Number.isInteger(features) || y.length !== n) {
    throw new Error(`leastSquares: x has ${x.length} values and y ${y.length} for n = ${n}`);
  }
  const cols = features + 1;
  if (n < cols) throw new Error(`leastSquares: needs at least ${cols} samples, got ${n}`);
  // A = X_b (column-major copy for the QR sweep), b = y.
  const a = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    a[i] = 1;
    for (let j = 0; j < features; j++) a[(j + 1) * n + i] = x[i * features + j];
  }
  const b = Float64Array.from(y);
  for (let k = 0; k < cols; k++) {
    const col = k * n;
    let norm = 0;
    for (let i = k; i < n; i++) norm += a[col + i] ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) throw new Error(`leastSquares: column ${k} of [1, X] is zero (rank deficient)`);
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
  const w = new Array<number>(cols).fill(0);
  for (let k = cols - 1; k >= 0; k--) {
    let s = b[k];
    for (let j = k + 1; j < cols; j++) s -= a[j * n + k] * w[j];
    w[k] = s / a[k * n + k];
  }
  return w;
}
