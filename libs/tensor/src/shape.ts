import { TensorError, formatShape, shapeMismatch } from './errors.js';
import type { NestedArray } from './types.js';
import type { Shape } from './types.js';

/** Number of elements of a shape; validates that every dimension is a non-negative integer. */
export function sizeOf(shape: Shape, op = 'tensor'): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new TensorError(
        `${op}: invalid shape ${formatShape(shape)}: dimensions must be non-negative integers, got ${d}`,
      );
    }
    n *= d;
  }
  return n;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting of two shapes; throws naming the op and both shapes when they do not fit. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw shapeMismatch(op, a, b, 'cannot be broadcast together');
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides with which to read a tensor of shape `from` while walking a tensor of shape `to`
 * (its broadcast target): broadcast dimensions get stride 0.
 */
export function broadcastStrides(from: Shape, to: Shape): number[] {
  const own = stridesOf(from);
  const out = new Array<number>(to.length).fill(0);
  const offset = to.length - from.length;
  for (let i = 0; i < from.length; i++) {
    out[offset + i] = from[i] === 1 && to[offset + i] !== 1 ? 0 : own[i];
  }
  return out;
}

/** Normalises one axis (negative counts from the end) and checks it is in range. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= rank) {
    throw new TensorError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return a;
}

/** Normalises a list of axes (undefined means all), sorted and without repeats. */
export function normalizeAxes(
  op: string,
  axes: number | readonly number[] | undefined,
  rank: number,
): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = [...new Set(list.map((a) => normalizeAxis(op, a, rank)))];
  return out.sort((x, y) => x - y);
}

/** Shape left after reducing `axes`, keeping them as size-1 dimensions when `keepDims`. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepDims) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}

/** Resolves a reshape target, allowing one `-1`; throws when sizes differ. */
export function resolveReshape(from: Shape, to: Shape): number[] {
  const size = sizeOf(from, 'reshape');
  const out = [...to];
  const unknown = out.indexOf(-1);
  if (unknown !== out.lastIndexOf(-1)) {
    throw new TensorError(`reshape: only one dimension may be -1, got ${formatShape(to)}`);
  }
  if (unknown >= 0) {
    const known = out.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    if (known === 0 || size % known !== 0) {
      throw shapeMismatch('reshape', from, to, 'have different sizes');
    }
    out[unknown] = size / known;
  }
  if (sizeOf(out, 'reshape') !== size)
    throw shapeMismatch('reshape', from, to, 'have different sizes');
  return out;
}

/** Infers the shape of nested arrays and flattens them; throws on ragged input. */
export function flattenNested(values: unknown): { shape: number[]; flat: number[] } {
  const shape: number[] = [];
  let probe: unknown = values;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const flat: number[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') {
        throw new TensorError(`tensor: expected a number at depth ${depth}, got ${typeof v}`);
      }
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new TensorError(
        `tensor: ragged nested array: expected length ${shape[depth]} at depth ${depth}`,
      );
    }
    for (const item of v) walk(item, depth + 1);
  };
  walk(values, 0);
  return { shape, flat };
}

/**
 * What `backend.tensor(values, shape?)` receives, resolved once for every backend: a number is a
 * scalar, nested arrays give their shape, flat values are 1-D unless a shape is given; the
 * values must fill the shape exactly.
 */
export function resolveTensorInput(
  values: NestedArray | ArrayLike<number>,
  shape?: Shape,
): { flat: ArrayLike<number>; shape: Shape } {
  let flat: ArrayLike<number>;
  let inferred: Shape;
  if (typeof values === 'number') {
    flat = [values];
    inferred = [];
  } else if (Array.isArray(values) && values.some((v) => Array.isArray(v))) {
    const nested = flattenNested(values);
    flat = nested.flat;
    inferred = nested.shape;
  } else {
    flat = values as ArrayLike<number>;
    inferred = [flat.length];
  }
  const target = shape ?? inferred;
  const size = sizeOf(target, 'tensor');
  if (size !== flat.length) {
    throw new TensorError(
      `tensor: ${flat.length} values do not fill shape ${formatShape(target)} (${size} elements)`,
    );
  }
  return { flat, shape: target };
}
