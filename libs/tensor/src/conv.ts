import { TensorError, formatShape } from './errors.js';
import { sameShape, sizeOf } from './shape.js';
import type { Shape } from './types.js';

/**
 * Shapes and options of the 2-D convolution and pooling ops (PyTorch's `conv2d`, `max_pool2d`,
 * `avg_pool2d`), checked once here so that every backend throws the same errors and computes the
 * same output sizes. Layouts are NCHW: images [N, C, H, W], weights [O, C, kh, kw].
 */

/** A number for both spatial dimensions, or `[height, width]`. */
export type SpatialPair = number | readonly [number, number];

export interface Conv2dOptions {
  /** Step between output positions; default 1. */
  stride?: SpatialPair;
  /** Zeros added on each side of the input; default 0. */
  padding?: SpatialPair;
}

export interface Pool2dOptions {
  /** Window size. */
  kernelSize: SpatialPair;
  /** Step between windows; default the kernel size (PyTorch's default). */
  stride?: SpatialPair;
  /**
   * Padding on each side, at most half the kernel (PyTorch refuses more): −∞ for max pooling,
   * zeros counted in the average for average pooling (`count_include_pad=True`).
   */
  padding?: SpatialPair;
}

/** The sizes every conv2d kernel needs: input [n,c,h,w], weights [o,c,kh,kw], output [n,o,ho,wo]. */
export interface Conv2dPlan {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly o: number;
  readonly kh: number;
  readonly kw: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
  readonly ho: number;
  readonly wo: number;
  readonly xShape: Shape;
  readonly wShape: Shape;
  readonly outShape: Shape;
}

/** The sizes every pooling kernel needs: input [n,c,h,w] → output [n,c,ho,wo]. */
export interface Pool2dPlan {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly kh: number;
  readonly kw: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
  readonly ho: number;
  readonly wo: number;
  readonly xShape: Shape;
  readonly outShape: Shape;
}

/** `[height, width]` of a pair option; `min` is the smallest value allowed. */
function pair(
  op: string,
  name: string,
  value: unknown,
  fallback: number,
  min: number,
): [number, number] {
  const v = value === undefined ? fallback : value;
  const parts = typeof v === 'number' ? [v, v] : Array.isArray(v) && v.length === 2 ? v : null;
  const ok = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= min;
  if (!parts || !ok(parts[0]) || !ok(parts[1])) {
    const what = min === 0 ? 'non-negative' : 'positive';
    throw new TensorError(
      `${op}: ${name} must be a ${what} integer or a pair [height, width] of them, got ${JSON.stringify(v)}`,
    );
  }
  return [parts[0], parts[1]];
}

function checkRank4(op: string, what: string, shape: Shape, layout: string): void {
  sizeOf(shape, op);
  if (shape.length !== 4) {
    throw new TensorError(`${op}: ${what} must be 4-D ${layout}, got shape ${formatShape(shape)}`);
  }
}

/** Validates input and weight shapes and options; the output is [n, o, ho, wo]. */
export function planConv2d(
  op: string,
  xShape: Shape,
  wShape: Shape,
  options: Conv2dOptions = {},
): Conv2dPlan {
  checkRank4(op, 'input', xShape, '[N,C,H,W]');
  checkRank4(op, 'weight', wShape, '[O,C,kh,kw]');
  const [n, c, h, w] = xShape;
  const [o, wc, kh, kw] = wShape;
  if (wc !== c) {
    throw new TensorError(
      `${op}: input ${formatShape(xShape)} has ${c} channels but weight ${formatShape(wShape)} expects ${wc}`,
    );
  }
  if (o < 1 || c < 1 || kh < 1 || kw < 1) {
    throw new TensorError(
      `${op}: weight ${formatShape(wShape)} must have at least one output channel, input channel and kernel row and column`,
    );
  }
  const [strideH, strideW] = pair(op, 'stride', options.stride, 1, 1);
  const [padH, padW] = pair(op, 'padding', options.padding, 0, 0);
  if (h + 2 * padH < kh || w + 2 * padW < kw) {
    throw new TensorError(
      `${op}: kernel ${kh}x${kw} of weight ${formatShape(wShape)} is larger than the padded input ${h + 2 * padH}x${w + 2 * padW} of input ${formatShape(xShape)} (padding [${padH},${padW}])`,
    );
  }
  const ho = Math.floor((h + 2 * padH - kh) / strideH) + 1;
  const wo = Math.floor((w + 2 * padW - kw) / strideW) + 1;
  return {
    n,
    c,
    h,
    w,
    o,
    kh,
    kw,
    strideH,
    strideW,
    padH,
    padW,
    ho,
    wo,
    xShape: [...xShape],
    wShape: [...wShape],
    outShape: [n, o, ho, wo],
  };
}

/** Checks that a gradient `dy` has the forward output's shape. */
export function checkGradShape(op: string, dyShape: Shape, expected: Shape, inputs: string): void {
  if (!sameShape(dyShape, expected)) {
    throw new TensorError(
      `${op}: gradient dy has shape ${formatShape(dyShape)}, but the forward output for ${inputs} is ${formatShape(expected)}`,
    );
  }
}

/** The plan of `conv2dBackwardInput(dy, w, xShape)`; dy must be the forward output's shape. */
export function planConv2dBackwardInput(
  dyShape: Shape,
  wShape: Shape,
  xShape: Shape,
  options: Conv2dOptions = {},
): Conv2dPlan {
  const op = 'conv2dBackwardInput';
  const plan = planConv2d(op, xShape, wShape, options);
  checkGradShape(
    op,
    dyShape,
    plan.outShape,
    `input ${formatShape(xShape)} and weight ${formatShape(wShape)}`,
  );
  return plan;
}

/** The plan of `conv2dBackwardWeight(x, dy, wShape)`; dy must be the forward output's shape. */
export function planConv2dBackwardWeight(
  xShape: Shape,
  dyShape: Shape,
  wShape: Shape,
  options: Conv2dOptions = {},
): Conv2dPlan {
  const op = 'conv2dBackwardWeight';
  const plan = planConv2d(op, xShape, wShape, options);
  checkGradShape(
    op,
    dyShape,
    plan.outShape,
    `input ${formatShape(xShape)} and weight ${formatShape(wShape)}`,
  );
  return plan;
}

/** Validates a pooling input and options; the output is [n, c, ho, wo]. */
export function planPool2d(op: string, xShape: Shape, options: Pool2dOptions): Pool2dPlan {
  checkRank4(op, 'input', xShape, '[N,C,H,W]');
  if (options === null || typeof options !== 'object' || options.kernelSize === undefined) {
    throw new TensorError(
      `${op}: options.kernelSize is required (a positive integer or [height, width])`,
    );
  }
  const [n, c, h, w] = xShape;
  const [kh, kw] = pair(op, 'kernelSize', options.kernelSize, NaN, 1);
  const [strideH, strideW] = pair(op, 'stride', options.stride ?? [kh, kw], 1, 1);
  const [padH, padW] = pair(op, 'padding', options.padding, 0, 0);
  if (2 * padH > kh || 2 * padW > kw) {
    throw new TensorError(
      `${op}: padding [${padH},${padW}] must be at most half the kernel size ${kh}x${kw}`,
    );
  }
  const ho = Math.floor((h + 2 * padH - kh) / strideH) + 1;
  const wo = Math.floor((w + 2 * padW - kw) / strideW) + 1;
  if (h + 2 * padH < kh || w + 2 * padW < kw || ho < 1 || wo < 1) {
    throw new TensorError(
      `${op}: kernel ${kh}x${kw} is larger than the padded input ${h + 2 * padH}x${w + 2 * padW} of input ${formatShape(xShape)} (padding [${padH},${padW}])`,
    );
  }
  return {
    n,
    c,
    h,
    w,
    kh,
    kw,
    strideH,
    strideW,
    padH,
    padW,
    ho,
    wo,
    xShape: [...xShape],
    outShape: [n, c, ho, wo],
  };
}

/** The plan of a pooling backward pass; dy must be the forward output's shape. */
export function planPool2dBackward(
  op: string,
  dyShape: Shape,
  xShape: Shape,
  options: Pool2dOptions,
): Pool2dPlan {
  const plan = planPool2d(op, xShape, options);
  checkGradShape(op, dyShape, plan.outShape, `input ${formatShape(xShape)}`);
  return plan;
}
