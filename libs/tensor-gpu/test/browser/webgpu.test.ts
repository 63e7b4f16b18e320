import { runBackendConformance } from '@optlab/tensor/conformance';
import { describe, expect, it } from 'vitest';
import { gpu } from '../../src/index.js';
import { trainingSuite } from '../support/training-suite.js';

// WGSL lets implementations assume values are finite and `x !== x` folds to false there; the
// WGSL helpers test NaN against a run-time infinity instead (src/codegen.ts), so the whole suite
// runs, NaN propagation included.
runBackendConformance('gpu.js webgpu', () => gpu({ mode: 'webgpu' }));
trainingSuite('webgpu', { memorySteps: 50 });

describe('gpu.js webgpu specifics', () => {
  it('names the adapter, reads back asynchronously only, and frees a buffer only once unused', async () => {
    const be = await gpu({ mode: 'webgpu' });
    expect(be.device).toMatch(/^gpu\.js webgpu \(WebGPUKernel; adapter .+\)$/);
    expect(be.canReadSync).toBe(false);
    const t = be.tensor([1, 2, 3]);
    expect(() => t.dataSync()).toThrow(
      'readSync: the webgpu backend reads back asynchronously only (WebGPU has no synchronous readback); use await t.data()',
    );
    // Dispatch returns at once; disposing an input while its consumer is still queued is safe.
    const doubled = be.mul(t, 2);
    const summed = be.sum(doubled);
    t.dispose();
    doubled.dispose();
    expect(Array.from(await summed.data())).toEqual([12]);
    expect(be.stats().liveTensors).toBe(1);
    summed.dispose();
  });
});
