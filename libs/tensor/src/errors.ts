import type { Shape } from './types.js';

/** Formats a shape the way error messages print it: `[2,3]`, `[]` for a scalar. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** Thrown for any misuse of the tensor API: bad shapes, disposed tensors, mixed backends. */
export class TensorError extends Error {
  override name = 'TensorError';
}

export function shapeMismatch(op: string, a: Shape, b: Shape, why: string): TensorError {
  return new TensorError(`${op}: shapes ${formatShape(a)} and ${formatShape(b)} ${why}`);
}
