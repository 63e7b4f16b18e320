import { TensorError, formatShape, shapeMismatch } from './errors.js';
import { normalizeAxis, stridesOf } from './shape.js';
import type { Shape } from './types.js';

/**
 * Validation and index arithmetic of the layout ops and the fused cross-entropy, written once
 * for every backend: a backend only moves the data. Messages name the op and the offending
 * shape, index or value, identically on every backend.
 */

/** `gather`: checks every row index; returns the output shape and the length of one row. */
export function planGather(
  shape: Shape,
  indices: ArrayLike<number>,
): { outShape: number[]; rowWidth: number } {
  if (shape.length === 0) throw new TensorError('gather: needs a tensor of rank ≥ 1, got a scalar');
  const rows = shape[0];
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (!Number.isInteger(r) || r < 0 || r >= rows) {
      throw new TensorError(`gather: index ${r} at position ${i} is out of range [0, ${rows})`);
    }
  }
  const rowWidth = shape.slice(1).reduce((p, d) => p * d, 1);
  return { outShape: [indices.length, ...shape.slice(1)], rowWidth };
}

/**
 * `transpose`: the permutation (default: reversed axes), the output shape, and the input strides
 * to read with while walking the output in row-major order.
 */
export function planTranspose(
  shape: Shape,
  perm?: readonly number[],
): { perm: readonly number[]; outShape: number[]; readStrides: number[] } {
  const rank = shape.length;
  const p = perm ?? shape.map((_, i) => rank - 1 - i);
  const valid = p.length === rank && [...p].sort((a, b) => a - b).every((v, i) => v === i);
  if (!valid) {
    throw new TensorError(
      `transpose: perm [${p.join(',')}] is not a permutation of the ${rank} axes of ${formatShape(shape)}`,
    );
  }
  const inStrides = stridesOf(shape);
  return { perm: p, outShape: p.map((a) => shape[a]), readStrides: p.map((a) => inStrides[a]) };
}

/** `slice`: the output shape (size −1: to the end), the input strides and the start offset. */
export function planSlice(
  shape: Shape,
  begin: readonly number[],
  size: readonly number[],
): { outShape: number[]; strides: number[]; offset: number } {
  const rank = shape.length;
  if (begin.length !== rank || size.length !== rank) {
    throw new TensorError(
      `slice: begin [${begin.join(',')}] and size [${size.join(',')}] must both have ${rank} entries for shape ${formatShape(shape)}`,
    );
  }
  const outShape = size.map((s, i) => (s === -1 ? shape[i] - begin[i] : s));
  for (let i = 0; i < rank; i++) {
    if (
      !Number.isInteger(begin[i]) ||
      begin[i] < 0 ||
      outShape[i] < 0 ||
      begin[i] + outShape[i] > shape[i]
    ) {
      throw new TensorError(
        `slice: begin [${begin.join(',')}] size [${size.join(',')}] is out of bounds for shape ${formatShape(shape)}`,
      );
    }
  }
  const strides = stridesOf(shape);
  const offset = begin.reduce((o, b, i) => o + b * strides[i], 0);
  return { outShape, strides, offset };
}

/**
 * `concat`: checks that the shapes agree outside `axis`; returns the axis, the output shape and
 * the extents before (`outer`) and after (`inner`) the axis.
 */
export function planConcat(
  shapes: readonly Shape[],
  axisArg: number,
): { axis: number; outShape: number[]; outer: number; inner: number } {
  if (shapes.length === 0) throw new TensorError('concat: needs at least one tensor');
  const first = shapes[0];
  const axis = normalizeAxis('concat', axisArg, first.length);
  for (const s of shapes) {
    const fits = s.length === first.length && s.every((d, i) => i === axis || d === first[i]);
    if (!fits) throw shapeMismatch('concat', first, s, `differ outside axis ${axis}`);
  }
  const outShape = [...first];
  outShape[axis] = shapes.reduce((sum, s) => sum + s[axis], 0);
  const outer = first.slice(0, axis).reduce((p, d) => p * d, 1);
  const inner = first.slice(axis + 1).reduce((p, d) => p * d, 1);
  return { axis, outShape, outer, inner };
}

/** `softmaxCrossEntropy`: logits [N,C] and labels [N]; returns N and C. */
export function checkCrossEntropyShapes(logits: Shape, labels: Shape): { n: number; c: number } {
  if (logits.length !== 2 || labels.length !== 1 || labels[0] !== logits[0]) {
    throw shapeMismatch(
      'softmaxCrossEntropy',
      logits,
      labels,
      'do not fit: expected logits [N,C] and labels [N]',
    );
  }
  return { n: logits[0], c: logits[1] };
}

/** Every label must be an integer class index in [0, C). */
export function checkClassLabels(labels: ArrayLike<number>, classes: number): void {
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      throw new TensorError(
        `softmaxCrossEntropy: label ${y} at row ${i} is not a class index in [0, ${classes})`,
      );
    }
  }
}
