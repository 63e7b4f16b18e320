import { expect } from 'vitest';
import type { Backend } from '../backend.js';
import type { Tensor } from '../tensor.js';
import { BINARY_OPS, UNARY_OPS, type BinaryOp, type UnaryOp } from '../types.js';
import { expectExact, expectTensor, expectTensorError } from './check.js';
import {
  decodeValues,
  describeOperand,
  fixtures,
  upload,
  uploadOperand,
  type FixtureOperand,
} from './fixtures.js';
import type { SuiteContext } from './suite.js';

function callUnary(backend: Backend, op: UnaryOp, x: Tensor): Tensor {
  return backend[op](x);
}

function callBinary(backend: Backend, op: BinaryOp, a: Tensor | number, b: Tensor | number) {
  return backend[op](a, b);
}

function isBinaryOp(op: string): op is BinaryOp {
  return (BINARY_OPS as readonly string[]).includes(op);
}

function shapeOf(o: FixtureOperand): number[] {
  return typeof o === 'object' ? o.shape : [];
}

/** Unary and binary elementwise ops: fixture values, edge values, broadcasting, errors. */
export function elementwiseTests(suite: SuiteContext): void {
  suite.section('unary', (s) => {
    const { x, expected } = fixtures.unary;
    for (const op of UNARY_OPS) {
      s.test(`${op} over edge values vs NumPy/PyTorch`, async () => {
        const input = upload(s.backend, x);
        const y = callUnary(s.backend, op, input);
        await expectTensor(y, x.shape, decodeValues(expected[op]), s.tol);
        // Inputs are never changed.
        await expectTensor(input, x.shape, decodeValues(x), { rtol: 0, atol: 0 });
      });
    }

    s.test('relu and sign at 0 and at negatives', async () => {
      const t = s.backend.tensor([-2, -0.5, 0, 0.5, 3]);
      await expectExact(s.backend.relu(t), [5], [0, 0, 0, 0.5, 3]);
      await expectExact(s.backend.sign(t), [5], [-1, -1, 0, 1, 1]);
    });

    s.test('sigmoid and tanh saturate at large |x| without NaN', async () => {
      const t = s.backend.tensor([-1000, -100, 100, 1000]);
      const sig = await s.backend.sigmoid(t).data();
      expect(Array.from(sig).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0, 0, 1, 1]);
      expect(sig.every((v) => v >= 0 && v <= 1)).toBe(true);
      await expectExact(s.backend.tanh(t), [4], [-1, -1, 1, 1]);
    });

    s.test(
      'log and sqrt outside their domain give NaN (and log 0 = -Infinity), like NumPy',
      async () => {
        const t = s.backend.tensor([-1, 0, 4]);
        const log = await s.backend.log(t).data();
        expect(Number.isNaN(log[0])).toBe(true);
        expect(log[1]).toBe(-Infinity);
        const sqrt = await s.backend.sqrt(t).data();
        expect(Number.isNaN(sqrt[0])).toBe(true);
        expect(Array.from(sqrt.subarray(1))).toEqual([0, 2]);
      },
    );

    s.test('shape is kept for scalars and rank 3', async () => {
      await expectExact(s.backend.neg(s.backend.tensor(3)), [], [-3]);
      const t = s.backend.tensor([1, -2, 3, -4, 5, -6, 7, -8], [2, 2, 2]);
      await expectExact(s.backend.abs(t), [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    });
  });

  suite.section('binary', (s) => {
    for (const c of fixtures.binary) {
      if (!isBinaryOp(c.op)) throw new Error(`fixture names unknown op ${c.op}`);
      const op = c.op;
      s.test(
        `${op}: ${c.case} (${describeOperand(c.a)} with ${describeOperand(c.b)})`,
        async () => {
          const a = uploadOperand(s.backend, c.a);
          const b = uploadOperand(s.backend, c.b);
          const y = callBinary(s.backend, op, a, b);
          await expectTensor(y, c.expected.shape, decodeValues(c.expected), s.tol);
        },
      );
    }

    for (const c of fixtures.binaryEdges) {
      if (!isBinaryOp(c.op)) throw new Error(`fixture names unknown op ${c.op}`);
      const op = c.op;
      s.test(`${op}: edge values (inf, NaN, zero) like NumPy`, async () => {
        const y = callBinary(s.backend, op, upload(s.backend, c.a), upload(s.backend, c.b));
        await expectTensor(y, c.expected.shape, decodeValues(c.expected), s.tol);
      });
    }

    s.test('number operands on both sides give a [] tensor', async () => {
      await expectExact(s.backend.sub(5, 2), [], [3]);
    });

    s.test('operands are not changed', async () => {
      const a = s.backend.tensor([1, 2, 3]);
      const b = s.backend.tensor([10, 20, 30]);
      await expectExact(s.backend.add(a, b), [3], [11, 22, 33]);
      await expectExact(a, [3], [1, 2, 3]);
      await expectExact(b, [3], [10, 20, 30]);
    });

    s.test('a tensor with itself (aliased operands)', async () => {
      const a = s.backend.tensor([1, -2, 3]);
      await expectExact(s.backend.mul(a, a), [3], [1, 4, 9]);
      await expectExact(s.backend.sub(a, a), [3], [0, 0, 0]);
    });

    const incompatible: [number[], number[]][] = [
      [
        [2, 3],
        [2, 1, 4],
      ],
      [[3], [4]],
      [
        [2, 3],
        [3, 2],
      ],
    ];
    for (const op of BINARY_OPS) {
      s.test(`${op}: incompatible shapes throw naming the op and both shapes`, () => {
        expectTensorError(
          () => callBinary(s.backend, op, s.backend.zeros([2, 3]), s.backend.zeros([2])),
          `${op}: shapes [2,3] and [2] cannot be broadcast together`,
        );
        for (const [sa, sb] of incompatible) {
          expectTensorError(
            () => callBinary(s.backend, op, s.backend.ones(sa), s.backend.ones(sb)),
            op,
            `[${sa.join(',')}]`,
            `[${sb.join(',')}]`,
          );
        }
      });
    }

    s.test('broadcast result shapes follow NumPy', () => {
      for (const c of fixtures.binary) {
        if (typeof c.a === 'object' && typeof c.b === 'object') {
          const y = s.backend.add(upload(s.backend, c.a), upload(s.backend, c.b));
          expect([...y.shape], `${c.case}`).toEqual(c.expected.shape);
        } else {
          expect(c.expected.shape).toEqual(typeof c.a === 'object' ? shapeOf(c.a) : shapeOf(c.b));
        }
      }
    });
  });
}
