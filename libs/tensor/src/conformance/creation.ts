import { expect } from 'vitest';
import { Rng } from '../random.js';
import { expectExact, expectTensor, expectTensorError } from './check.js';
import type { SuiteContext } from './suite.js';

/** Sample mean and (population) standard deviation. */
function moments(values: ArrayLike<number>): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length) };
}

/** Creation from host data, constant fills and seeded random tensors. */
export function creationTests(suite: SuiteContext): void {
  suite.section('creation', (s) => {
    s.test('tensor from nested arrays infers the shape', async () => {
      const t = s.backend.tensor([
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [
          [7, 8, 9],
          [10, 11, 12],
        ],
      ]);
      await expectExact(t, [2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect(t.size).toBe(12);
      expect(t.dtype).toBe(s.backend.dtype);
      expect(t.backend).toBe(s.backend);
    });

    s.test('tensor from a flat array, a typed array and a shape', async () => {
      await expectExact(s.backend.tensor([1, 2, 3]), [3], [1, 2, 3]);
      await expectExact(s.backend.tensor([1, 2, 3, 4, 5, 6], [3, 2]), [3, 2], [1, 2, 3, 4, 5, 6]);
      await expectExact(
        s.backend.tensor(new Float64Array([0.5, -1.5, 2, 8]), [2, 1, 2]),
        [2, 1, 2],
        [0.5, -1.5, 2, 8],
      );
      await expectExact(s.backend.tensor(new Int32Array([3, -4]), [2]), [2], [3, -4]);
    });

    s.test('scalars: a number, [] and a one-element tensor', async () => {
      await expectExact(s.backend.tensor(2.5), [], [2.5]);
      await expectExact(s.backend.tensor([7], []), [], [7]);
      await expectExact(s.backend.tensor([[7]]), [1, 1], [7]);
    });

    s.test('empty tensors have size 0', async () => {
      const t = s.backend.zeros([0, 3]);
      expect(t.size).toBe(0);
      await expectExact(t, [0, 3], []);
    });

    s.test('values are rounded to the dtype', async () => {
      const v = 0.1;
      const expected = s.backend.dtype === 'float32' ? Math.fround(v) : v;
      expect((await s.backend.tensor([v]).data())[0]).toBe(expected);
    });

    s.test('zeros, ones and full', async () => {
      await expectExact(s.backend.zeros([2, 3]), [2, 3], [0, 0, 0, 0, 0, 0]);
      await expectExact(s.backend.ones([3]), [3], [1, 1, 1]);
      await expectExact(s.backend.full([2, 2], -1.5), [2, 2], [-1.5, -1.5, -1.5, -1.5]);
      await expectExact(s.backend.full([], 4), [], [4]);
    });

    s.test('zeros after disposed tensors still reads zeros (no stale pooled values)', async () => {
      const junk = s.backend.full([4, 4], 9);
      junk.dispose();
      await expectExact(s.backend.zeros([4, 4]), [4, 4], new Array<number>(16).fill(0));
    });

    s.test('uniform: same seed, same values; another seed, other values', async () => {
      const a = await s.backend.uniform([64], { seed: 7 }).data();
      const b = await s.backend.uniform([64], { seed: 7 }).data();
      const c = await s.backend.uniform([64], { seed: 8 }).data();
      expect(Array.from(a)).toEqual(Array.from(b));
      const same = a.filter((v, i) => v === c[i]).length;
      expect(same).toBeLessThan(4);
    });

    s.test('uniform draws the values of Rng(seed) (same on every backend)', async () => {
      const ref = new Float64Array(100);
      new Rng(42).fillUniform(ref, -1, 3);
      const t = s.backend.uniform([10, 10], { seed: 42, low: -1, high: 3 });
      await expectTensor(t, [10, 10], ref, s.tol);
    });

    s.test('uniform: range [low, high], mean and spread of a large sample', async () => {
      const low = -2;
      const high = 3;
      const n = 20_000;
      const v = await s.backend.uniform([n], { seed: 3, low, high }).data();
      expect(v.every((x) => x >= low && x <= high)).toBe(true);
      expect(v.filter((x) => x < low + 0.5).length).toBeGreaterThan(n / 20);
      expect(v.filter((x) => x > high - 0.5).length).toBeGreaterThan(n / 20);
      const { mean, std } = moments(v);
      // Uniform: mean (low+high)/2, std (high-low)/√12; the bounds are ~5 standard errors.
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
      expect(Math.abs(std / (5 / Math.sqrt(12)) - 1)).toBeLessThan(0.03);
      const dflt = await s.backend.uniform([1000], { seed: 4 }).data();
      expect(dflt.every((x) => x >= 0 && x <= 1)).toBe(true);
    });

    s.test('normal: same seed, same values; mean and std of a large sample', async () => {
      const a = await s.backend.normal([32], { seed: 11 }).data();
      const b = await s.backend.normal([32], { seed: 11 }).data();
      const c = await s.backend.normal([32], { seed: 12 }).data();
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(a.filter((v, i) => v === c[i]).length).toBeLessThan(2);
      const big = await s.backend.normal([20_000], { seed: 5, mean: 1, std: 2 }).data();
      const { mean, std } = moments(big);
      expect(Math.abs(mean - 1)).toBeLessThan(0.07);
      expect(Math.abs(std / 2 - 1)).toBeLessThan(0.03);
      const ref = new Float64Array(50);
      new Rng(9).fillNormal(ref, 1, 2);
      await expectTensor(s.backend.normal([50], { seed: 9, mean: 1, std: 2 }), [50], ref, s.tol);
    });

    s.test('errors: values that do not fill the shape, ragged arrays', () => {
      expectTensorError(() => s.backend.tensor([1, 2, 3], [2, 2]), 'tensor', '[2,2]');
      expectTensorError(() => s.backend.tensor([[1, 2], [3]]), 'tensor', 'ragged');
    });

    s.test('errors: negative or fractional sizes name the shape', () => {
      expectTensorError(() => s.backend.zeros([2, -1]), 'zeros', '[2,-1]');
      expectTensorError(() => s.backend.ones([1.5]), 'ones', '[1.5]');
      expectTensorError(() => s.backend.full([-3], 1), 'full', '[-3]');
      expectTensorError(() => s.backend.uniform([2, -2], { seed: 1 }), 'uniform', '[2,-2]');
      expectTensorError(() => s.backend.normal([-1], { seed: 1 }), 'normal', '[-1]');
      expectTensorError(() => s.backend.tensor([], [-1]), 'tensor', '[-1]');
    });
  });
}
