import { expect } from 'vitest';
import type { Conv2dOptions, Pool2dOptions, SpatialPair } from '../conv.js';
import type { Tensor } from '../tensor.js';
import type { Shape } from '../types.js';
import { expectExact, expectTensor, expectTensorError, firstMismatch } from './check.js';
import convReference from './fixtures/conv.json' with { type: 'json' };
import { decodeValues, upload, type FixtureTensor } from './fixtures.js';
import type { SuiteContext } from './suite.js';

/** PyTorch's values in fixtures/conv.json (tools/fixtures/tensor/generate_conv.py). */
interface ConvFixtures {
  conv2d: {
    case: string;
    stride: SpatialPair;
    padding: SpatialPair;
    x: FixtureTensor;
    w: FixtureTensor;
    y: FixtureTensor;
    yScale: FixtureTensor;
    dy: FixtureTensor;
    dx: FixtureTensor;
    dxScale: FixtureTensor;
    dw: FixtureTensor;
    dwScale: FixtureTensor;
  }[];
  pool2d: ({
    case: string;
    kernelSize: SpatialPair;
    stride?: SpatialPair;
    padding: SpatialPair;
    x: FixtureTensor;
  } & Record<'max' | 'avg', { y: FixtureTensor; dy: FixtureTensor; dx: FixtureTensor }>)[];
}

const reference = convReference as ConvFixtures;

/**
 * Central differences of L = Σ y·dy. The convolutions and average pooling are linear in each
 * argument and max pooling is linear away from ties, so the only error is the backend's rounding
 * of y, amplified by 1/(2h): float32 takes a larger step and a looser tolerance.
 */
const FINITE_DIFFERENCE = {
  float64: { h: 2 ** -10, rtol: 1e-9, atol: 1e-9 },
  float32: { h: 2 ** -4, rtol: 2e-3, atol: 2e-3 },
} as const;

/** Σ y·dy, read back and summed in doubles. */
async function dotLoss(y: Tensor, dy: ArrayLike<number>): Promise<number> {
  const v = await y.data();
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * dy[i];
  y.dispose();
  return s;
}

/** ∂L/∂v_i by central differences for every element of `values`, L computed by `loss`. */
async function centralDifferences(
  values: readonly number[],
  h: number,
  loss: (v: number[]) => Promise<number>,
): Promise<number[]> {
  const grad: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const plus = [...values];
    const minus = [...values];
    plus[i] += h;
    minus[i] -= h;
    grad.push(((await loss(plus)) - (await loss(minus))) / (2 * h));
  }
  return grad;
}

function expectClose(
  actual: ArrayLike<number>,
  expected: number[],
  tol: { rtol: number; atol: number },
): void {
  const mismatch = firstMismatch(actual, expected, tol);
  if (mismatch !== null) throw new Error(`gradient differs from finite differences: ${mismatch}`);
}

function poolOptions(c: ConvFixtures['pool2d'][number]): Pool2dOptions {
  return c.stride === undefined
    ? { kernelSize: c.kernelSize, padding: c.padding }
    : { kernelSize: c.kernelSize, stride: c.stride, padding: c.padding };
}

/** Distinct values k/64 in a seeded-free fixed order: no ties, so max pooling is differentiable. */
function distinctValues(count: number): number[] {
  return Array.from({ length: count }, (_, i) => (((i * 37) % count) - count / 2) / 64);
}

/**
 * conv2d and its two gradients, max and average pooling and theirs: PyTorch references, a
 * hand-derived case, finite differences, input immutability and the shape errors.
 */
export function convTests(suite: SuiteContext): void {
  suite.section('conv2d', (s) => {
    for (const c of reference.conv2d) {
      const options: Conv2dOptions = { stride: c.stride, padding: c.padding };
      s.test(`${c.case}: forward vs PyTorch`, async () => {
        const y = s.backend.conv2d(upload(s.backend, c.x), upload(s.backend, c.w), options);
        await expectTensor(y, c.y.shape, decodeValues(c.y), s.tol, decodeValues(c.yScale));
      });
      s.test(`${c.case}: gradient w.r.t. the input vs PyTorch`, async () => {
        const dx = s.backend.conv2dBackwardInput(
          upload(s.backend, c.dy),
          upload(s.backend, c.w),
          c.x.shape,
          options,
        );
        await expectTensor(dx, c.x.shape, decodeValues(c.dx), s.tol, decodeValues(c.dxScale));
      });
      s.test(`${c.case}: gradient w.r.t. the weight vs PyTorch`, async () => {
        const dw = s.backend.conv2dBackwardWeight(
          upload(s.backend, c.x),
          upload(s.backend, c.dy),
          c.w.shape,
          options,
        );
        await expectTensor(dw, c.w.shape, decodeValues(c.dw), s.tol, decodeValues(c.dwScale));
      });
    }

    s.test(
      'hand-derived: 3x3 image, 2x2 ones kernel, default options; inputs unchanged',
      async () => {
        const x = s.backend.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
        const w = s.backend.ones([1, 1, 2, 2]);
        await expectExact(s.backend.conv2d(x, w), [1, 1, 2, 2], [12, 16, 24, 28]);
        // Padding 1, stride 2: the corners of the padded 5x5 image.
        await expectExact(
          s.backend.conv2d(x, w, { stride: 2, padding: 1 }),
          [1, 1, 2, 2],
          [1, 5, 11, 28],
        );
        await expectExact(x, [1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        await expectExact(w, [1, 1, 2, 2], [1, 1, 1, 1]);
        // dy of ones: each pixel's gradient counts the windows covering it.
        const dx = s.backend.conv2dBackwardInput(s.backend.ones([1, 1, 2, 2]), w, [1, 1, 3, 3]);
        await expectExact(dx, [1, 1, 3, 3], [1, 2, 1, 2, 4, 2, 1, 2, 1]);
        const dw = s.backend.conv2dBackwardWeight(x, s.backend.ones([1, 1, 2, 2]), [1, 1, 2, 2]);
        await expectExact(dw, [1, 1, 2, 2], [12, 16, 24, 28]);
      },
    );

    s.test('gradients match central finite differences of sum(conv2d(x, w) * dy)', async () => {
      const { h, rtol, atol } = FINITE_DIFFERENCE[s.backend.dtype];
      const options: Conv2dOptions = { stride: [2, 1], padding: [1, 2] };
      const xShape: Shape = [2, 2, 5, 4];
      const wShape: Shape = [3, 2, 3, 2];
      const xs = distinctValues(2 * 2 * 5 * 4);
      const ws = distinctValues(3 * 2 * 3 * 2).map((v) => v / 2);
      const b = s.backend;
      const y0 = b.conv2d(b.tensor(xs, xShape), b.tensor(ws, wShape), options);
      const yShape = y0.shape;
      y0.dispose();
      const dyValues = distinctValues(yShape.reduce((a, d) => a * d, 1)).map((v) => v * 2);
      const dy = b.tensor(dyValues, yShape);
      const dx = await b.conv2dBackwardInput(dy, b.tensor(ws, wShape), xShape, options).data();
      const dw = await b.conv2dBackwardWeight(b.tensor(xs, xShape), dy, wShape, options).data();
      const fdx = await centralDifferences(xs, h, (v) =>
        dotLoss(b.conv2d(b.tensor(v, xShape), b.tensor(ws, wShape), options), dyValues),
      );
      const fdw = await centralDifferences(ws, h, (v) =>
        dotLoss(b.conv2d(b.tensor(xs, xShape), b.tensor(v, wShape), options), dyValues),
      );
      expectClose(dx, fdx, { rtol, atol });
      expectClose(dw, fdw, { rtol, atol });
    });

    s.test(
      'errors: rank, channels, kernel larger than the padded input, stride, padding, dy',
      () => {
        const b = s.backend;
        const x = b.zeros([2, 3, 5, 5]);
        const w = b.zeros([4, 3, 3, 3]);
        expectTensorError(() => b.conv2d(b.zeros([3, 5, 5]), w), 'conv2d', 'input', '[3,5,5]');
        expectTensorError(() => b.conv2d(x, b.zeros([4, 3, 3])), 'conv2d', 'weight', '[4,3,3]');
        expectTensorError(
          () => b.conv2d(x, b.zeros([4, 2, 3, 3])),
          'conv2d',
          '[2,3,5,5]',
          '[4,2,3,3]',
          'channels',
        );
        expectTensorError(
          () => b.conv2d(x, b.zeros([4, 3, 7, 3])),
          'conv2d',
          'larger than the padded input',
          '[4,3,7,3]',
        );
        // Padding makes room: a 7x7 kernel fits a 5x5 image padded by 1.
        expect(b.conv2d(x, b.zeros([4, 3, 7, 7]), { padding: 1 }).shape).toEqual([2, 4, 1, 1]);
        expectTensorError(() => b.conv2d(x, w, { stride: 0 }), 'conv2d', 'stride', '0');
        expectTensorError(() => b.conv2d(x, w, { stride: [1, -2] }), 'conv2d', 'stride', '-2');
        expectTensorError(() => b.conv2d(x, w, { padding: 1.5 }), 'conv2d', 'padding', '1.5');
        expectTensorError(
          () => b.conv2dBackwardInput(b.zeros([2, 4, 4, 3]), w, [2, 3, 5, 5]),
          'conv2dBackwardInput',
          '[2,4,4,3]',
          '[2,4,3,3]',
        );
        expectTensorError(
          () => b.conv2dBackwardWeight(x, b.zeros([2, 4, 3, 3]), [4, 2, 3, 3]),
          'conv2dBackwardWeight',
          'channels',
        );
      },
    );
  });

  suite.section('pool2d', (s) => {
    for (const c of reference.pool2d) {
      const options = poolOptions(c);
      s.test(`${c.case}: maxPool2d forward and backward vs PyTorch`, async () => {
        const x = upload(s.backend, c.x);
        await expectTensor(
          s.backend.maxPool2d(x, options),
          c.max.y.shape,
          decodeValues(c.max.y),
          s.tol,
        );
        const dx = s.backend.maxPool2dBackward(upload(s.backend, c.max.dy), x, options);
        await expectTensor(dx, c.x.shape, decodeValues(c.max.dx), s.tol);
      });
      s.test(`${c.case}: avgPool2d forward and backward vs PyTorch`, async () => {
        const x = upload(s.backend, c.x);
        await expectTensor(
          s.backend.avgPool2d(x, options),
          c.avg.y.shape,
          decodeValues(c.avg.y),
          s.tol,
        );
        const dx = s.backend.avgPool2dBackward(upload(s.backend, c.avg.dy), c.x.shape, options);
        await expectTensor(dx, c.x.shape, decodeValues(c.avg.dx), s.tol);
      });
    }

    s.test(
      'hand-derived: max goes to the first maximum, padding is -Infinity and counts in the mean',
      async () => {
        const b = s.backend;
        const x = b.tensor([-1, -1, -2, -3], [1, 1, 2, 2]);
        await expectExact(b.maxPool2d(x, { kernelSize: 2 }), [1, 1, 1, 1], [-1]);
        await expectExact(
          b.maxPool2dBackward(b.tensor([5], [1, 1, 1, 1]), x, { kernelSize: 2 }),
          [1, 1, 2, 2],
          [5, 0, 0, 0],
        );
        // Padding 1, kernel 2, stride 2: each corner window sees one real (negative) pixel.
        await expectExact(
          b.maxPool2d(x, { kernelSize: 2, padding: 1 }),
          [1, 1, 2, 2],
          [-1, -1, -2, -3],
        );
        await expectExact(
          b.avgPool2d(x, { kernelSize: 2, padding: 1 }),
          [1, 1, 2, 2],
          [-0.25, -0.25, -0.5, -0.75],
        );
        await expectExact(
          b.avgPool2dBackward(b.tensor([4, 8, 12, 16], [1, 1, 2, 2]), [1, 1, 2, 2], {
            kernelSize: 2,
            padding: 1,
          }),
          [1, 1, 2, 2],
          [1, 2, 3, 4],
        );
        await expectExact(x, [1, 1, 2, 2], [-1, -1, -2, -3]);
      },
    );

    s.test('gradients match central finite differences (max without ties)', async () => {
      const { h, rtol, atol } = FINITE_DIFFERENCE[s.backend.dtype];
      const b = s.backend;
      const xShape: Shape = [2, 2, 5, 6];
      const xs = distinctValues(2 * 2 * 5 * 6);
      const options: Pool2dOptions = { kernelSize: [3, 2], stride: [2, 1], padding: [1, 1] };
      for (const kind of ['max', 'avg'] as const) {
        const forward = (v: number[]) =>
          kind === 'max'
            ? b.maxPool2d(b.tensor(v, xShape), options)
            : b.avgPool2d(b.tensor(v, xShape), options);
        const y0 = forward(xs);
        const dyValues = distinctValues(y0.size).map((v) => v * 4);
        const dy = b.tensor(dyValues, y0.shape);
        y0.dispose();
        const dx =
          kind === 'max'
            ? b.maxPool2dBackward(dy, b.tensor(xs, xShape), options)
            : b.avgPool2dBackward(dy, xShape, options);
        const fd = await centralDifferences(xs, h / 8, (v) => dotLoss(forward(v), dyValues));
        expectClose(await dx.data(), fd, { rtol, atol });
      }
    });

    s.test('errors: rank, kernel, stride, padding over half the kernel, dy', () => {
      const b = s.backend;
      const x = b.zeros([1, 2, 5, 5]);
      expectTensorError(
        () => b.maxPool2d(b.zeros([2, 5, 5]), { kernelSize: 2 }),
        'maxPool2d',
        '[2,5,5]',
      );
      expectTensorError(() => b.avgPool2d(x, { kernelSize: 0 }), 'avgPool2d', 'kernelSize', '0');
      expectTensorError(
        () => b.maxPool2d(x, {} as Pool2dOptions),
        'maxPool2d',
        'kernelSize is required',
      );
      expectTensorError(
        () => b.maxPool2d(x, { kernelSize: 6 }),
        'maxPool2d',
        'larger than the padded input',
        '[1,2,5,5]',
      );
      expectTensorError(() => b.maxPool2d(x, { kernelSize: 2, stride: 0 }), 'maxPool2d', 'stride');
      expectTensorError(
        () => b.avgPool2d(x, { kernelSize: 3, padding: 2 }),
        'avgPool2d',
        'padding',
        'half',
      );
      expectTensorError(
        () => b.maxPool2dBackward(b.zeros([1, 2, 3, 3]), x, { kernelSize: 2 }),
        'maxPool2dBackward',
        '[1,2,3,3]',
        '[1,2,2,2]',
      );
      expectTensorError(
        () => b.avgPool2dBackward(b.zeros([1, 2, 2, 2]), [1, 2, 5], { kernelSize: 2 }),
        'avgPool2dBackward',
        '[1,2,5]',
      );
    });
  });
}
