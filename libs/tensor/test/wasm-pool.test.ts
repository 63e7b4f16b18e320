import { describe, expect, it } from 'vitest';
import { cpu, planPool2d, tidy, type Pool2dOptions, type Shape } from '../src/index.js';
import { isPlain2x2, poolTables } from '../src/wasm/pool.js';

/**
 * The WebAssembly pooling kernels (wasm/pool.ts) against the JavaScript loops, which follow
 * PyTorch's rule element by element: max pooling bit for bit (signed zeros, NaN, ties, the
 * gradient's index), average pooling within float32 rounding. The PyTorch fixtures of the
 * conformance suite check both paths against PyTorch itself.
 */

/** Values with ties, signed zeros, NaN and infinities, deterministic in `seed`. */
function edgyValues(count: number, seed: number): number[] {
  const pool = [0, -0, 1, -1, 1, 0.5, NaN, Infinity, -Infinity, 2, 2, -0.25, 3];
  return Array.from({ length: count }, (_, i) => {
    const k = (i * 7919 + seed * 104729) % 997;
    return k < 300 ? pool[k % pool.length] : (k - 500) / 64;
  });
}

/** Distinct finite values only (ties and NaN make no difference to an average). */
function plainValues(count: number, seed: number): number[] {
  return Array.from({ length: count }, (_, i) => (((i * 7919 + seed * 104729) % 1021) - 510) / 64);
}

/** The JavaScript path's NaN for every NaN (payloads may differ), the rest bit for bit. */
function sameBits(got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) {
      throw new Error(`element ${i}: wasm ${got[i]}, js ${want[i]}`);
    }
  }
}

interface PoolCase {
  x: Shape;
  options: Pool2dOptions;
}

/** Kernels 1–4 by 1–3, strides 1–3 (1 and 2 have vector columns, 3 runs scalar), all paddings. */
function cases(): PoolCase[] {
  const out: PoolCase[] = [];
  for (const [kh, kw] of [
    [2, 2],
    [3, 3],
    [1, 3],
    [4, 2],
    [2, 1],
  ]) {
    for (const sw of [1, 2, 3]) {
      for (let pw = 0; 2 * pw <= kw; pw++) {
        const ph = Math.min(1, Math.floor(kh / 2));
        for (const w of [kw, 7, 13, 22]) {
          if (w + 2 * pw < kw) continue;
          out.push({
            x: [2, 2, 6, w],
            options: { kernelSize: [kh, kw], stride: [Math.max(1, sw - 1), sw], padding: [ph, pw] },
          });
        }
      }
    }
  }
  return out;
}

describe('wasm simd pooling', () => {
  it('the window tables and vector range: interior blocks of four, edges and tails scalar', () => {
    const plan = planPool2d('t', [1, 1, 28, 28], { kernelSize: 2 });
    const t = poolTables(plan);
    // wo = 14: blocks at 0, 4, 8 (the second load of the block at 8 ends at column 23 < 28),
    // then one at 10 loaded from column 19 (odd lanes), which covers 12 and 13.
    expect([t.stride, t.vecLo, t.vecHi, t.vecLast]).toEqual([2, 0, 12, 10]);
    expect(Array.from(t.cols.slice(0, 4))).toEqual([0, 2, 2, 4]);
    const padded = poolTables(
      planPool2d('t', [1, 1, 5, 23], { kernelSize: 3, stride: 1, padding: 1 }),
    );
    // Column 0's window is clipped by the padding; blocks run 1..20, one more covers 18..21, and
    // 22 (clipped) runs scalar.
    expect([padded.stride, padded.vecLo, padded.vecHi, padded.vecLast]).toEqual([1, 1, 21, 18]);
    expect(Array.from(padded.cols.slice(0, 4))).toEqual([0, 2, 0, 3]);
    expect(Array.from(padded.rows.slice(-2))).toEqual([3, 5]);
    const strided = poolTables(planPool2d('t', [1, 1, 9, 30], { kernelSize: 3, stride: 3 }));
    expect([strided.stride, strided.vecLo, strided.vecHi, strided.vecLast]).toEqual([1, 0, 0, -1]);
    // Too narrow for a block: every column scalar.
    const narrow = poolTables(planPool2d('t', [1, 1, 4, 6], { kernelSize: 2 }));
    expect(narrow.vecHi - narrow.vecLo).toBe(0);
  });

  const all = cases();
  it(`max pooling and its gradient match the JavaScript path bit for bit (${all.length} layouts)`, () => {
    const wasm = cpu({ simd: 'wasm' });
    const js = cpu({ simd: 'js' });
    let vectorLayouts = 0;
    let lastBlocks = 0;
    for (const [k, c] of all.entries()) {
      const plan = planPool2d('maxPool2d', c.x, c.options);
      const t = poolTables(plan);
      if (t.vecHi > t.vecLo) vectorLayouts++;
      if (t.vecLast >= 0) lastBlocks++;
      const xs = edgyValues(plan.n * plan.c * plan.h * plan.w, k);
      const dys = plainValues(plan.n * plan.c * plan.ho * plan.wo, k + 1);
      const [got, want] = [wasm, js].map((be) =>
        tidy(() => {
          const x = be.tensor(xs, c.x);
          const dy = be.tensor(dys, plan.outShape);
          return [be.maxPool2d(x, c.options), be.maxPool2dBackward(dy, x, c.options)].map(
            (r) => r.dataSync() as Float32Array,
          );
        }),
      );
      try {
        sameBits(got[0], want[0]);
        sameBits(got[1], want[1]);
      } catch (err) {
        throw new Error(`${JSON.stringify(c)}: ${(err as Error).message}`);
      }
    }
    expect(vectorLayouts).toBeGreaterThan(all.length / 3);
    expect(lastBlocks).toBeGreaterThan(all.length / 6);
    expect(wasm.kernelPaths()).toEqual({
      'maxPool2d: wasm simd': all.length,
      'maxPool2dBackward: wasm simd': all.length,
    });
  });

  it('plain 2x2 stride 2 pooling (its own one-pass kernel): max bit for bit, average within rounding', () => {
    const wasm = cpu({ simd: 'wasm' });
    const js = cpu({ simd: 'js' });
    let fast = 0;
    // Widths 6–21 (a last overlapping block where wo is not a multiple of 4), odd heights.
    for (let w = 6; w <= 21; w++) {
      for (const h of [2, 5, 8]) {
        const shape: Shape = [2, 3, h, w];
        const plan = planPool2d('maxPool2d', shape, { kernelSize: 2 });
        if (isPlain2x2(plan)) fast++;
        const xs = edgyValues(2 * 3 * h * w, w * 10 + h);
        const [got, want] = [wasm, js].map((be) =>
          tidy(() => be.maxPool2d(be.tensor(xs, shape), { kernelSize: 2 }).dataSync()),
        );
        try {
          sameBits(got as Float32Array, want as Float32Array);
        } catch (err) {
          throw new Error(`${JSON.stringify(shape)}: ${(err as Error).message}`);
        }
        const plain = plainValues(2 * 3 * h * w, w * 10 + h);
        const [avg, avgJs] = [wasm, js].map((be) =>
          tidy(() => be.avgPool2d(be.tensor(plain, shape), { kernelSize: 2 }).dataSync()),
        );
        avgJs.forEach((v, i) => expect(Math.abs(avg[i] - v)).toBeLessThanOrEqual(1e-6 * 8));
      }
    }
    expect(fast).toBe(14 * 3); // every width from 8 up
    expect(isPlain2x2(planPool2d('t', [1, 1, 8, 8], { kernelSize: 2, padding: 1 }))).toBe(false);
    expect(isPlain2x2(planPool2d('t', [1, 1, 8, 8], { kernelSize: 2, stride: 1 }))).toBe(false);
  });

  it('signed zeros: the first zero in row-major order wins, on every path', () => {
    // Four 2x2 windows: [[-1, +0], [-0, -1]] → +0, [[-1, -0], [+0, -1]] → -0,
    // [[-0, +0], [+0, -2]] → -0, [[+0, -0], [-3, -0]] → +0 (column-major order would differ).
    const x = [-1, 0, -1, -0, -0, 0, 0, -0, -0, -1, 0, -1, 0, -2, -3, -0];
    const want = [0, -0, -0, 0];
    for (const be of [cpu({ simd: 'wasm' }), cpu({ simd: 'js' }), cpu({ dtype: 'float64' })]) {
      const t = be.tensor(x, [1, 1, 2, 8]);
      const fast = Array.from(be.maxPool2d(t, { kernelSize: 2 }).dataSync());
      expect(fast.map((v, i) => Object.is(v, want[i]))).toEqual([true, true, true, true]);
      // Stride [2, 1] runs the two-pass kernel on the wasm path; its even windows are the same.
      const general = Array.from(be.maxPool2d(t, { kernelSize: 2, stride: [2, 1] }).dataSync());
      const even = general.filter((_, i) => i % 2 === 0);
      expect(even.map((v, i) => Object.is(v, want[i]))).toEqual([true, true, true, true]);
    }
  });

  it(`average pooling matches the JavaScript path within float32 rounding (${all.length} layouts)`, () => {
    const wasm = cpu({ simd: 'wasm' });
    const js = cpu({ simd: 'js' });
    for (const [k, c] of all.entries()) {
      const xs = plainValues(
        c.x.reduce((a, b) => a * b),
        k,
      );
      const [got, want] = [wasm, js].map((be) =>
        tidy(() => be.avgPool2d(be.tensor(xs, c.x), c.options).dataSync()),
      );
      expect(got.length).toBe(want.length);
      want.forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThanOrEqual(1e-6 * 8));
    }
    expect(wasm.kernelPaths()).toEqual({ 'avgPool2d: wasm simd': all.length });
  });

  it('scratch is taken before any view: growth in the middle of the ops changes nothing', () => {
    const shape: Shape = [4, 8, 28, 28]; // 100 KiB per tensor; the memory starts at 64 KiB
    const options = { kernelSize: 2 };
    const xs = edgyValues(4 * 8 * 28 * 28, 9);
    const wasm = cpu({ simd: 'wasm', initialMemoryPages: 1 });
    const js = cpu({ simd: 'js' });
    const [got, want] = [wasm, js].map((be) => {
      const x = be.tensor(xs, shape);
      const y = be.maxPool2d(x, options);
      return [y, be.maxPool2dBackward(y, x, options), be.avgPool2d(x, options)].map(
        (t) => t.dataSync() as Float32Array,
      );
    });
    expect(wasm.memoryInfo()!.grows).toBeGreaterThan(0);
    sameBits(got[0], want[0]);
    sameBits(got[1], want[1]);
    want[2].forEach((v, i) => {
      if (Number.isNaN(v)) expect(got[2][i]).toBeNaN();
      else expect(got[2][i]).toBeCloseTo(v, 5);
    });
  });

  it('a repeated tidy step returns its scratch: no growth, no live tensor left', () => {
    const be = cpu({ simd: 'wasm' });
    const x = be.tensor(plainValues(2 * 3 * 12 * 12, 3), [2, 3, 12, 12]);
    const step = () =>
      tidy(() => {
        const y = be.maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 });
        be.maxPool2dBackward(y, x, { kernelSize: 3, stride: 2, padding: 1 });
        be.avgPool2d(x, { kernelSize: 2 });
      });
    step();
    const { grows } = be.memoryInfo()!;
    const live = be.stats().liveTensors;
    for (let i = 0; i < 3; i++) step();
    expect(be.memoryInfo()!.grows).toBe(grows);
    expect(be.stats().liveTensors).toBe(live);
  });
});
