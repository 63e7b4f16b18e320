import { expect } from 'vitest';
import { expectExact, expectTensorError } from './check.js';
import { decodeValues, fixtures, upload } from './fixtures.js';
import type { SuiteContext } from './suite.js';

const iota = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

/** gather, transpose, reshape, slice and concat: exact values and errors. */
export function layoutTests(suite: SuiteContext): void {
  const { inputs } = fixtures.layout;

  suite.section('gather', (s) => {
    s.test('rows in the given order, repeated indices included', async () => {
      const x = s.backend.tensor(iota(12), [4, 3]);
      await expectExact(
        s.backend.gather(x, [3, 0, 3, 1]),
        [4, 3],
        [9, 10, 11, 0, 1, 2, 9, 10, 11, 3, 4, 5],
      );
      await expectExact(s.backend.gather(x, new Int32Array([2])), [1, 3], [6, 7, 8]);
      await expectExact(s.backend.gather(x, []), [0, 3], []);
    });

    s.test('rank 1 and rank 3 sources', async () => {
      await expectExact(s.backend.gather(s.backend.tensor([5, 6, 7]), [2, 2, 0]), [3], [7, 7, 5]);
      const x3 = upload(s.backend, inputs.x3);
      await expectExact(s.backend.gather(x3, [1]), [1, 3, 4], iota(12, 12));
    });

    s.test('errors: index out of range or not an integer', () => {
      const x = s.backend.zeros([4, 3]);
      expectTensorError(() => s.backend.gather(x, [0, 4]), 'gather', 'index 4', '[0, 4)');
      expectTensorError(() => s.backend.gather(x, [-1]), 'gather', 'index -1');
      expectTensorError(() => s.backend.gather(x, [1.5]), 'gather', 'index 1.5');
    });
  });

  suite.section('transpose', (s) => {
    s.test('2-D default reverses the axes', async () => {
      const x = s.backend.tensor(iota(6), [2, 3]);
      await expectExact(s.backend.transpose(x), [3, 2], [0, 3, 1, 4, 2, 5]);
      await expectExact(s.backend.transpose(x, [0, 1]), [2, 3], iota(6));
      const row = s.backend.tensor(iota(5), [1, 5]);
      await expectExact(s.backend.transpose(row), [5, 1], iota(5));
    });

    for (const c of fixtures.layout.transpose) {
      const x = inputs[c.input];
      s.test(`[${x.shape.join(',')}] perm [${c.perm.join(',')}] vs NumPy`, async () => {
        const y = s.backend.transpose(upload(s.backend, x), c.perm);
        await expectExact(y, c.expected.shape, decodeValues(c.expected));
      });
    }

    s.test('errors: perm that is not a permutation of the axes', () => {
      const x = s.backend.zeros([2, 3, 4]);
      expectTensorError(() => s.backend.transpose(x, [0, 1]), 'transpose', '[2,3,4]');
      expectTensorError(() => s.backend.transpose(x, [0, 1, 1]), 'transpose', '[0,1,1]');
      expectTensorError(() => s.backend.transpose(x, [0, 1, 3]), 'transpose', '[0,1,3]');
    });
  });

  suite.section('reshape', (s) => {
    s.test('same values, new shape; one -1 is inferred', async () => {
      const x = s.backend.tensor(iota(12), [3, 4]);
      await expectExact(s.backend.reshape(x, [2, 6]), [2, 6], iota(12));
      await expectExact(s.backend.reshape(x, [-1, 3]), [4, 3], iota(12));
      await expectExact(s.backend.reshape(x, [2, -1, 2]), [2, 3, 2], iota(12));
      await expectExact(s.backend.reshape(x, [-1]), [12], iota(12));
      await expectExact(s.backend.reshape(s.backend.tensor([5]), []), [], [5]);
      await expectExact(x, [3, 4], iota(12));
    });

    s.test('errors: size mismatch, two -1, negative sizes', () => {
      const x = s.backend.zeros([3, 4]);
      expectTensorError(() => s.backend.reshape(x, [5, 2]), 'reshape', '[3,4]', '[5,2]');
      expectTensorError(() => s.backend.reshape(x, [-1, 5]), 'reshape', '[3,4]', '[-1,5]');
      expectTensorError(() => s.backend.reshape(x, [-1, -1]), 'reshape', '[-1,-1]');
      expectTensorError(() => s.backend.reshape(x, [-2, -6]), 'reshape', '[-2,-6]');
    });
  });

  suite.section('slice', (s) => {
    for (const c of fixtures.layout.slice) {
      s.test(
        `[3,4,5] begin [${c.begin.join(',')}] size [${c.size.join(',')}] vs NumPy`,
        async () => {
          const y = s.backend.slice(upload(s.backend, inputs.xSlice), c.begin, c.size);
          await expectExact(y, c.expected.shape, decodeValues(c.expected));
        },
      );
    }

    s.test('2-D rows and columns', async () => {
      const x = s.backend.tensor(iota(12), [3, 4]);
      await expectExact(s.backend.slice(x, [1, 0], [1, -1]), [1, 4], [4, 5, 6, 7]);
      await expectExact(s.backend.slice(x, [0, 2], [-1, 1]), [3, 1], [2, 6, 10]);
    });

    s.test('errors: out of bounds, wrong number of entries', () => {
      const x = s.backend.zeros([3, 4]);
      expectTensorError(() => s.backend.slice(x, [2, 0], [2, 4]), 'slice', '[3,4]');
      expectTensorError(() => s.backend.slice(x, [0, 5], [1, -1]), 'slice', '[3,4]');
      expectTensorError(() => s.backend.slice(x, [-1, 0], [1, 1]), 'slice', '[3,4]');
      expectTensorError(() => s.backend.slice(x, [0, 0], [1, -2]), 'slice', '[3,4]');
      expectTensorError(() => s.backend.slice(x, [0], [1]), 'slice', '[3,4]');
    });
  });

  suite.section('concat', (s) => {
    for (const c of fixtures.layout.concat) {
      const shapes = c.inputs.map((t) => `[${t.shape.join(',')}]`).join(' ');
      s.test(`axis ${c.axis} of ${shapes} vs NumPy`, async () => {
        const xs = c.inputs.map((t) => upload(s.backend, t));
        const y = s.backend.concat(xs, c.axis);
        await expectExact(y, c.expected.shape, decodeValues(c.expected));
      });
    }

    s.test('default axis 0, a single tensor, rank 1', async () => {
      const a = s.backend.tensor([1, 2]);
      const b = s.backend.tensor([3]);
      await expectExact(s.backend.concat([a, b]), [3], [1, 2, 3]);
      const y = s.backend.concat([a]);
      expect(y).not.toBe(a);
      await expectExact(y, [2], [1, 2]);
    });

    s.test('errors: shapes differing outside the axis, rank mismatch, no tensors', () => {
      const a = s.backend.zeros([2, 3]);
      expectTensorError(
        () => s.backend.concat([a, s.backend.zeros([2, 4])], 0),
        'concat',
        '[2,3]',
        '[2,4]',
      );
      expectTensorError(
        () => s.backend.concat([a, s.backend.zeros([2, 3, 1])], 1),
        'concat',
        '[2,3,1]',
      );
      expectTensorError(() => s.backend.concat([a, a], 2), 'concat', 'axis 2');
      expectTensorError(() => s.backend.concat([]), 'concat');
    });
  });
}
