import type { DType, TypedArray } from '../types.js';
import { WasmHeap, type WasmBlock } from '../wasm/heap.js';
import { BufferPool } from './pool.js';

/**
 * Where a CPU backend keeps tensor values: its own typed arrays (the JavaScript path) or blocks
 * of one WebAssembly memory (the wasm path). A tensor's `storage` is whatever `alloc` returned;
 * ops read and write it through `view`, which on the wasm heap is a fresh typed array that is
 * valid only until the next `alloc` (an allocation may grow the memory and detach older views).
 * So every op allocates all its outputs and scratch first, then takes views.
 */
export interface TensorHeap {
  alloc(length: number): unknown;
  release(storage: unknown): void;
  view(storage: unknown): TypedArray;
  byteLength(storage: unknown): number;
  /** Bytes released and held for reuse. */
  readonly pooledBytes: number;
  /** Drops what is held for reuse; live tensors stay valid. */
  clear(): void;
}

/** Plain typed arrays, recycled by length (the JavaScript path, and every float64 backend). */
export class TypedArrayHeap implements TensorHeap {
  readonly #pool: BufferPool;

  constructor(dtype: DType) {
    this.#pool = new BufferPool(dtype);
  }

  alloc(length: number): TypedArray {
    return this.#pool.acquire(length);
  }
  release(storage: unknown): void {
    this.#pool.release(storage as TypedArray);
  }
  view(storage: unknown): TypedArray {
    return storage as TypedArray;
  }
  byteLength(storage: unknown): number {
    return (storage as TypedArray).byteLength;
  }
  get pooledBytes(): number {
    return this.#pool.pooledBytes;
  }
  clear(): void {
    this.#pool.clear();
  }
}

/** Float32 blocks of one WebAssembly memory (see wasm/heap.ts). */
export class WasmTensorHeap implements TensorHeap {
  readonly heap: WasmHeap;

  constructor(initialPages?: number) {
    this.heap = new WasmHeap(initialPages);
  }

  alloc(length: number): WasmBlock {
    return this.heap.alloc(length);
  }
  release(storage: unknown): void {
    this.heap.release(storage as WasmBlock);
  }
  view(storage: unknown): Float32Array {
    return this.heap.view(storage as WasmBlock);
  }
  byteLength(storage: unknown): number {
    return (storage as WasmBlock).length * 4;
  }
  get pooledBytes(): number {
    return this.heap.pooledBytes;
  }
  clear(): void {
    this.heap.trimReserve();
  }
}
