import { describe, expect, it } from 'vitest';
import { WasmHeap } from '../src/wasm/heap.js';

describe('wasm heap', () => {
  it('hands out 16-byte aligned blocks that do not overlap', () => {
    const heap = new WasmHeap(1);
    const blocks = [1, 3, 4, 5, 17].map((n) => heap.alloc(n));
    expect(blocks.map((b) => b.ptr)).toEqual([16, 32, 48, 64, 96]);
    expect(heap.alloc(0)).toEqual({ ptr: 0, length: 0 });
  });

  it('reuses released blocks, merging neighbours, and lowers the top', () => {
    const heap = new WasmHeap(1);
    const a = heap.alloc(4);
    const b = heap.alloc(4);
    const c = heap.alloc(4);
    const d = heap.alloc(4);
    heap.release(b);
    heap.release(c);
    expect(heap.freeRangeBytes).toBe(32);
    // b and c merged: an 8-float block fits where they were.
    expect(heap.alloc(8).ptr).toBe(b.ptr);
    expect(heap.freeRangeBytes).toBe(0);
    heap.release(d);
    // d was at the top: nothing is left in free ranges, the top came down.
    expect(heap.freeRangeBytes).toBe(0);
    expect(heap.alloc(4).ptr).toBe(d.ptr);
    expect(heap.pooledBytes).toBe(0);
    heap.release(a);
    expect(heap.pooledBytes).toBe(16);
    expect(() => heap.release(a)).toThrow('heap: block released twice');
  });

  it('prefers the best-fitting free range', () => {
    const heap = new WasmHeap(1);
    const big = heap.alloc(16);
    heap.alloc(4);
    const small = heap.alloc(4);
    heap.alloc(4);
    heap.release(big);
    heap.release(small);
    expect(heap.alloc(4).ptr).toBe(small.ptr);
    expect(heap.alloc(4).ptr).toBe(big.ptr);
  });

  it('grows when nothing fits; views made before a growth are detached, fresh ones are not', () => {
    const heap = new WasmHeap(1);
    const a = heap.alloc(1000);
    heap.view(a).fill(3);
    const stale = heap.view(a);
    expect(heap.generation).toBe(0);
    heap.alloc(20000); // 80 KB > the 64 KiB first page
    expect(heap.generation).toBe(1);
    expect(heap.capacityBytes).toBeGreaterThanOrEqual(16 + 4000 + 80000);
    // The classic bug: the old view silently went empty.
    expect(stale.length).toBe(0);
    expect(stale[0]).toBeUndefined();
    const fresh = heap.view(a);
    expect(fresh.length).toBe(1000);
    expect(fresh.every((v) => v === 3)).toBe(true);
  });

  it('memory freed by one step serves the next: the high-water mark stays', () => {
    const heap = new WasmHeap(1);
    const step = (): void => {
      const blocks = [300, 7, 1200, 45].map((n) => heap.alloc(n));
      blocks.reverse().forEach((b) => heap.release(b));
      const mixed = [45, 1200].map((n) => heap.alloc(n));
      mixed.forEach((b) => heap.release(b));
    };
    step();
    const pooled = heap.pooledBytes;
    const capacity = heap.capacityBytes;
    for (let i = 0; i < 5; i++) step();
    expect(heap.pooledBytes).toBe(pooled);
    expect(heap.capacityBytes).toBe(capacity);
  });
});
