import { expect } from 'vitest';
import { expectTensor, expectTensorError } from './check.js';
import { decodeNumber, decodeValues, fixtures, upload } from './fixtures.js';
import type { SuiteContext } from './suite.js';

/**
 * Finite-difference settings per dtype. Steps are powers of two so that `x ± h` is exact for the
 * fixtures' 1/64-grid logits; the tolerance covers truncation (h²·f'''/6) plus the loss's
 * rounding amplified by 1/(2h).
 */
const FINITE_DIFFERENCE = {
  float64: { h: 2 ** -17, atol: 1e-8 },
  float32: { h: 2 ** -7, atol: 2e-3 },
} as const;

/** softmax and logSoftmax over every axis; softmaxCrossEntropy loss and gradient. */
export function softmaxTests(suite: SuiteContext): void {
  suite.section('softmax', (s) => {
    const { inputs, cases } = fixtures.softmax;
    for (const c of cases) {
      const x = inputs[c.input];
      const label = `[${x.shape.join(',')}]${c.input === 'large' ? ' (logits near ±1000)' : ''} axis ${c.axis}`;
      s.test(`softmax ${label} vs PyTorch`, async () => {
        const y = s.backend.softmax(upload(s.backend, x), c.axis);
        await expectTensor(y, x.shape, decodeValues(c.softmax), s.tol);
      });
      s.test(`logSoftmax ${label} vs PyTorch`, async () => {
        const y = s.backend.logSoftmax(upload(s.backend, x), c.axis);
        const scale = decodeValues(c.logSoftmaxScale);
        await expectTensor(y, x.shape, decodeValues(c.logSoftmax), s.tol, scale);
      });
    }

    s.test('default axis is the last one', async () => {
      const x = inputs.rank3;
      const last = cases.find((c) => c.input === 'rank3' && c.axis === -1)!;
      await expectTensor(
        s.backend.softmax(upload(s.backend, x)),
        x.shape,
        decodeValues(last.softmax),
        s.tol,
      );
      await expectTensor(
        s.backend.logSoftmax(upload(s.backend, x)),
        x.shape,
        decodeValues(last.logSoftmax),
        s.tol,
        decodeValues(last.logSoftmaxScale),
      );
    });

    s.test('errors: axis out of range, scalar input', () => {
      const t = s.backend.zeros([2, 3]);
      expectTensorError(() => s.backend.softmax(t, 2), 'softmax', 'axis 2');
      expectTensorError(() => s.backend.logSoftmax(t, -3), 'logSoftmax', 'axis -3');
      expectTensorError(() => s.backend.softmax(s.backend.tensor(1)), 'softmax');
    });
  });

  suite.section('softmaxCrossEntropy', (s) => {
    for (const c of fixtures.crossEntropy) {
      s.test(`${c.case}: loss and gradient vs PyTorch`, async () => {
        const logits = upload(s.backend, c.logits);
        const labels = s.backend.tensor(c.labels, [c.labels.length]);
        const { loss, grad } = s.backend.softmaxCrossEntropy(logits, labels);
        await expectTensor(loss, [], [decodeNumber(c.loss)], s.tol);
        // Logits near ±1000 are exact in float32, but the loss subtracts them: scale by |x|.
        const scale = decodeValues(c.logits).map((v) => Math.abs(v) / c.labels.length);
        await expectTensor(grad, c.logits.shape, decodeValues(c.grad), s.tol, scale);
      });
    }

    for (const c of fixtures.crossEntropy.filter((f) => !f.case.includes('large'))) {
      s.test(`${c.case}: gradient matches central finite differences of the loss`, async () => {
        const { h, atol } = FINITE_DIFFERENCE[s.backend.dtype];
        const base = decodeValues(c.logits);
        const labels = s.backend.tensor(c.labels, [c.labels.length]);
        const lossAt = async (values: number[]): Promise<number> => {
          const { loss, grad } = s.backend.softmaxCrossEntropy(
            s.backend.tensor(values, c.logits.shape),
            labels,
          );
          grad.dispose();
          return (await loss.data())[0];
        };
        const { grad } = s.backend.softmaxCrossEntropy(
          s.backend.tensor(base, c.logits.shape),
          labels,
        );
        const analytic = await grad.data();
        for (let i = 0; i < base.length; i++) {
          const plus = [...base];
          const minus = [...base];
          plus[i] += h;
          minus[i] -= h;
          const numeric = ((await lossAt(plus)) - (await lossAt(minus))) / (2 * h);
          expect(Math.abs(analytic[i] - numeric), `element ${i}`).toBeLessThan(atol);
        }
      });
    }

    s.test('the loss is a scalar mean: duplicating the batch keeps it', async () => {
      const c = fixtures.crossEntropy[0];
      const values = decodeValues(c.logits);
      const once = s.backend.softmaxCrossEntropy(
        s.backend.tensor(values, c.logits.shape),
        s.backend.tensor(c.labels, [c.labels.length]),
      );
      const [n, k] = c.logits.shape;
      const twice = s.backend.softmaxCrossEntropy(
        s.backend.tensor([...values, ...values], [2 * n, k]),
        s.backend.tensor([...c.labels, ...c.labels], [2 * n]),
      );
      const a = (await once.loss.data())[0];
      const b = (await twice.loss.data())[0];
      expect(Math.abs(a - b)).toBeLessThanOrEqual(s.tol.atol + s.tol.rtol * Math.abs(a) * 4);
      // Gradients halve: each row now weighs 1/(2N).
      const g1 = await once.grad.data();
      const g2 = await twice.grad.data();
      for (let i = 0; i < g1.length; i++) {
        expect(Math.abs(g2[i] - g1[i] / 2)).toBeLessThanOrEqual(s.tol.atol + s.tol.rtol);
      }
    });

    s.test('errors: labels out of range, not integers, or of the wrong shape', () => {
      const logits = s.backend.zeros([2, 3]);
      expectTensorError(
        () => s.backend.softmaxCrossEntropy(logits, s.backend.tensor([0, 3])),
        'softmaxCrossEntropy',
        'label 3',
      );
      expectTensorError(
        () => s.backend.softmaxCrossEntropy(logits, s.backend.tensor([-1, 0])),
        'softmaxCrossEntropy',
        'label -1',
      );
      expectTensorError(
        () => s.backend.softmaxCrossEntropy(logits, s.backend.tensor([0.5, 1])),
        'softmaxCrossEntropy',
        'label 0.5',
      );
      expectTensorError(
        () => s.backend.softmaxCrossEntropy(logits, s.backend.tensor([0, 1, 2])),
        'softmaxCrossEntropy',
        '[2,3]',
        '[3]',
      );
      expectTensorError(
        () => s.backend.softmaxCrossEntropy(s.backend.zeros([6]), s.backend.tensor([0])),
        'softmaxCrossEntropy',
        '[6]',
      );
    });
  });
}
