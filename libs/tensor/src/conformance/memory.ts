import { expect } from 'vitest';
import { cpu } from '../cpu/backend.js';
import { defineUpdate } from '../fused.js';
import { keep, tidy } from '../scope.js';
import { Parameter, type Tensor } from '../tensor.js';
import { expectExact, expectTensorError } from './check.js';
import type { SuiteContext } from './suite.js';

const sgd = defineUpdate({
  name: 'conformanceMemorySgd',
  inputs: ['p', 'g'],
  scalars: ['lr'],
  outputs: ['p'],
  body: ({ p, g }, { lr }) => ({ p: p.sub(g.mul(lr)) }),
});

/** Scopes, ownership by Parameter, disposal, backend mixing and the stats counters. */
export function memoryTests(suite: SuiteContext): void {
  suite.section('memory', (s) => {
    const live = (): number => s.backend.stats().liveTensors;

    s.test('tidy disposes intermediates and keeps the returned tensor', async () => {
      const before = live();
      const created: Tensor[] = [];
      const out = tidy(() => {
        const a = s.backend.tensor([1, 2, 3]);
        const b = s.backend.mul(a, 2);
        const c = s.backend.exp(b);
        created.push(a, b, c);
        return s.backend.add(b, 1);
      });
      expect(created.every((t) => t.isDisposed)).toBe(true);
      expect(out.isDisposed).toBe(false);
      expect(live()).toBe(before + 1);
      await expectExact(out, [3], [3, 5, 7]);
      out.dispose();
      expect(live()).toBe(before);
    });

    s.test('tidy keeps tensors returned in arrays and objects, and kept ones', () => {
      const before = live();
      let kept: Tensor | undefined;
      const result = tidy(() => {
        const a = s.backend.ones([2]);
        kept = keep(s.backend.zeros([2]));
        s.backend.neg(a);
        return { pair: [s.backend.add(a, 1), s.backend.sub(a, 1)], single: a };
      });
      expect(live()).toBe(before + 4);
      expect(kept?.isDisposed).toBe(false);
      expect(result.single.isDisposed).toBe(false);
      result.pair.forEach((t) => t.dispose());
      result.single.dispose();
      kept?.dispose();
      expect(live()).toBe(before);
    });

    s.test('nested tidy: inner results move to the outer scope', () => {
      const before = live();
      let inner: Tensor | undefined;
      const out = tidy(() => {
        inner = tidy(() => s.backend.add(s.backend.ones([3]), 1));
        expect(inner.isDisposed).toBe(false);
        return s.backend.mul(inner, 3);
      });
      expect(inner?.isDisposed).toBe(true);
      expect(live()).toBe(before + 1);
      out.dispose();
    });

    s.test('tidy disposes everything when its function throws', () => {
      const before = live();
      expect(() =>
        tidy(() => {
          s.backend.ones([4]);
          s.backend.add(s.backend.ones([2, 3]), s.backend.ones([2]));
        }),
      ).toThrow(/cannot be broadcast/);
      expect(live()).toBe(before);
    });

    s.test('a tidy training step leaves no live tensors behind', async () => {
      const w = s.backend.normal([4, 3], { seed: 1, std: 0.1 });
      const x = s.backend.uniform([8, 4], { seed: 2 });
      const labels = s.backend.tensor([0, 1, 2, 0, 1, 2, 0, 1]);
      const before = live();
      const losses: number[] = [];
      for (let step = 0; step < 3; step++) {
        const loss = tidy(() => {
          const logits = s.backend.matmul(x, w);
          const { loss, grad } = s.backend.softmaxCrossEntropy(logits, labels);
          const gw = s.backend.matmul(x, grad, { transposeA: true });
          s.backend.fusedUpdate(sgd, { p: w, g: gw }, { lr: 0.5 });
          return loss;
        });
        losses.push((await loss.data())[0]);
        loss.dispose();
        expect(live()).toBe(before);
      }
      expect(losses[2]).toBeLessThan(losses[0]);
    });

    s.test('Parameter: a new grad disposes the old one; grads survive tidy', () => {
      const before = live();
      const p = new Parameter(s.backend.zeros([2, 2]), 'w');
      const g1 = s.backend.ones([2, 2]);
      p.grad = g1;
      tidy(() => {
        p.grad = s.backend.full([2, 2], 2);
      });
      expect(g1.isDisposed).toBe(true);
      expect(p.grad?.isDisposed).toBe(false);
      expect(live()).toBe(before + 2);
      const g2 = p.grad!;
      p.zeroGrad();
      expect(g2.isDisposed).toBe(true);
      expect(p.grad).toBeNull();
      p.dispose();
      expect(p.value.isDisposed).toBe(true);
      expect(live()).toBe(before);
    });

    s.test('Parameter: a new value disposes the old one; created in tidy, it survives', () => {
      const before = live();
      const p = tidy(() => new Parameter(s.backend.ones([3])));
      expect(p.value.isDisposed).toBe(false);
      const old = p.value;
      p.value = s.backend.zeros([3]);
      expect(old.isDisposed).toBe(true);
      expect(live()).toBe(before + 1);
      p.dispose();
    });

    s.test('Parameter: a grad of another shape or backend is an error', () => {
      const p = new Parameter(s.backend.zeros([2, 3]), 'w');
      expect(() => (p.grad = s.backend.zeros([3, 2]))).toThrow(/"w".*\[3,2\].*\[2,3\]/);
      const other = cpu({ dtype: s.backend.dtype });
      expect(() => (p.grad = other.zeros([2, 3]))).toThrow(/"w".*backend/);
      p.dispose();
    });

    s.test('use after dispose throws a clear error (ops and data())', async () => {
      const t = s.backend.tensor([1, 2]);
      t.dispose();
      t.dispose();
      expect(t.isDisposed).toBe(true);
      expectTensorError(() => s.backend.add(t, 1), 'add', 'after dispose');
      expectTensorError(() => s.backend.exp(t), 'exp', 'after dispose');
      expectTensorError(() => s.backend.matmul(t, t), 'matmul', 'after dispose');
      expectTensorError(() => s.backend.sum(t), 'sum', 'after dispose');
      expectTensorError(() => s.backend.concat([t]), 'concat', 'after dispose');
      await expect(async () => t.data()).rejects.toThrow(/after dispose/);
    });

    s.test('mixing tensors of two backends throws naming the op', () => {
      const other = cpu({ dtype: s.backend.dtype });
      const mine = s.backend.ones([2]);
      const theirs = other.ones([2]);
      expectTensorError(() => s.backend.add(mine, theirs), 'add', 'backend');
      expectTensorError(() => s.backend.matmul(theirs, mine), 'matmul', 'backend');
      expectTensorError(() => s.backend.neg(theirs), 'neg', 'backend');
      expectTensorError(
        () => s.backend.fusedUpdate(sgd, { p: mine, g: theirs }, { lr: 1 }),
        'backend',
      );
      other.dispose();
    });

    s.test('stats: creation, ops, readbacks and disposal move the counters', async () => {
      const bytesPer = s.backend.dtype === 'float32' ? 4 : 8;
      const s0 = s.backend.stats();
      const t = s.backend.tensor([1, 2, 3, 4]);
      const s1 = s.backend.stats();
      expect(s1.uploads).toBeGreaterThan(s0.uploads);
      expect(s1.liveTensors).toBe(s0.liveTensors + 1);
      expect(s1.liveBytes).toBeGreaterThanOrEqual(s0.liveBytes + 4 * bytesPer);
      const y = s.backend.exp(t);
      const s2 = s.backend.stats();
      expect(s2.kernels).toBeGreaterThan(s1.kernels);
      expect(s2.liveTensors).toBe(s1.liveTensors + 1);
      await y.data();
      expect(s.backend.stats().readbacks).toBeGreaterThan(s2.readbacks);
      y.dispose();
      t.dispose();
      const s3 = s.backend.stats();
      expect(s3.liveTensors).toBe(s0.liveTensors);
      expect(s3.liveBytes).toBe(s0.liveBytes);
    });

    s.test('dataSync agrees with data() where the backend can read synchronously', async () => {
      const t = s.backend.tensor([1.5, -2]);
      if (s.backend.canReadSync) {
        expect(Array.from(t.dataSync())).toEqual(Array.from(await t.data()));
      } else {
        expect(() => t.dataSync()).toThrow();
      }
    });
  });
}
