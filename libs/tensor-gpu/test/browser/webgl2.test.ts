import { runBackendConformance } from '@optlab/tensor/conformance';
import { describe, expect, it } from 'vitest';
import { gpu } from '../../src/index.js';
import { trainingSuite } from '../support/training-suite.js';

// SwiftShader renders every kernel in software: fewer memory steps than in Node.
runBackendConformance('gpu.js webgl2', () => gpu({ mode: 'webgl2' }));
trainingSuite('webgl2', { memorySteps: 100 });

describe('gpu.js webgl2 specifics', () => {
  it('names the renderer and reads back synchronously too', async () => {
    const be = await gpu({ mode: 'webgl2' });
    expect(be.device).toMatch(/^gpu\.js webgl2 \(WebGL2Kernel; .+\)$/);
    expect(be.canReadSync).toBe(true);
    const t = be.add(be.tensor([1, 2, 3]), 0.5);
    expect(Array.from(t.dataSync())).toEqual([1.5, 2.5, 3.5]);
    expect(be.stats().readbacks).toBe(2); // the probe's and this one
  });
});
