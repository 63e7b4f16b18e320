import { describe, expect, it } from 'vitest';
import { cpu, tidy, defineUpdate } from '../src/index.js';

describe('smoke', () => {
  it('works', () => {
    const be = cpu({ dtype: 'float64' });
    const a = be.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = be.tensor([10, 20, 30]);
    expect(Array.from(be.add(a, b).dataSync())).toEqual([11, 22, 33, 14, 25, 36]);
    const col = be.tensor([[1], [2]]);
    expect(Array.from(be.mul(a, col).dataSync())).toEqual([1, 2, 3, 8, 10, 12]);
    expect(Array.from(be.sub(2, a).dataSync())).toEqual([1, 0, -1, -2, -3, -4]);
    const m = be.matmul(a, a, { transposeB: true });
    expect(Array.from(m.dataSync())).toEqual([14, 32, 32, 77]);
    const big = be.uniform([37, 41], { seed: 1 });
    const big2 = be.uniform([41, 29], { seed: 2 });
    const c = be.matmul(big, big2).dataSync();
    const A = big.dataSync(),
      B = big2.dataSync();
    let s = 0;
    for (let k = 0; k < 41; k++) s += A[5 * 41 + k] * B[k * 29 + 7];
    expect(c[5 * 29 + 7]).toBeCloseTo(s, 12);
    expect(Array.from(be.sum(a, 0).dataSync())).toEqual([5, 7, 9]);
    expect(Array.from(be.sum(a, 1, true).dataSync())).toEqual([6, 15]);
    expect(Array.from(be.max(a).dataSync())).toEqual([6]);
    expect(Array.from(be.transpose(a).dataSync())).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Array.from(be.slice(a, [0, 1], [2, 2]).dataSync())).toEqual([2, 3, 5, 6]);
    expect(Array.from(be.concat([a, a], 1).dataSync())).toEqual([
      1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6,
    ]);
    const t3 = be.tensor(
      Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 4],
    );
    expect(Array.from(be.sum(t3, [0, 2]).dataSync())).toEqual([60, 92, 124]);
    const prog = defineUpdate({
      name: 'sgd',
      inputs: ['p', 'g'],
      scalars: ['lr'],
      outputs: ['p'],
      body: ({ p, g }, { lr }) => ({ p: p.sub(g.mul(lr)) }),
    });
    const p = be.tensor([1, 2]);
    be.fusedUpdate(prog, { p, g: be.tensor([1, 1]) }, { lr: 0.5 });
    expect(Array.from(p.dataSync())).toEqual([0.5, 1.5]);
    const before = be.stats().liveTensors;
    tidy(() => {
      be.add(a, 1);
      be.exp(a);
    });
    expect(be.stats().liveTensors).toBe(before);
    const { loss, grad } = be.softmaxCrossEntropy(be.tensor([[1, 2, 3]]), be.tensor([2]));
    expect(loss.dataSync()[0]).toBeCloseTo(0.40760596444, 10);
    expect(grad.shape).toEqual([1, 3]);
    expect(() => be.add(a, be.tensor([1, 2]))).toThrow(
      'add: shapes [2,3] and [2] cannot be broadcast together',
    );
  });
});
