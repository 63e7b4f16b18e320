import { expect } from 'vitest';
import type { Backend } from '../backend.js';
import type { Tensor } from '../tensor.js';
import { REDUCE_OPS, type ReduceOp } from '../types.js';
import { expectExact, expectTensor, expectTensorError, transposeHost } from './check.js';
import { decodeValues, fixtures, upload } from './fixtures.js';
import type { SuiteContext } from './suite.js';

function reduce(
  backend: Backend,
  op: ReduceOp,
  x: Tensor,
  axes: number | number[] | undefined,
  keepDims: boolean,
): Tensor {
  return backend[op](x, axes, keepDims);
}

function isReduceOp(op: string): op is ReduceOp {
  return (REDUCE_OPS as readonly string[]).includes(op);
}

function formatAxes(axes: number | number[] | null): string {
  if (axes === null) return 'all axes';
  return Array.isArray(axes) ? `axes [${axes.join(',')}]` : `axis ${axes}`;
}

/** matmul (every transpose flag, odd sizes) and the reductions sum/mean/max. */
export function linalgTests(suite: SuiteContext): void {
  suite.section('matmul', (s) => {
    const flags = [
      { transposeA: false, transposeB: false },
      { transposeA: true, transposeB: false },
      { transposeA: false, transposeB: true },
      { transposeA: true, transposeB: true },
    ];
    for (const c of fixtures.matmul) {
      for (const f of flags) {
        const label = `${c.case}${f.transposeA ? ' transposeA' : ''}${f.transposeB ? ' transposeB' : ''}`;
        s.test(`${label} vs NumPy`, async () => {
          const [m, k] = c.a.shape;
          const n = c.b.shape[1];
          // Store the operands transposed where the flag says op(x) = xᵀ.
          const aValues = decodeValues(c.a);
          const bValues = decodeValues(c.b);
          const a = f.transposeA
            ? s.backend.tensor(transposeHost(aValues, m, k), [k, m])
            : s.backend.tensor(aValues, [m, k]);
          const b = f.transposeB
            ? s.backend.tensor(transposeHost(bValues, k, n), [n, k])
            : s.backend.tensor(bValues, [k, n]);
          const y = s.backend.matmul(a, b, f);
          await expectTensor(y, [m, n], decodeValues(c.expected), s.tol, decodeValues(c.scale));
        });
      }
    }

    s.test('hand-derived 2x3 . 3x2 and default options', async () => {
      const a = s.backend.tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      const b = s.backend.tensor([
        [7, 8],
        [9, 10],
        [11, 12],
      ]);
      await expectExact(s.backend.matmul(a, b), [2, 2], [58, 64, 139, 154]);
      await expectExact(s.backend.matmul(a, a, { transposeB: true }), [2, 2], [14, 32, 32, 77]);
      await expectExact(
        s.backend.matmul(a, a, { transposeA: true }),
        [3, 3],
        [17, 22, 27, 22, 29, 36, 27, 36, 45],
      );
    });

    s.test('errors: inner dimensions differ (names both shapes)', () => {
      const a = s.backend.zeros([2, 3]);
      const b = s.backend.zeros([4, 5]);
      expectTensorError(() => s.backend.matmul(a, b), 'matmul', '[2,3]', '[4,5]');
      expectTensorError(() => s.backend.matmul(a, a), 'matmul', '[2,3]');
      expectTensorError(
        () => s.backend.matmul(a, b, { transposeA: true, transposeB: true }),
        'matmul',
        '[2,3]',
        '[4,5]',
      );
    });

    s.test('errors: operands that are not 2-D', () => {
      expectTensorError(
        () => s.backend.matmul(s.backend.zeros([3]), s.backend.zeros([3, 2])),
        'matmul',
        '[3]',
        '[3,2]',
      );
      expectTensorError(
        () => s.backend.matmul(s.backend.zeros([2, 2, 2]), s.backend.zeros([2, 2])),
        'matmul',
        '[2,2,2]',
      );
    });
  });

  suite.section('reductions', (s) => {
    const { inputs, cases } = fixtures.reduce;
    for (const c of cases) {
      if (!isReduceOp(c.op)) throw new Error(`fixture names unknown op ${c.op}`);
      const op = c.op;
      const x = inputs[c.input];
      const name = `${op} of [${x.shape.join(',')}] over ${formatAxes(c.axes)}${c.keepDims ? ', keepDims' : ''}`;
      s.test(`${name} vs NumPy`, async () => {
        const y = reduce(s.backend, op, upload(s.backend, x), c.axes ?? undefined, c.keepDims);
        await expectTensor(
          y,
          c.expected.shape,
          decodeValues(c.expected),
          s.tol,
          decodeValues(c.scale),
        );
      });
    }

    s.test('a scalar reduces to itself; an empty axes list reduces nothing', async () => {
      await expectExact(s.backend.sum(s.backend.tensor(4)), [], [4]);
      const t = s.backend.tensor([1, 2, 3, 4], [2, 2]);
      await expectExact(s.backend.sum(t, []), [2, 2], [1, 2, 3, 4]);
      await expectExact(s.backend.mean(t, [], true), [2, 2], [1, 2, 3, 4]);
    });

    s.test('max propagates NaN and handles -Infinity', async () => {
      const t = s.backend.tensor([
        [1, Number.NaN, 3],
        [-Infinity, -Infinity, -5],
      ]);
      const rows = await s.backend.max(t, 1).data();
      expect(Number.isNaN(rows[0])).toBe(true);
      expect(rows[1]).toBe(-5);
      const cols = await s.backend.max(t, 0).data();
      expect(cols[0]).toBe(1);
      expect(Number.isNaN(cols[1])).toBe(true);
      expect(cols[2]).toBe(3);
    });

    s.test('sum over the zero-length axis is 0; mean of a large constant is exact', async () => {
      await expectExact(s.backend.sum(s.backend.zeros([0, 3]), 0), [3], [0, 0, 0]);
      await expectExact(s.backend.mean(s.backend.full([1000], 0.25)), [], [0.25]);
    });

    for (const op of REDUCE_OPS) {
      s.test(`${op}: an axis out of range names the op, the axis and the rank`, () => {
        const t = s.backend.zeros([2, 3]);
        expectTensorError(() => reduce(s.backend, op, t, 2, false), op, 'axis 2', 'rank 2');
        expectTensorError(() => reduce(s.backend, op, t, [0, -3], false), op, 'axis -3');
      });
    }
  });
}
