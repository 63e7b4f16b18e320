import { cpu } from '@optlab/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpu, type GpuBackend, type GpuMode } from '../../src/index.js';
import {
  LinearRegression,
  Mlp,
  classificationData,
  epochLosses,
  regressionData,
  rows,
} from './training.js';

/** Largest |a − b| / |b| over two equally long lists. */
function maxRelativeDiff(a: readonly number[], b: readonly number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.abs(b[i])));
}

const MLP = { input: 20, hidden: 64, classes: 3 };
const BATCH = 32;

/**
 * Residency, memory and CPU-parity tests of a GPU backend in `mode`, on the tutorial's MLP
 * (20-64-3, batch 32) and linear regression, both trained with a fused Adam step.
 */
export function trainingSuite(mode: GpuMode, options: { memorySteps: number }): void {
  describe(`training on gpu.js ${mode}`, () => {
    let be: GpuBackend;
    beforeAll(async () => {
      be = await gpu({ mode });
    });
    afterAll(() => be.dispose());

    it('one MLP step: no readback, only the minibatch uploads, one kernel per op', async () => {
      const data = classificationData(64, MLP.input, MLP.classes, 7);
      const mlp = new Mlp(be, MLP, 11);
      const x = rows(data.x, MLP.input, 0, BATCH);
      const y = data.y.subarray(0, BATCH);
      mlp.step(x, y).dispose(); // compiles every kernel once
      const compiled = be.compiledKernels;
      const before = be.stats();
      const loss = mlp.step(rows(data.x, MLP.input, BATCH, BATCH), data.y.subarray(BATCH, 64));
      const after = be.stats();
      const delta = {
        kernels: after.kernels - before.kernels,
        uploads: after.uploads - before.uploads,
        readbacks: after.readbacks - before.readbacks,
        liveTensors: after.liveTensors - before.liveTensors,
      };
      console.log(`[residency ${be.device}] one step: ${JSON.stringify(delta)}`);
      expect(delta.readbacks).toBe(0);
      expect(delta.uploads).toBe(2); // the minibatch: x [32,20] and labels [32]
      expect(delta.liveTensors).toBe(1); // the loss, still on the device
      expect(be.compiledKernels).toBe(compiled); // nothing recompiled
      // Forward and backward: 4 matmul-side ops + 2 bias adds + tanh + sce (2 kernels) +
      // 2 bias-grad sums + square, sub, mul; then Adam: one pass per parameter (4), or one per
      // output (12) where gpu.js has no kernel maps (webasm, webgpu).
      const adamKernels = mode === 'webasm' || mode === 'webgpu' ? 12 : 4;
      expect(delta.kernels).toBe(5 + 2 + 1 + 2 + 2 + 3 + adamKernels);
      expect((await loss.data())[0]).toBeCloseTo(Math.log(3), 2);
      expect(be.stats().readbacks - after.readbacks).toBe(1);
      loss.dispose();
      mlp.dispose();
    });

    it(`live tensors and bytes stay flat over ${options.memorySteps} MLP steps`, () => {
      const data = classificationData(BATCH, MLP.input, MLP.classes, 3);
      const mlp = new Mlp(be, MLP, 5);
      mlp.step(data.x, data.y).dispose();
      const start = be.stats();
      for (let i = 0; i < options.memorySteps; i++) mlp.step(data.x, data.y).dispose();
      const end = be.stats();
      console.log(
        `[memory ${be.device}] ${options.memorySteps} steps: live tensors ${start.liveTensors} -> ${end.liveTensors}, bytes ${start.liveBytes} -> ${end.liveBytes}, kernels +${end.kernels - start.kernels}`,
      );
      expect(end.liveTensors).toBe(start.liveTensors);
      expect(end.liveBytes).toBe(start.liveBytes);
      mlp.dispose();
      expect(be.stats().liveTensors).toBe(start.liveTensors - 12);
    });

    it('MLP with Adam: every epoch loss within 1e-4 relative of cpu float32', async () => {
      const data = classificationData(256, MLP.input, MLP.classes, 42);
      const run = async (backend: typeof be | ReturnType<typeof cpu>) => {
        const mlp = new Mlp(backend, MLP, 1, 0.01);
        const losses = await epochLosses((x, y) => mlp.step(x, y), data, MLP.input, 1, BATCH, 3);
        mlp.dispose();
        return losses;
      };
      const onGpu = await run(be);
      const onCpu = await run(cpu({ dtype: 'float32' }));
      const diff = maxRelativeDiff(onGpu, onCpu);
      console.log(
        `[parity ${be.device}] MLP 20-64-3 Adam epoch losses gpu ${onGpu.join(', ')} cpu ${onCpu.join(', ')}; max rel diff ${diff.toExponential(2)}`,
      );
      expect(onCpu[2]).toBeLessThan(onCpu[0]);
      expect(diff).toBeLessThan(1e-4);
    });

    it('linear regression with Adam: every epoch loss within 1e-4 relative of cpu float32', async () => {
      const features = 8;
      const data = regressionData(128, features, 9);
      const run = async (backend: typeof be | ReturnType<typeof cpu>) => {
        const model = new LinearRegression(backend, features);
        const losses = await epochLosses((x, y) => model.step(x, y), data, features, 1, BATCH, 5);
        model.dispose();
        return losses;
      };
      const onGpu = await run(be);
      const onCpu = await run(cpu({ dtype: 'float32' }));
      const diff = maxRelativeDiff(onGpu, onCpu);
      console.log(
        `[parity ${be.device}] linear regression Adam epoch losses gpu ${onGpu.join(', ')} cpu ${onCpu.join(', ')}; max rel diff ${diff.toExponential(2)}`,
      );
      expect(onCpu[4]).toBeLessThan(onCpu[0] / 2);
      expect(diff).toBeLessThan(1e-4);
    });
  });
}
