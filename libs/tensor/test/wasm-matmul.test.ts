import { describe, expect, it } from 'vitest';
import { cpu, Rng } from '../src/index.js';
import { MR, NR, packA, packB } from '../src/wasm/matmul.js';

/** A·B in doubles, from row-major A [m,k] and B [k,n]. */
function naive(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      c[i * n + j] = s;
    }
  return c;
}

function transposed(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = x[r * cols + c];
  return out;
}

describe('wasm simd matmul', () => {
  const be = cpu({ simd: 'wasm' });
  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [4, 8, 1],
    [3, 7, 5],
    [5, 9, 13],
    [8, 16, 32],
    [13, 17, 3],
    [33, 65, 17],
    [64, 10, 784],
    [0, 5, 3],
    [4, 0, 3],
    [4, 5, 0],
  ];
  for (const [m, n, k] of sizes) {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`${m}x${k} · ${k}x${n} transposeA=${ta} transposeB=${tb}: within float32 rounding of the exact sum`, () => {
        const rng = new Rng(m * 1000 + n * 10 + k);
        const a = new Float32Array(m * k);
        const b = new Float32Array(k * n);
        rng.fillUniform(a, -1, 1);
        rng.fillUniform(b, -1, 1);
        const ta_ = be.tensor(ta ? transposed(a, m, k) : a, ta ? [k, m] : [m, k]);
        const tb_ = be.tensor(tb ? transposed(b, k, n) : b, tb ? [n, k] : [k, n]);
        const c = be.matmul(ta_, tb_, { transposeA: ta, transposeB: tb });
        expect(c.shape).toEqual([m, n]);
        const got = c.dataSync();
        const want = naive(a, b, m, n, k);
        // k float32 roundings of partial sums, each at most 2⁻²⁴ of a sum bounded by k.
        const bound = Math.max(k, 1) * 2 ** -24 * Math.max(k, 1);
        for (let i = 0; i < want.length; i++)
          expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(bound);
      });
    }
  }

  it('packs A in 4-row and B in 8-column panels, k-major, zero-padded', () => {
    // A = [[1,2],[3,4],[5,6]] (3×2): one panel, rows 3 padded with zeros.
    const ap = new Float32Array(MR * 2);
    packA(ap, new Float32Array([1, 2, 3, 4, 5, 6]), 3, 2, false);
    expect(Array.from(ap)).toEqual([1, 3, 5, 0, 2, 4, 6, 0]);
    const apT = new Float32Array(MR * 2);
    packA(apT, new Float32Array([1, 3, 5, 2, 4, 6]), 3, 2, true);
    expect(Array.from(apT)).toEqual(Array.from(ap));
    // B = [[1,2,3],[4,5,6]] (2×3): one panel of 8 columns.
    const bp = new Float32Array(NR * 2);
    packB(bp, new Float32Array([1, 2, 3, 4, 5, 6]), 2, 3, false);
    expect(Array.from(bp)).toEqual([1, 2, 3, 0, 0, 0, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0]);
    const bpT = new Float32Array(NR * 2);
    packB(bpT, new Float32Array([1, 4, 2, 5, 3, 6]), 2, 3, true);
    expect(Array.from(bpT)).toEqual(Array.from(bp));
  });

  it('runs on the wasm path and returns its packing scratch to the heap', () => {
    const local = cpu({ simd: 'wasm' });
    const a = local.ones([40, 30]);
    const b = local.ones([30, 20]);
    const before = local.stats().liveBytes;
    const c = local.matmul(a, b);
    expect(Array.from(c.dataSync()).every((v) => v === 30)).toBe(true);
    expect(local.stats().liveBytes).toBe(before + 40 * 20 * 4);
    expect(local.kernelPaths()['matmul: wasm simd']).toBe(1);
    c.dispose();
    const pooled = local.pooledBytes();
    local.matmul(a, b).dispose();
    expect(local.pooledBytes()).toBe(pooled);
  });
});
