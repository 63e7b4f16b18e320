import { describe, expect, it } from 'vitest';
import { matmulInto, transpose2dInto } from '../src/cpu/matmul.js';
import { cpu, Rng, type DType } from '../src/index.js';

/**
 * The register-blocked kernel against a naive triple loop. The kernel sums each C element over k
 * in index order in a double, exactly as the loop below does, so results must agree bit for bit
 * (float64) and after one rounding (float32) — a stricter check than a tolerance.
 */
function naive(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  n: number,
  k: number,
  { transposeA = false, transposeB = false } = {},
): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const x = transposeA ? a[p * m + i] : a[i * k + p];
        const y = transposeB ? b[j * k + p] : b[p * n + j];
        s += x * y;
      }
      out.push(s);
    }
  }
  return out;
}

function values(rng: Rng, count: number): number[] {
  return Array.from({ length: count }, () => rng.normal());
}

/** Sizes that hit every path: full 3×4 blocks, 1 or 2 leftover rows, 1–3 leftover columns. */
const SIZES: readonly [number, number, number][] = [
  [1, 1, 1],
  [1, 5, 3],
  [2, 3, 7],
  [3, 4, 1],
  [4, 7, 5],
  [5, 9, 2],
  [7, 3, 11],
  [11, 13, 17],
  [12, 16, 8],
  [23, 29, 31],
  [64, 65, 33],
];

describe('matmulInto (register-blocked kernel)', () => {
  it.each(SIZES)('equals a naive triple loop bit for bit in float64 at %i×%i·%i', (m, n, k) => {
    const rng = new Rng(m * 1000 + n * 10 + k);
    const a = Float64Array.from(values(rng, m * k));
    const b = Float64Array.from(values(rng, k * n));
    const bt = new Float64Array(n * k);
    transpose2dInto(bt, b, k, n);
    const c = new Float64Array(m * n).fill(Number.NaN);
    matmulInto(c, a, bt, m, n, k);
    expect(Array.from(c)).toEqual(naive(a, b, m, n, k));
  });

  it('writes zeros when k is 0 and touches nothing when m or n is 0', () => {
    const c = new Float64Array(6).fill(Number.NaN);
    matmulInto(c, new Float64Array(0), new Float64Array(0), 2, 3, 0);
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
    const untouched = new Float64Array(2).fill(7);
    matmulInto(untouched, new Float64Array(0), new Float64Array(8), 0, 4, 2);
    expect(Array.from(untouched)).toEqual([7, 7]);
  });
});

describe('transpose2dInto', () => {
  it('transposes across 32×32 tile edges', () => {
    const rows = 33;
    const cols = 70;
    const src = Float64Array.from({ length: rows * cols }, (_, i) => i);
    const out = new Float64Array(rows * cols);
    transpose2dInto(out, src, rows, cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) expect(out[c * rows + r]).toBe(r * cols + c);
    }
  });
});

describe('cpu backend matmul with transpose flags', () => {
  const FLAGS = [
    { transposeA: false, transposeB: false },
    { transposeA: true, transposeB: false },
    { transposeA: false, transposeB: true },
    { transposeA: true, transposeB: true },
  ];
  const DTYPE_CASES: readonly DType[] = ['float64', 'float32'];

  for (const dtype of DTYPE_CASES) {
    for (const flags of FLAGS) {
      it.each([
        [5, 7, 3],
        [13, 6, 10],
        [38, 41, 19],
      ])(
        `${dtype} transposeA=${flags.transposeA} transposeB=${flags.transposeB} at %i×%i·%i`,
        (m, n, k) => {
          // The JavaScript path sums in doubles and rounds once; the WebAssembly path (float32
          // sums) is held to the float32 rounding bound in wasm-matmul.test.ts.
          const be = cpu({ dtype, simd: 'js' });
          const rng = new Rng(m + 7 * n + 31 * k);
          const aShape = flags.transposeA ? [k, m] : [m, k];
          const bShape = flags.transposeB ? [n, k] : [k, n];
          const a = be.tensor(values(rng, m * k), aShape);
          const b = be.tensor(values(rng, k * n), bShape);
          const c = be.matmul(a, b, flags);
          expect(c.shape).toEqual([m, n]);
          // Reference from the values the backend actually holds (float32 inputs are rounded).
          const expected = naive(a.dataSync(), b.dataSync(), m, n, k, flags);
          const round = dtype === 'float32' ? Math.fround : (x: number) => x;
          expect(Array.from(c.dataSync())).toEqual(expected.map(round));
        },
      );
    }
  }
});
