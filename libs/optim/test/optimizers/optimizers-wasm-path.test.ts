import { describe, expect, it } from 'vitest';
import { cpu, Parameter, type CpuBackend, type SimdMode } from '@optlab/tensor';
import { createOptimizer } from '../../src/index.js';

/**
 * Rprop's and Adan's fused programs run as WebAssembly kernels (a fallback to the JavaScript loop
 * would cost several times the step), and the kernels agree with the JavaScript loop on edge
 * values. 37 elements: the unrolled main loop, the one-vector loop and the scalar tail all run.
 * Products g·g_prev stay clear of float32 underflow: the JavaScript loop multiplies in doubles,
 * where 1e-30·1e-30 is positive, and the kernel in float32, where it is 0.
 */
const EDGE = [0, -0, 1, -1, 2.5, -3.25, 0.1, NaN, Infinity, -Infinity, 1e-3, -1e3, 7, 0.5];
const N = 37;
const at = (shift: number, scale: number) =>
  Float32Array.from({ length: N }, (_, i) => EDGE[(i * 5 + shift) % EDGE.length] * scale);
/** Three gradients: the same signs, then sign changes and zeros, then NaN and infinities met again. */
const GRADS = [at(0, 1), at(3, -2), at(7, 0.5)];
const PARAMS = at(1, 3);

function run(simd: SimdMode, name: string, options: Record<string, unknown>) {
  const be: CpuBackend = cpu({ dtype: 'float32', simd });
  const p = new Parameter(be.tensor(PARAMS, [N]), 'w');
  const opt = createOptimizer(name, [p], options);
  const states: Float32Array[][] = [];
  for (const g of GRADS) {
    p.grad = be.tensor(g, [N]);
    void opt.step();
    states.push([p.value.dataSync() as Float32Array]);
  }
  const paths = be.kernelPaths();
  opt.dispose();
  return { values: states.map(([v]) => Array.from(v)), paths };
}

/** NaN as one pattern: engines differ in a NaN's sign bit. */
const canonical = (xs: number[]) =>
  xs.map((x) => (Number.isNaN(x) ? 'NaN' : Object.is(x, -0) ? '-0' : x));

describe('fused optimizer programs on the WebAssembly path', () => {
  it.each([
    ['Rprop', {}],
    ['Rprop', { maximize: true, etas: [0.3, 1.7], stepSizes: [0.01, 2] }],
  ])('%s %j runs as a wasm kernel, bit for bit the JavaScript loop', (name, options) => {
    const wasm = run('wasm', name, options);
    const js = run('js', name, options);
    expect(wasm.paths['fusedUpdate(rprop): wasm simd']).toBe(3);
    expect(Object.keys(wasm.paths).filter((k) => k.startsWith('fusedUpdate'))).toEqual([
      'fusedUpdate(rprop): wasm simd',
    ]);
    expect(js.paths['fusedUpdate(rprop): js loop']).toBe(3);
    wasm.values.forEach((v, step) =>
      expect(canonical(v), `step ${step + 1}`).toEqual(canonical(js.values[step])),
    );
  });

  it('Adan runs as a wasm kernel and agrees with the JavaScript loop to float32 rounding', () => {
    const options = { lr: 0.1, weightDecay: 0.02 };
    const wasm = run('wasm', 'Adan', options);
    const js = run('js', 'Adan', options);
    expect(Object.keys(wasm.paths).filter((k) => k.startsWith('fusedUpdate'))).toEqual([
      'fusedUpdate(adan): wasm simd',
    ]);
    expect(wasm.paths['fusedUpdate(adan): wasm simd']).toBe(3);
    // The kernel rounds every node to float32, the loop once on store: same NaN, infinities and
    // zeros; finite values within float32 rounding of the terms (θ + u·(−lr) cancels near 0, so
    // the bound is relative to the larger of 1 and the result).
    wasm.values.forEach((v, step) =>
      v.forEach((x, i) => {
        const y = js.values[step][i];
        const where = `step ${step + 1}, element ${i}`;
        if (!Number.isFinite(y) || y === 0) expect(canonical([x]), where).toEqual(canonical([y]));
        else expect(Math.abs(x - y), where).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(y)));
      }),
    );
  });
});
