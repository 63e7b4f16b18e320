import type { TypedArray } from '../types.js';

/**
 * C[M,N] = A[M,K] · B[K,N], register-blocked.
 *
 * Both operands arrive in "k-contiguous" layouts (cpu/backend.ts packs them): `a` as rows of
 * length K (A itself, or Aᵀ transposed), `bt` as Bᵀ, rows of length K (B itself when
 * `transposeB`, else transposed). Every load in the inner loops is then sequential.
 *
 * The micro-kernel holds a 3×4 block of C in 12 locals and streams three rows of A and four rows
 * of Bᵀ through it: 7 loads feed 12 multiply-adds per step of k. Why 3×4 and not 4×4: x64 has 16
 * floating-point registers and V8 emits all of a step's products before its sums, so a 4×4 block
 * (16 accumulators + 16 products) spills more to the stack than a 3×4 block does. Measured on
 * V8 11 / Node 20 (interleaved, float32): 3×4 runs ~10% faster than 4×4 at 128–512, ~5 GFLOP/s
 * on one core; 2×4, 2×5, 2×6, 3×3, 3×5, 4×2, 4×3, 5×2, k-unrolled, `subarray`-indexed,
 * overflow-masked indices and N-blocking were no faster, packed K-blocked float64 panels at most
 * ~3% (not worth their scratch copies): a 512×512 Bᵀ already streams from L2 at this speed, and
 * the limit is V8's per-load bounds checks and spills. `npm run bench` compares it with tfjs.
 * Rows left over (M mod 3) run a 1×4 kernel, columns left over (N mod 4) a plain dot product.
 *
 * Each C element is one sum over k in index order, accumulated in a double and stored once, so
 * float64 results equal a naive triple loop's bit for bit; float32 results are rounded once.
 */
export function matmulInto(
  c: TypedArray,
  a: TypedArray,
  bt: TypedArray,
  m: number,
  n: number,
  k: number,
): void {
  const m3 = m - (m % 3);
  const n4 = n - (n % 4);
  for (let i = 0; i < m3; i += 3) {
    const a0 = i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
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
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p];
        const x1 = a[a1 + p];
        const x2 = a[a2 + p];
        const y0 = bt[b0 + p];
        c00 += x0 * y0;
        c10 += x1 * y0;
        c20 += x2 * y0;
        const y1 = bt[b1 + p];
        c01 += x0 * y1;
        c11 += x1 * y1;
        c21 += x2 * y1;
        const y2 = bt[b2 + p];
        c02 += x0 * y2;
        c12 += x1 * y2;
        c22 += x2 * y2;
        const y3 = bt[b3 + p];
        c03 += x0 * y3;
        c13 += x1 * y3;
        c23 += x2 * y3;
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
    }
  }
  for (let i = m3; i < m; i++) rowTimesPanels(c, a, bt, i, n4, n, k);
  // Right edge (columns n4..n) of every row.
  for (let i = 0; i < m; i++) {
    for (let j = n4; j < n; j++) c[i * n + j] = dot(a, i * k, bt, j * k, k);
  }
}

/** C[i, 0..n4) for one row of A, four columns at a time (the rows below the 3-row blocks). */
function rowTimesPanels(
  c: TypedArray,
  a: TypedArray,
  bt: TypedArray,
  i: number,
  n4: number,
  n: number,
  k: number,
): void {
  const a0 = i * k;
  for (let j = 0; j < n4; j += 4) {
    const b0 = j * k;
    const b1 = b0 + k;
    const b2 = b1 + k;
    const b3 = b2 + k;
    let c0 = 0,
      c1 = 0,
      c2 = 0,
      c3 = 0;
    for (let p = 0; p < k; p++) {
      const x = a[a0 + p];
      c0 += x * bt[b0 + p];
      c1 += x * bt[b1 + p];
      c2 += x * bt[b2 + p];
      c3 += x * bt[b3 + p];
    }
    const o = i * n + j;
    c[o] = c0;
    c[o + 1] = c1;
    c[o + 2] = c2;
    c[o + 3] = c3;
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
