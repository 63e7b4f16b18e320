import { expect } from 'vitest';
import type { Backend } from '../backend.js';
import { formatShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { Shape } from '../types.js';

/** How close a backend's values must be to a reference: `|a − e| ≤ atol + rtol·max(|e|, scale)`. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

/** Default tolerances by dtype: float64 is checked tightly, float32 allows its own rounding. */
export function defaultTolerance(dtype: Backend['dtype']): Tolerance {
  return dtype === 'float64' ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 1e-5, atol: 1e-6 };
}

/**
 * The first element where `actual` and `expected` differ by more than the tolerance, described
 * for a failure message, or null when all match. NaN matches only NaN and infinities only
 * themselves (NumPy's `allclose(equal_nan=True)`). `scale` widens the tolerance per element for
 * results that sum many terms (see tools/fixtures/tensor/generate.py).
 */
export function firstMismatch(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance,
  scale?: ArrayLike<number>,
): string | null {
  if (actual.length !== expected.length) {
    return `got ${actual.length} values, expected ${expected.length}`;
  }
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      if (Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e))) continue;
      return `element ${i}: got ${a}, expected ${e}`;
    }
    const allowed = tol.atol + tol.rtol * Math.max(Math.abs(e), scale ? Math.abs(scale[i]) : 0);
    if (!(Math.abs(a - e) <= allowed)) {
      return `element ${i}: got ${a}, expected ${e} (|diff| ${Math.abs(a - e)} > ${allowed})`;
    }
  }
  return null;
}

/** Reads `t` (with `await t.data()`, the one readback every backend supports) and checks it. */
export async function expectTensor(
  t: Tensor,
  shape: Shape,
  expected: ArrayLike<number>,
  tol: Tolerance,
  scale?: ArrayLike<number>,
): Promise<void> {
  expect(formatShape(t.shape), 'shape').toBe(formatShape(shape));
  const values = await t.data();
  const mismatch = firstMismatch(values, expected, tol, scale);
  if (mismatch !== null) {
    throw new Error(`values of ${formatShape(shape)} differ from the reference: ${mismatch}`);
  }
}

/** Checks exact values (layout ops, hand-derived integers). */
export async function expectExact(t: Tensor, shape: Shape, expected: number[]): Promise<void> {
  expect(formatShape(t.shape), 'shape').toBe(formatShape(shape));
  expect(Array.from(await t.data())).toEqual(expected);
}

/**
 * Expects `fn` to throw a TensorError whose message contains every fragment (an op name, a
 * formatted shape ...). Checked by name, not `instanceof`, so a backend built against another
 * copy of the package still passes.
 */
export function expectTensorError(fn: () => unknown, ...fragments: string[]): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, 'expected a TensorError to be thrown').toBeInstanceOf(Error);
  const err = thrown as Error;
  expect(err.name).toBe('TensorError');
  for (const f of fragments) expect(err.message).toContain(f);
}

/** Row-major transpose of a host matrix stored [rows, cols] (to build transposed operands). */
export function transposeHost(values: ArrayLike<number>, rows: number, cols: number): number[] {
  const out = new Array<number>(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) out[j * rows + i] = values[i * cols + j];
  return out;
}
