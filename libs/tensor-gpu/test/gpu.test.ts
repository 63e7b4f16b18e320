import { defineUpdate } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import { defaultMode, gpu } from '../src/index.js';

describe('gpu() in Node', () => {
  it('defaults to webasm where there is no WebGL2, and says so in device', async () => {
    expect(defaultMode()).toBe('webasm');
    const be = await gpu();
    expect(be.mode).toBe('webasm');
    expect(be.device).toBe(
      'gpu.js webasm (WebAssemblyKernel; WebAssembly on the CPU, single-threaded)',
    );
    expect(be.name).toBe('gpu');
    expect(be.dtype).toBe('float32');
  });

  it('refuses webgl2 where gpu.js has no WebGL instead of falling back', async () => {
    await expect(gpu({ mode: 'webgl2' })).rejects.toThrow(
      'gpu: mode "webgl2" is not available here (gpu.js reports no webgl2 support; in Node there is no WebGL: use "webasm" or "cpu")',
    );
  });

  it('refuses webgpu where no WebGPU API exists', async () => {
    await expect(gpu({ mode: 'webgpu' })).rejects.toThrow(
      /gpu: mode "webgpu" is not available here/,
    );
  });

  it('names the known modes for an unknown one', async () => {
    await expect(gpu({ mode: 'metal' as never })).rejects.toThrow(
      'gpu: unknown mode "metal"; known: webgl2, webgpu, webasm, cpu',
    );
  });
});

describe('kernels', () => {
  it('compile once per signature: a repeated op reuses its kernel', async () => {
    const be = await gpu({ mode: 'cpu' });
    const a = be.tensor([1, 2, 3]);
    be.add(a, 1).dispose();
    const compiled = be.compiledKernels;
    const before = be.stats().kernels;
    for (let i = 0; i < 5; i++) be.add(a, i).dispose();
    expect(be.compiledKernels).toBe(compiled); // the number operand is a uniform, not source
    expect(be.stats().kernels - before).toBe(5);
    be.add(be.tensor([1, 2, 3, 4, 5]), 1).dispose(); // a new size is a new signature
    expect(be.compiledKernels).toBe(compiled + 1); // on cpu, uploads need no kernel
  });

  const momentum = defineUpdate({
    name: 'momentumTest',
    inputs: ['param', 'grad', 'buf'],
    scalars: ['lr', 'mu'],
    outputs: ['buf', 'param'],
    body: ({ param, grad, buf }, { lr, mu }) => {
      const next = buf.mul(mu).add(grad);
      return { buf: next, param: param.sub(next.mul(lr)) };
    },
  });

  for (const [mode, launches] of [
    ['cpu', 1],
    ['webasm', 2],
  ] as const) {
    it(`fused update on ${mode}: ${launches} launch(es), outputs in place, old buffers freed`, async () => {
      const be = await gpu({ mode });
      const param = be.tensor([1, 2, 3]);
      const buf = be.tensor([0.5, 0, -0.5]);
      const grad = be.tensor([1, 1, 1]);
      const live = be.stats().liveTensors;
      const before = be.stats().kernels;
      const out = be.fusedUpdate(momentum, { param, grad, buf }, { lr: 0.1, mu: 0.9 });
      expect(be.stats().kernels - before).toBe(launches);
      expect(out.param).toBe(param);
      expect(out.buf).toBe(buf);
      expect(be.stats().liveTensors).toBe(live);
      // buf = 0.9·buf + g; param −= 0.1·buf, both from the values before the update
      expect(Array.from(await buf.data())).toEqual([1.45, 1, 0.55].map(Math.fround));
      expect(Array.from(await param.data())).toEqual(
        [1 - 0.145, 2 - 0.1, 3 - 0.055].map(Math.fround),
      );
    });
  }
});
