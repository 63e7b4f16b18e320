import { describe, expect, it } from 'vitest';
import { cpu } from '../src/index.js';

/**
 * The f32x4 approximations of exp, log, tanh and sigmoid (src/wasm/math.ts), run through the
 * backend's unary ops on the WebAssembly path, against Math.* in doubles. Errors are measured in
 * units in the last place of the float32 reference (ulp), over a dense sweep of each function's
 * range plus its special values.
 */
const be = cpu({ simd: 'wasm' });

function ulp(x: number): number {
  const a = Math.abs(Math.fround(x));
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

/** Largest |got − want| in float32 ulps of want, over `xs` (finite references only). */
function maxUlpError(
  op: 'exp' | 'log' | 'tanh' | 'sigmoid',
  xs: Float32Array,
  ref: (x: number) => number,
) {
  const got = be[op](be.tensor(xs)).dataSync();
  let worst = 0;
  let at = NaN;
  xs.forEach((x, i) => {
    const want = ref(x);
    if (!Number.isFinite(want)) return;
    const err = Math.abs(got[i] - want) / ulp(want);
    if (err > worst) [worst, at] = [err, x];
  });
  return { worst, at };
}

function sweep(lo: number, hi: number, n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** Positive floats spread evenly in their bit patterns: every binade, denormals included. */
function everyBinade(n: number): Float32Array {
  const bits = Uint32Array.from({ length: n }, (_, i) => Math.floor((i / n) * 0x7f800000) + 1);
  return new Float32Array(bits.buffer);
}

describe('wasm simd transcendentals', () => {
  it('exp: ≤ 1 ulp over [−87.3, 88.7] (normal results); 0 and ∞ beyond', () => {
    const { worst, at } = maxUlpError('exp', sweep(-87.3, 88.7, 200_001), Math.exp);
    expect(worst, `worst at x = ${at}`).toBeLessThanOrEqual(1);
    const special = be
      .exp(be.tensor([-Infinity, -200, -104, 89, 200, Infinity, NaN, 0, -0]))
      .dataSync();
    expect(Array.from(special)).toEqual([0, 0, 0, Infinity, Infinity, Infinity, NaN, 1, 1]);
  });

  it('exp: denormal results within 1 denormal step of Math.exp', () => {
    const xs = sweep(-103.9, -87.4, 10_001);
    const got = be.exp(be.tensor(xs)).dataSync();
    xs.forEach((x, i) =>
      expect(Math.abs(got[i] - Math.exp(x))).toBeLessThanOrEqual(2 ** -149 + 2 ** -126 * 2 ** -22),
    );
  });

  it('log: ≤ 1 ulp over every binade, denormals included; the special values of Math.log', () => {
    const { worst, at } = maxUlpError('log', everyBinade(200_000), Math.log);
    expect(worst, `worst at x = ${at}`).toBeLessThanOrEqual(1);
    const near1 = maxUlpError('log', sweep(0.5, 2, 100_001), Math.log);
    expect(near1.worst, `worst at x = ${near1.at}`).toBeLessThanOrEqual(1);
    const special = be.log(be.tensor([0, -0, -1, -Infinity, Infinity, NaN, 1])).dataSync();
    expect(Array.from(special)).toEqual([-Infinity, -Infinity, NaN, NaN, Infinity, NaN, 0]);
  });

  it('tanh: ≤ 1.5 ulp over [−10, 10] and near 0; ±1, ±0 and NaN at the edges', () => {
    const { worst, at } = maxUlpError('tanh', sweep(-10, 10, 200_001), Math.tanh);
    expect(worst, `worst at x = ${at}`).toBeLessThanOrEqual(1.5);
    const small = maxUlpError('tanh', sweep(-1e-3, 1e-3, 10_001), Math.tanh);
    expect(small.worst, `worst at x = ${small.at}`).toBeLessThanOrEqual(1.5);
    const special = be.tanh(be.tensor([Infinity, -Infinity, 50, -50, 0, -0, NaN])).dataSync();
    expect(Array.from(special)).toEqual([1, -1, 1, -1, 0, -0, NaN]);
    expect(Object.is(special[5], -0)).toBe(true);
  });

  it('sigmoid: ≤ 2.5 ulp where the result is normal; 0 and 1 at the edges', () => {
    const ref = (x: number) => 1 / (1 + Math.exp(-x));
    const { worst, at } = maxUlpError('sigmoid', sweep(-87, 30, 200_001), ref);
    expect(worst, `worst at x = ${at}`).toBeLessThanOrEqual(2.5);
    const special = be.sigmoid(be.tensor([-Infinity, Infinity, 0, NaN])).dataSync();
    expect(Array.from(special)).toEqual([0, 1, 0.5, NaN]);
  });

  it('runs on the wasm path, tails included (lengths 1–7 use the lane-0 tail)', () => {
    const local = cpu({ simd: 'wasm' });
    for (let n = 1; n <= 7; n++) {
      const xs = Array.from({ length: n }, (_, i) => i - 3.5);
      const got = local.exp(local.tensor(xs)).dataSync();
      xs.forEach((x, i) => expect(Math.abs(got[i] - Math.exp(x)) / Math.exp(x)).toBeLessThan(3e-7));
    }
    expect(local.kernelPaths()['exp: wasm simd']).toBe(7);
  });
});
