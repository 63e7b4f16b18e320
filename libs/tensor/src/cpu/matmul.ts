import type { TypedArray } from '../types.js';

/**
 * C[M,N] = A[M,K] · B[K,N] with a 4×4 register-blocked micro-kernel.
 *
 * Both operands are first brought to "k-contiguous" layouts: A as rows of length K (A itself, or
 * Aᵀ packed when `transposeA`), B as Bᵀ (rows of length K: B itself when `transposeB`, else packed).
 * The kernel then keeps a 4×4 block of C in 16 locals and streams four rows of A and four rows of
 * Bᵀ through it: 8 loads feed 16 multiply-adds, and every load is sequential. Edges fall back to
 * a plain dot product. Packing costs O(K·(M+N)), negligible against the O(M·N·K) product.
 */
export function matmulInto(
  c: TypedArray,
  a: TypedArray,
  bt: TypedArray,
  m: number,
  n: number,
  k: number,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    for (let j = 0; j < n4; j += 4) {
      const b0 = j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0;
      let c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0;
      let c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p],
          x1 = a[a1 + p],
          x2 = a[a2 + p],
          x3 = a[a3 + p];
        const y0 = bt[b0 + p],
          y1 = bt[b1 + p],
          y2 = bt[b2 + p],
          y3 = bt[b3 + p];
        c00 += x0 * y0;
        c01 += x0 * y1;
        c02 += x0 * y2;
        c03 += x0 * y3;
        c10 += x1 * y0;
        c11 += x1 * y1;
        c12 += x1 * y2;
        c13 += x1 * y3;
        c20 += x2 * y0;
        c21 += x2 * y1;
        c22 += x2 * y2;
        c23 += x2 * y3;
        c30 += x3 * y0;
        c31 += x3 * y1;
        c32 += x3 * y2;
        c33 += x3 * y3;
      }
      let o = i * n + j;
      c[o] = c00;
      c[o + 1] = c01;
      c[o + 2] = c02;
      c[o + 3] = c03;
      o += n;
      c[o] = c10;
      c[o + 1] = c11;
      c[o + 2] = c12;
      c[o + 3] = c13;
      o += n;
      c[o] = c20;
      c[o + 1] = c21;
      c[o + 2] = c22;
      c[o + 3] = c23;
      o += n;
      c[o] = c30;
      c[o + 1] = c31;
      c[o + 2] = c32;
      c[o + 3] = c33;
    }
  }
  // Right edge (columns n4..n) for the blocked rows, then the bottom rows (m4..m) for all columns.
  for (let i = 0; i < m4; i++) {
    for (let j = n4; j < n; j++) c[i * n + j] = dot(a, i * k, bt, j * k, k);
  }
  for (let i = m4; i < m; i++) {
    for (let j = 0; j < n; j++) c[i * n + j] = dot(a, i * k, bt, j * k, k);
  }
}

function dot(a: TypedArray, ao: number, b: TypedArray, bo: number, k: number): number {
  let s = 0;
  for (let p = 0; p < k; p++) s += a[ao + p] * b[bo + p];
  return s;
}

/** out[c, r] = src[r, c] for a rows×cols matrix, in 32×32 tiles to stay in cache. */
export function transpose2dInto(
  out: TypedArray,
  src: TypedArray,
  rows: number,
  cols: number,
): void {
  const T = 32;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(r0 + T, rows);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(c0 + T, cols);
      for (let r = r0; r < r1; r++) {
        const base = r * cols;
        for (let c = c0; c < c1; c++) out[c * rows + r] = src[base + c];
      }
    }
  }
}
