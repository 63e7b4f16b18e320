import type { Texture } from 'gpu.js';
import { fillKernel, type KernelSpec } from './codegen.js';
import type { Device, DeviceBuffer, KernelArg } from './device.js';
import { KernelCache, type GpuMode } from './kernel-cache.js';

/** A gpu.js texture (webgl2) or a Float32Array (webasm and cpu, whose device is host memory). */
type SyncBuffer = Texture | Float32Array;

function isTexture(b: unknown): b is Texture {
  return !(b instanceof Float32Array);
}

/**
 * The synchronous gpu.js modes: webgl2 (pipeline results are textures passed kernel to kernel,
 * read with `readPixels`), webasm and cpu (pipeline results are typed arrays).
 */
export class SyncDevice implements Device {
  readonly canReadSync = true;
  readonly residentUploads: boolean;
  readonly supportsKernelMaps: boolean;
  readonly #cache: KernelCache;

  constructor(readonly mode: Exclude<GpuMode, 'webgpu'>) {
    this.#cache = new KernelCache(mode);
    this.residentUploads = mode === 'webgl2';
    // webasm would run a kernel map on its cpu fallback: one kernel per output there.
    this.supportsKernelMaps = mode !== 'webasm';
    // A first kernel creates the context (and proves the mode), so the device can be described.
    this.free(this.run(fillKernel(1), [0])[0]);
  }

  get compiledKernels(): number {
    return this.#cache.size;
  }

  /** The WebGL context gpu.js created, where there is one. */
  get context(): unknown {
    return (this.#cache.gpu as unknown as { context?: unknown }).context;
  }

  run(spec: KernelSpec, args: readonly KernelArg[]): DeviceBuffer[] {
    const compiled = this.#cache.get(spec);
    const result = (compiled.run as unknown as (...a: unknown[]) => unknown)(...args);
    this.#cache.verify(compiled);
    const extra = spec.extraOutputs ?? [];
    if (extra.length === 0) return [result as SyncBuffer];
    const map = result as Record<string, SyncBuffer>;
    return [map.result, ...extra.map((_, k) => map[`o${k + 1}`])];
  }

  hostBuffer(values: Float32Array): DeviceBuffer {
    return values.slice();
  }

  read(b: DeviceBuffer, size: number): Promise<Float32Array> {
    try {
      return Promise.resolve(this.readSync(b, size));
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  readSync(b: DeviceBuffer, size: number): Float32Array {
    const buf = b as SyncBuffer;
    if (!isTexture(buf)) return buf.slice(0, size);
    const values = buf.toArray() as unknown as ArrayLike<number>;
    return values instanceof Float32Array && values.length === size
      ? values
      : Float32Array.from({ length: size }, (_, i) => values[i]);
  }

  /** Deletes a texture now (reference-counted by gpu.js); host arrays go to the collector. */
  free(b: DeviceBuffer): void {
    const buf = b as SyncBuffer;
    if (isTexture(buf)) buf.delete();
  }

  share(b: DeviceBuffer): DeviceBuffer {
    const buf = b as SyncBuffer;
    return isTexture(buf) ? buf.clone() : buf;
  }

  destroyKernels(): void {
    this.#cache.destroyAll();
  }
}
