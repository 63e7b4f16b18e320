import type { Backend } from '../backend.js';
import type { Tensor } from '../tensor.js';
import reference from './fixtures/reference.json' with { type: 'json' };

/**
 * Typed access to the NumPy/PyTorch reference values in fixtures/reference.json, written by
 * tools/fixtures/tensor/generate.py (rerun it there; never edit the JSON by hand).
 */

/** A tensor as stored in the fixture: flat row-major values; non-finite values are strings. */
export interface FixtureTensor {
  shape: number[];
  values: (number | string)[];
}

export type FixtureOperand = FixtureTensor | number | string;

export interface Fixtures {
  meta: { generator: string; numpy: string; torch: string };
  unary: { x: FixtureTensor; expected: Record<string, FixtureTensor> };
  binary: {
    op: string;
    case: string;
    a: FixtureOperand;
    b: FixtureOperand;
    expected: FixtureTensor;
  }[];
  binaryEdges: { op: string; a: FixtureTensor; b: FixtureTensor; expected: FixtureTensor }[];
  matmul: {
    case: string;
    a: FixtureTensor;
    b: FixtureTensor;
    expected: FixtureTensor;
    scale: FixtureTensor;
  }[];
  reduce: {
    inputs: Record<string, FixtureTensor>;
    cases: {
      op: string;
      input: string;
      axes: number | number[] | null;
      keepDims: boolean;
      expected: FixtureTensor;
      scale: FixtureTensor;
    }[];
  };
  softmax: {
    inputs: Record<string, FixtureTensor>;
    cases: {
      input: string;
      axis: number;
      softmax: FixtureTensor;
      logSoftmax: FixtureTensor;
      logSoftmaxScale: FixtureTensor;
    }[];
  };
  crossEntropy: {
    case: string;
    logits: FixtureTensor;
    labels: number[];
    loss: number | string;
    grad: FixtureTensor;
  }[];
  layout: {
    inputs: Record<string, FixtureTensor>;
    transpose: { input: string; perm: number[]; expected: FixtureTensor }[];
    slice: { begin: number[]; size: number[]; expected: FixtureTensor }[];
    concat: { axis: number; inputs: FixtureTensor[]; expected: FixtureTensor }[];
  };
}

export const fixtures: Fixtures = reference as Fixtures;

/** Decodes a fixture number ("NaN", "Infinity", "-Infinity" are strings in JSON). */
export function decodeNumber(v: number | string): number {
  return typeof v === 'number' ? v : Number(v);
}

export function decodeValues(t: FixtureTensor): number[] {
  return t.values.map(decodeNumber);
}

/** Uploads a fixture tensor to the backend under test. */
export function upload(backend: Backend, t: FixtureTensor): Tensor {
  return backend.tensor(decodeValues(t), t.shape);
}

/** A binary operand: a fixture tensor is uploaded, a plain number stays a number. */
export function uploadOperand(backend: Backend, o: FixtureOperand): Tensor | number {
  return typeof o === 'object' ? upload(backend, o) : decodeNumber(o);
}

/** Human-readable shape of an operand for test names: `[2,3]` or `number`. */
export function describeOperand(o: FixtureOperand): string {
  return typeof o === 'object' ? `[${o.shape.join(',')}]` : 'number';
}
