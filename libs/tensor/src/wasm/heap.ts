import { TensorError } from '../errors.js';

/**
 * The float32 tensor heap of the WebAssembly path: every tensor's values live in one
 * `WebAssembly.Memory`, which the kernels address by byte offset.
 *
 * Blocks are 16-byte aligned (one v128) and a multiple of 16 bytes long. Free blocks are kept
 * sorted by address and merged with their neighbours on release, and a free block at the top
 * lowers the top, so memory freed by a step serves the next step whatever the sizes (no size
 * classes that could strand memory). The memory grows (doubling, at least to what is needed)
 * when no free block fits; WebAssembly memories never shrink, so the high-water mark stays.
 *
 * **Views.** Growing a memory detaches its `ArrayBuffer`: every typed array made on it before
 * becomes empty (length 0, reads `undefined`, writes dropped without an error). So a block is a
 * pointer, never a view, and `view(block)` makes a fresh `Float32Array` on the current buffer.
 * The rule every op follows: allocate everything first, then take views; a view is never kept
 * past the next `alloc`. `generation` counts growths so tests can check one happened mid-op.
 */
export interface WasmBlock {
  /** Byte offset in the memory (16-byte aligned; 0 for an empty block). */
  readonly ptr: number;
  /** Elements (float32). */
  readonly length: number;
}

const ALIGN = 16;
const PAGE = 65536;
/** The first 16 bytes stay unused, so no real block has pointer 0. */
const BASE = ALIGN;

interface FreeRange {
  ptr: number;
  bytes: number;
}

export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  #f32: Float32Array;
  #top = BASE;
  /** Free ranges below `#top`, sorted by address, never adjacent (merged on release). */
  #free: FreeRange[] = [];
  #freeBytes = 0;
  /** Highest `#top` so far: bytes below it and not live are reserved for reuse. */
  #highWater = BASE;
  #liveBytes = 0;
  #generation = 0;

  constructor(initialPages = 16) {
    this.memory = new WebAssembly.Memory({ initial: initialPages });
    this.#f32 = new Float32Array(this.memory.buffer);
  }

  /** How many times the memory has grown (each growth detached every earlier view). */
  get generation(): number {
    return this.#generation;
  }

  get capacityBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * Bytes reserved in the memory and not live: released blocks (free ranges below the top) and
   * the space a step freed at the top, below the high-water mark. A repeated step that reuses
   * memory leaves it unchanged; one that needed new memory raises it.
   */
  get pooledBytes(): number {
    return this.#highWater - BASE - this.#liveBytes;
  }

  /** Bytes in free ranges between live blocks (fragmentation; 0 when the heap is compact). */
  get freeRangeBytes(): number {
    return this.#freeBytes;
  }

  alloc(length: number): WasmBlock {
    if (length === 0) return { ptr: 0, length: 0 };
    const bytes = Math.ceil((length * 4) / ALIGN) * ALIGN;
    // Best fit among the free ranges: an exact fit (the usual case in a repeated step) first.
    let best = -1;
    for (let i = 0; i < this.#free.length; i++) {
      const r = this.#free[i];
      if (r.bytes === bytes) {
        best = i;
        break;
      }
      if (r.bytes > bytes && (best < 0 || r.bytes < this.#free[best].bytes)) best = i;
    }
    if (best >= 0) {
      const r = this.#free[best];
      const ptr = r.ptr;
      if (r.bytes === bytes) this.#free.splice(best, 1);
      else {
        r.ptr += bytes;
        r.bytes -= bytes;
      }
      this.#freeBytes -= bytes;
      this.#liveBytes += bytes;
      return { ptr, length };
    }
    const ptr = this.#top;
    this.ensure(ptr + bytes);
    this.#top = ptr + bytes;
    this.#highWater = Math.max(this.#highWater, this.#top);
    this.#liveBytes += bytes;
    return { ptr, length };
  }

  release(block: WasmBlock): void {
    if (block.length === 0) return;
    const bytes = Math.ceil((block.length * 4) / ALIGN) * ALIGN;
    const free = this.#free;
    // Insert in address order, then merge with the neighbours it touches.
    let i = 0;
    while (i < free.length && free[i].ptr < block.ptr) i++;
    const prev = free[i - 1];
    const next = free[i];
    if (
      (prev && prev.ptr + prev.bytes > block.ptr) ||
      (next && block.ptr + bytes > next.ptr) ||
      block.ptr + bytes > this.#top
    ) {
      throw new Error('heap: block released twice');
    }
    let range: FreeRange;
    if (prev && prev.ptr + prev.bytes === block.ptr) {
      prev.bytes += bytes;
      range = prev;
      i--;
    } else {
      range = { ptr: block.ptr, bytes };
      free.splice(i, 0, range);
    }
    this.#freeBytes += bytes;
    this.#liveBytes -= bytes;
    if (next && range.ptr + range.bytes === next.ptr) {
      range.bytes += next.bytes;
      free.splice(i + 1, 1);
    }
    // A free range that reaches the top gives its bytes back to the top.
    if (range.ptr + range.bytes === this.#top) {
      this.#top = range.ptr;
      this.#freeBytes -= range.bytes;
      free.splice(i, 1);
    }
  }

  /** A fresh view of the block, valid until the next `alloc` (which may grow the memory). */
  view(block: WasmBlock): Float32Array {
    const start = block.ptr >>> 2;
    return this.#f32.subarray(start, start + block.length);
  }

  /**
   * Forgets the reserve: the high-water mark drops to the top. WebAssembly memories cannot
   * shrink, so the bytes stay with the memory (freed when the backend is garbage-collected); live
   * blocks are untouched.
   */
  trimReserve(): void {
    this.#highWater = this.#top;
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const havePages = have / PAGE;
    try {
      this.memory.grow(Math.ceil(Math.max(end, have * 2) / PAGE) - havePages);
    } catch {
      // Doubling went past the engine's limit: ask for exactly what is needed, once.
      try {
        this.memory.grow(Math.ceil(end / PAGE) - havePages);
      } catch {
        throw new TensorError(
          `cpu (wasm simd): out of memory: cannot grow the tensor heap from ${have} to ${end} bytes; use cpu({ simd: 'js' }) for tensors beyond the WebAssembly memory limit`,
        );
      }
    }
    this.#f32 = new Float32Array(this.memory.buffer);
    this.#generation++;
  }
}
