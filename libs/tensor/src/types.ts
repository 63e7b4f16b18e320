/** Element types a backend can store. Every tensor of a backend has that backend's dtype. */
export type DType = 'float32' | 'float64';

export const DTYPES: readonly DType[] = ['float32', 'float64'];

/** A tensor's dimensions, outermost first. `[]` is a scalar. */
export type Shape = readonly number[];

/** What `data()` returns: a copy of the values in row-major order. */
export type TypedArray = Float32Array | Float64Array;

/** Nested JavaScript arrays of numbers, as accepted by `backend.tensor(...)`. */
export type NestedArray = number | readonly NestedArray[];

/** Names of the elementwise unary ops every backend implements. */
export const UNARY_OPS = [
  'neg',
  'abs',
  'sign',
  'square',
  'sqrt',
  'exp',
  'log',
  'tanh',
  'sigmoid',
  'relu',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/** Names of the elementwise binary ops every backend implements (NumPy broadcasting). */
export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

/** Names of the reductions every backend implements. */
export const REDUCE_OPS = ['sum', 'mean', 'max'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];
