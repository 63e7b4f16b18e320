import { describe, expect, it } from 'vitest';
import { cpu, defineUpdate, tidy, TensorError, type DType } from '../src/index.js';

/** CPU-specific behaviour the conformance suite cannot see: dtype checks and the buffer pool. */

const sgd = defineUpdate({
  name: 'sgd',
  inputs: ['p', 'g'],
  scalars: ['lr'],
  outputs: ['p'],
  body: ({ p, g }, { lr }) => ({ p: p.sub(g.mul(lr)) }),
});

describe('cpu()', () => {
  it('defaults to float32 and names itself by dtype', async () => {
    const f32 = cpu();
    const f64 = cpu({ dtype: 'float64' });
    expect([f32.dtype, f32.name, f32.device]).toEqual([
      'float32',
      'cpu',
      'cpu float32 (wasm simd)',
    ]);
    expect([f64.dtype, f64.name]).toEqual(['float64', 'cpu64']);
    expect(await f32.tensor([1]).data()).toBeInstanceOf(Float32Array);
    expect(await f64.tensor([1]).data()).toBeInstanceOf(Float64Array);
    expect(f32.canReadSync).toBe(true);
  });

  it('rejects an unknown dtype, naming it and the known ones', () => {
    expect(() => cpu({ dtype: 'int8' as DType })).toThrow(TensorError);
    expect(() => cpu({ dtype: 'int8' as DType })).toThrow(
      'cpu: unknown dtype "int8"; known: float32, float64',
    );
  });

  it('rejects a negative size, naming the op and the shape', () => {
    expect(() => cpu().zeros([2, -1])).toThrow(
      'zeros: invalid shape [2,-1]: dimensions must be non-negative integers, got -1',
    );
  });

  it('data() and dataSync() return copies, not the storage', async () => {
    const be = cpu({ dtype: 'float64' });
    const t = be.tensor([1, 2, 3]);
    const copy = await t.data();
    copy[0] = 99;
    t.dataSync()[1] = 99;
    expect(Array.from(await t.data())).toEqual([1, 2, 3]);
  });
});

describe('cpu buffer pool', () => {
  it('hands a disposed tensor’s buffer to the next tensor of that length', () => {
    const be = cpu({ simd: 'js' });
    const a = be.zeros([100]);
    const buf = a.storage;
    a.dispose();
    expect(be.pooledBytes()).toBe(400);
    const b = be.ones([10, 10]);
    expect(b.storage).toBe(buf);
    expect(be.pooledBytes()).toBe(0);
    expect(Array.from(b.dataSync()).every((v) => v === 1)).toBe(true);
  });

  it('wasm path: a disposed tensor’s block serves the next tensor, in the same memory', () => {
    const be = cpu({ simd: 'wasm' });
    const a = be.zeros([100]);
    const ptr = (a.storage as { ptr: number }).ptr;
    be.zeros([4]); // keeps a's block below the top, so it is a free range once disposed
    a.dispose();
    expect(be.pooledBytes()).toBe(400);
    const b = be.ones([10, 10]);
    expect((b.storage as { ptr: number }).ptr).toBe(ptr);
    expect(be.pooledBytes()).toBe(0);
    expect(Array.from(b.dataSync()).every((v) => v === 1)).toBe(true);
  });

  it.each(['wasm', 'js'] as const)(
    'a repeated tidy training step allocates no new buffers after the first (%s)',
    (simd) => {
      const be = cpu({ dtype: 'float32', simd });
      const w = be.normal([16, 8], { seed: 1, std: 0.1 });
      const x = be.uniform([32, 16], { seed: 2 });
      const labels = be.tensor(Array.from({ length: 32 }, (_, i) => i % 8));
      const step = (): void => {
        const loss = tidy(() => {
          const hidden = be.relu(be.matmul(x, w));
          const logits = be.sub(hidden, be.max(hidden, 1, true));
          const { loss, grad } = be.softmaxCrossEntropy(logits, labels);
          // Gradient through the max-shift is ignored: this is a memory test, not a model.
          const gw = be.matmul(x, be.mul(grad, be.sign(hidden)), { transposeA: true });
          be.fusedUpdate(sgd, { p: w, g: gw }, { lr: 0.1 });
          const pair = be.concat([be.reshape(loss, [1]), be.reshape(loss, [1])]);
          return be.mean(be.transpose(be.reshape(pair, [2, 1])));
        });
        loss.dispose();
      };
      const live = be.stats().liveBytes;
      step();
      const pooled = be.pooledBytes();
      expect(pooled).toBeGreaterThan(0);
      expect(be.stats().liveBytes).toBe(live);
      // Every buffer the second step takes comes from the pool and goes back to it: had it
      // allocated one, the pool would now hold more bytes.
      step();
      step();
      expect(be.pooledBytes()).toBe(pooled);
      expect(be.stats().liveBytes).toBe(live);
    },
  );

  it('backend.dispose() empties the pool and keeps live tensors valid', () => {
    const be = cpu({ dtype: 'float64' });
    const keep = be.tensor([1, 2]);
    be.ones([50]).dispose();
    expect(be.pooledBytes()).toBe(400);
    be.dispose();
    expect(be.pooledBytes()).toBe(0);
    expect(Array.from(keep.dataSync())).toEqual([1, 2]);
    // Compiled loops were dropped too; the next op compiles again and computes the same.
    expect(Array.from(be.add(keep, 1).dataSync())).toEqual([2, 3]);
  });

  it('an in-place fused output and a new one from the same inputs', () => {
    const be = cpu({ dtype: 'float64' });
    const program = defineUpdate({
      name: 'inPlaceAndNew',
      inputs: ['p', 'g'],
      outputs: ['p', 'old'],
      body: ({ p, g }) => ({ p: p.sub(g), old: p }),
    });
    const p = be.tensor([5, 7]);
    const { p: same, old } = be.fusedUpdate(program, { p, g: be.tensor([1, 2]) });
    expect(same).toBe(p);
    expect(Array.from(p.dataSync())).toEqual([4, 5]);
    expect(Array.from(old.dataSync())).toEqual([5, 7]);
  });
});

describe('cpu pooling and NaN', () => {
  // PyTorch's max_pool2d keeps a NaN once met (`val > max || isnan(val)`) and routes the gradient
  // to it; the GPU backend cannot test for NaN on every mode, so this is CPU behaviour only.
  for (const [dtype, simd] of [
    ['float64', 'js'],
    ['float32', 'wasm'],
    ['float32', 'js'],
  ] as const) {
    it(`${dtype} ${simd}: a NaN in a window is its maximum and takes its gradient`, () => {
      const be = cpu({ dtype, simd });
      const x = be.tensor([1, NaN, 3, 2, 5, 6, 7, 8], [1, 1, 2, 4]);
      const pool = { kernelSize: 2 };
      expect(Array.from(be.maxPool2d(x, pool).dataSync())).toEqual([NaN, 8]);
      const dx = be.maxPool2dBackward(be.tensor([10, 20], [1, 1, 1, 2]), x, pool);
      expect(Array.from(dx.dataSync())).toEqual([0, 10, 0, 0, 0, 0, 0, 20]);
    });
  }
});
