import type { DType, TypedArray } from '../types.js';

/**
 * Reuses typed arrays by length. A training step disposes its intermediates (through `tidy`);
 * their buffers come back here and serve the next step, so steady-state training allocates no
 * new memory. Buffers handed out may hold old values: callers that need zeros clear them.
 */
export class BufferPool {
  readonly #free = new Map<number, TypedArray[]>();
  #pooledBytes = 0;

  constructor(
    private readonly dtype: DType,
    /** Upper bound on bytes kept for reuse; beyond it released buffers go to the GC. */
    private readonly maxPooledBytes = 512 * 1024 * 1024,
  ) {}

  get bytesPerElement(): number {
    return this.dtype === 'float32' ? 4 : 8;
  }

  acquire(length: number): TypedArray {
    const list = this.#free.get(length);
    const reused = list?.pop();
    if (reused) {
      this.#pooledBytes -= reused.byteLength;
      return reused;
    }
    return this.dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
  }

  release(buf: TypedArray): void {
    if (buf.length === 0 || this.#pooledBytes + buf.byteLength > this.maxPooledBytes) return;
    let list = this.#free.get(buf.length);
    if (!list) this.#free.set(buf.length, (list = []));
    list.push(buf);
    this.#pooledBytes += buf.byteLength;
  }

  get pooledBytes(): number {
    return this.#pooledBytes;
  }

  clear(): void {
    this.#free.clear();
    this.#pooledBytes = 0;
  }
}
