import type { Conv2dOptions, Pool2dOptions } from './conv.js';
import type { FusedProgram } from './fused.js';
import type { Tensor } from './tensor.js';
import type { DType, NestedArray, Shape, TypedArray } from './types.js';

/** A tensor or a plain number (a scalar operand that broadcasts everywhere). */
export type TensorOrNumber = Tensor | number;

export interface MatmulOptions {
  /** Use Aᵀ: `a` is stored as [K, M]. */
  transposeA?: boolean;
  /** Use Bᵀ: `b` is stored as [N, K]. */
  transposeB?: boolean;
}

export interface RandomOptions {
  /** Seed of the generator; the same seed gives the same values on every backend. */
  seed: number;
}

/** What a backend did so far; tests assert residency with these. */
export interface BackendStats {
  /** Compute passes launched (CPU: op calls; GPU: kernel launches). */
  kernels: number;
  /** Host → device copies (tensor creation from host data). */
  uploads: number;
  /** Device → host copies (`data()`/`dataSync()`). */
  readbacks: number;
  /** Tensors created and not yet disposed. */
  liveTensors: number;
  /** Bytes held by live tensors. */
  liveBytes: number;
}

/**
 * The contract every tensor backend implements. Everything above libs/tensor (optimizers,
 * models, the runner) is written against this interface only.
 *
 * Rules common to all ops:
 * - Every op returns a new tensor (except `fusedUpdate`'s in-place outputs) and never changes its
 *   inputs.
 * - Binary ops broadcast with NumPy's rules; a number operand is a scalar.
 * - A shape mismatch throws a `TensorError` naming the op and both shapes; a disposed tensor or a
 *   tensor of another backend throws too.
 * - Integer-valued tensors (class labels) are stored in the backend's float dtype.
 */
export interface Backend {
  /** Short name, e.g. `cpu` or `gpu`. */
  readonly name: string;
  /** What actually runs, for humans: `cpu float64 (typed arrays)`, `gpu.js webgl2 (...)`. */
  readonly device: string;
  readonly dtype: DType;
  /** True where `readSync`/`dataSync()` work. */
  readonly canReadSync: boolean;

  // ---- creation and storage ------------------------------------------------------------
  /** From nested arrays (shape inferred) or flat values with a shape. */
  tensor(values: NestedArray | ArrayLike<number>, shape?: Shape): Tensor;
  zeros(shape: Shape): Tensor;
  ones(shape: Shape): Tensor;
  full(shape: Shape, value: number): Tensor;
  /** Uniform on [low, high), default [0, 1). */
  uniform(shape: Shape, options: RandomOptions & { low?: number; high?: number }): Tensor;
  /** Normal(mean, std), default N(0, 1). */
  normal(shape: Shape, options: RandomOptions & { mean?: number; std?: number }): Tensor;
  /** A copy of the values (a readback on a GPU backend). */
  read(t: Tensor): Promise<TypedArray>;
  readSync(t: Tensor): TypedArray;
  /** Frees a tensor's storage; called by `Tensor.dispose()`, not by users. */
  release(t: Tensor): void;
  stats(): BackendStats;
  /** Frees every cached buffer and compiled kernel; live tensors stay valid. */
  dispose(): void;

  // ---- elementwise ----------------------------------------------------------------------
  neg(x: Tensor): Tensor;
  abs(x: Tensor): Tensor;
  sign(x: Tensor): Tensor;
  square(x: Tensor): Tensor;
  sqrt(x: Tensor): Tensor;
  exp(x: Tensor): Tensor;
  log(x: Tensor): Tensor;
  tanh(x: Tensor): Tensor;
  sigmoid(x: Tensor): Tensor;
  relu(x: Tensor): Tensor;
  add(a: TensorOrNumber, b: TensorOrNumber): Tensor;
  sub(a: TensorOrNumber, b: TensorOrNumber): Tensor;
  mul(a: TensorOrNumber, b: TensorOrNumber): Tensor;
  div(a: TensorOrNumber, b: TensorOrNumber): Tensor;
  pow(a: TensorOrNumber, b: TensorOrNumber): Tensor;
  maximum(a: TensorOrNumber, b: TensorOrNumber): Tensor;
  minimum(a: TensorOrNumber, b: TensorOrNumber): Tensor;

  // ---- linear algebra and reductions ----------------------------------------------------
  /** 2-D matrix product op(a)·op(b), op = transpose when the flag is set. */
  matmul(a: Tensor, b: Tensor, options?: MatmulOptions): Tensor;
  sum(x: Tensor, axes?: number | readonly number[], keepDims?: boolean): Tensor;
  mean(x: Tensor, axes?: number | readonly number[], keepDims?: boolean): Tensor;
  max(x: Tensor, axes?: number | readonly number[], keepDims?: boolean): Tensor;
  softmax(x: Tensor, axis?: number): Tensor;
  logSoftmax(x: Tensor, axis?: number): Tensor;
  /**
   * Mean cross-entropy of `logits` [N, C] against integer `labels` [N], and its gradient
   * with respect to the logits, `(softmax(logits) − onehot(labels)) / N`, in one pass.
   */
  softmaxCrossEntropy(logits: Tensor, labels: Tensor): { loss: Tensor; grad: Tensor };

  // ---- convolution and pooling (NCHW, PyTorch semantics) --------------------------------
  /**
   * 2-D cross-correlation without bias: x [N,C,H,W] with w [O,C,kh,kw] → [N,O,Ho,Wo],
   * `Ho = ⌊(H + 2·padH − kh)/strideH⌋ + 1`, zero padding (PyTorch's `conv2d`).
   */
  conv2d(x: Tensor, w: Tensor, options?: Conv2dOptions): Tensor;
  /** ∂L/∂x of `conv2d(x, w)` given dy = ∂L/∂y [N,O,Ho,Wo]; x has shape `xShape`. */
  conv2dBackwardInput(dy: Tensor, w: Tensor, xShape: Shape, options?: Conv2dOptions): Tensor;
  /** ∂L/∂w of `conv2d(x, w)` given dy = ∂L/∂y [N,O,Ho,Wo]; w has shape `wShape`. */
  conv2dBackwardWeight(x: Tensor, dy: Tensor, wShape: Shape, options?: Conv2dOptions): Tensor;
  /** Max over each window; padding counts as −∞ (PyTorch's `max_pool2d`, floor mode). */
  maxPool2d(x: Tensor, options: Pool2dOptions): Tensor;
  /** ∂L/∂x of `maxPool2d(x)`: each window's dy goes to the first maximum in it (row-major). */
  maxPool2dBackward(dy: Tensor, x: Tensor, options: Pool2dOptions): Tensor;
  /** Mean over each window, padding zeros counted (`count_include_pad=True`), floor mode. */
  avgPool2d(x: Tensor, options: Pool2dOptions): Tensor;
  /** ∂L/∂x of `avgPool2d`: each window's dy spread evenly over its kh·kw cells. */
  avgPool2dBackward(dy: Tensor, xShape: Shape, options: Pool2dOptions): Tensor;

  // ---- layout -----------------------------------------------------------------------------
  /** Rows of `x` (along axis 0) at `indices`, in that order: minibatches. */
  gather(x: Tensor, indices: ArrayLike<number>): Tensor;
  /** Permutes axes; default reverses them. */
  transpose(x: Tensor, perm?: readonly number[]): Tensor;
  /** Same values, new shape; one dimension may be -1. */
  reshape(x: Tensor, shape: Shape): Tensor;
  /** The block starting at `begin` of extent `size` (-1: to the end). */
  slice(x: Tensor, begin: readonly number[], size: readonly number[]): Tensor;
  concat(xs: readonly Tensor[], axis?: number): Tensor;

  // ---- fused --------------------------------------------------------------------------------
  /**
   * Runs a fused elementwise program in one pass: outputs named like inputs are written into
   * those tensors in place, others are returned as new tensors. See `defineUpdate`.
   */
  fusedUpdate(
    program: FusedProgram,
    tensors: Readonly<Record<string, Tensor>>,
    scalars?: Readonly<Record<string, number>>,
  ): Record<string, Tensor>;
}

/** Creates a backend; the conformance suite takes one of these. Async so GPU backends fit. */
export type BackendFactory = () => Backend | Promise<Backend>;
