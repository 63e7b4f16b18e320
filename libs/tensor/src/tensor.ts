import type { Backend } from './backend.js';
import { TensorError, formatShape } from './errors.js';
import { trackTensor, keep } from './scope.js';
import { sizeOf } from './shape.js';
import type { DType, Shape, TypedArray } from './types.js';

let nextTensorId = 1;

/**
 * An n-dimensional array owned by one backend. The values live wherever the backend keeps
 * them (a typed array, a GPU texture); `data()` copies them out. A tensor is immutable to its
 * users; only a backend's fused update writes into one, in place.
 */
export class Tensor {
  /** Marks tensors for scope bookkeeping without an import cycle. */
  readonly __isOptlabTensor = true;
  readonly id = nextTensorId++;
  readonly shape: Shape;
  readonly size: number;
  readonly backend: Backend;
  /**
   * The backend's storage for this tensor. Only the owning backend reads or replaces it (a GPU
   * backend swaps in the output texture of an in-place update).
   */
  storage: unknown;
  #disposed = false;

  constructor(backend: Backend, shape: Shape, storage: unknown) {
    this.backend = backend;
    this.shape = Object.freeze([...shape]);
    this.size = sizeOf(shape);
    this.storage = storage;
    trackTensor(this);
  }

  get dtype(): DType {
    return this.backend.dtype;
  }

  get rank(): number {
    return this.shape.length;
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** A copy of the values, row-major. On a GPU backend this is the (only) readback. */
  data(): Promise<TypedArray> {
    this.assertLive('data');
    return this.backend.read(this);
  }

  /** A copy of the values, synchronously; throws on backends that cannot read synchronously. */
  dataSync(): TypedArray {
    this.assertLive('dataSync');
    return this.backend.readSync(this);
  }

  /** Values as nested arrays (handy in tests and for printing). */
  async array(): Promise<unknown> {
    return nest(await this.data(), this.shape);
  }

  /** Frees the storage; any later use throws. Disposing twice is harmless. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.backend.release(this);
    this.storage = undefined;
  }

  /** Keeps this tensor alive past the enclosing `tidy` scopes. */
  keep(): this {
    return keep(this);
  }

  /** Throws a clear error when this tensor was disposed; backends call it on every input. */
  assertLive(op: string): void {
    if (this.#disposed) {
      throw new TensorError(
        `${op}: tensor #${this.id} ${formatShape(this.shape)} was used after dispose()`,
      );
    }
  }

  toString(): string {
    return `Tensor#${this.id}(${formatShape(this.shape)}, ${this.dtype}, ${this.backend.name})`;
  }
}

function nest(flat: TypedArray, shape: Shape): unknown {
  if (shape.length === 0) return flat[0];
  const walk = (offset: number, dim: number): unknown => {
    if (dim === shape.length - 1) return Array.from(flat.subarray(offset, offset + shape[dim]));
    const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: shape[dim] }, (_, i) => walk(offset + i * inner, dim + 1));
  };
  return walk(0, 0);
}

/**
 * A trainable value and its gradient. The parameter owns both: assigning a new gradient disposes
 * the previous one, and neither is freed by an enclosing `tidy`.
 */
export class Parameter {
  #value: Tensor;
  #grad: Tensor | null = null;
  readonly name: string | undefined;

  constructor(value: Tensor, name?: string) {
    this.#value = keep(value);
    this.name = name;
  }

  get value(): Tensor {
    return this.#value;
  }

  set value(t: Tensor) {
    if (t === this.#value) return;
    this.checkShape('value', t);
    this.#value.dispose();
    this.#value = keep(t);
  }

  get grad(): Tensor | null {
    return this.#grad;
  }

  set grad(t: Tensor | null) {
    if (t === this.#grad) return;
    if (t) this.checkShape('grad', t);
    this.#grad?.dispose();
    this.#grad = t ? keep(t) : null;
  }

  get shape(): Shape {
    return this.#value.shape;
  }

  get backend(): Backend {
    return this.#value.backend;
  }

  /** Drops the gradient (PyTorch's `set_to_none=True`, its default). */
  zeroGrad(): void {
    this.grad = null;
  }

  dispose(): void {
    this.#grad?.dispose();
    this.#grad = null;
    this.#value.dispose();
  }

  private checkShape(what: string, t: Tensor): void {
    if (
      t.shape.length !== this.#value.shape.length ||
      t.shape.some((d, i) => d !== this.#value.shape[i])
    ) {
      throw new TensorError(
        `Parameter${this.name ? ` "${this.name}"` : ''}: ${what} has shape ${formatShape(t.shape)}, expected ${formatShape(this.#value.shape)}`,
      );
    }
    if (t.backend !== this.#value.backend) {
      throw new TensorError(
        `Parameter${this.name ? ` "${this.name}"` : ''}: ${what} is on backend ${t.backend.name}, the value on ${this.#value.backend.name}`,
      );
    }
  }
}
