import { TensorError } from '@optlab/tensor';
import { fillKernel, type KernelSpec } from './codegen.js';
import type { Device, DeviceBuffer, KernelArg } from './device.js';
import { KernelCache } from './kernel-cache.js';

/** gpu.js's pipeline handle on a WebGPU storage buffer (reference-counted like a texture). */
interface BufferResult {
  toArray(): Promise<unknown>;
  delete(): void;
  clone(): BufferResult;
}

/**
 * A WebGPU result that may not exist yet. gpu.js's WebGPU kernels return a Promise from every
 * call (the first call of a kernel compiles its pipeline asynchronously), so an op returns at
 * once with this placeholder, and the kernel is called when its inputs are ready. The buffer is
 * destroyed when its tensor is freed and no queued kernel still needs it.
 */
class PendingBuffer {
  handle: BufferResult | null = null;
  /** Queued kernels (and reads) that still need this buffer. */
  users = 0;
  freed = false;
  deleted = false;
  constructor(readonly ready: Promise<BufferResult>) {
    // Errors surface where the values are read; an intermediate nobody reads must not also
    // raise an unhandled rejection.
    ready.then(
      (h) => {
        this.handle = h;
      },
      () => undefined,
    );
  }
}

/**
 * gpu.js's WebGPU mode: kernels compile to WGSL compute shaders over storage buffers; results
 * stay in those buffers (pipeline mode) and are passed kernel to kernel. Dispatch is synchronous
 * for the caller (placeholders, see PendingBuffer); only `read` awaits. No kernel maps (gpu.js
 * refuses them on WebGPU): one kernel per fused output.
 */
export class WebGpuDevice implements Device {
  readonly mode = 'webgpu' as const;
  readonly canReadSync = false;
  readonly residentUploads = true;
  readonly supportsKernelMaps = false;
  readonly #cache: KernelCache;

  private constructor() {
    this.#cache = new KernelCache('webgpu');
  }

  /** Creates the device and compiles a first kernel (proving the adapter and the mode). */
  static async create(): Promise<WebGpuDevice> {
    const dev = new WebGpuDevice();
    const probe = dev.run(fillKernel(1), [0])[0] as PendingBuffer;
    await probe.ready;
    dev.free(probe);
    return dev;
  }

  get compiledKernels(): number {
    return this.#cache.size;
  }

  run(spec: KernelSpec, args: readonly KernelArg[]): DeviceBuffer[] {
    if ((spec.extraOutputs ?? []).length > 0) {
      throw new Error('webgpu: kernel maps are not supported by gpu.js on WebGPU');
    }
    const compiled = this.#cache.get(spec);
    const pending = args.filter((a): a is PendingBuffer => a instanceof PendingBuffer);
    for (const p of pending) p.users++;
    const ready = (async () => {
      try {
        const resolved = await Promise.all(
          args.map((a) => (a instanceof PendingBuffer ? a.ready : a)),
        );
        const call = compiled.run as unknown as (...a: unknown[]) => Promise<BufferResult>;
        const handle = await call(...resolved);
        this.#cache.verify(compiled);
        return handle;
      } finally {
        for (const p of pending) {
          p.users--;
          this.maybeDelete(p);
        }
      }
    })();
    return [new PendingBuffer(ready)];
  }

  async read(b: DeviceBuffer, size: number): Promise<Float32Array> {
    if (b instanceof Float32Array) return b.slice(0, size);
    const p = b as PendingBuffer;
    p.users++;
    try {
      const handle = await p.ready;
      const values = (await handle.toArray()) as ArrayLike<number>;
      return Float32Array.from({ length: size }, (_, i) => values[i]);
    } finally {
      p.users--;
      this.maybeDelete(p);
    }
  }

  readSync(): Float32Array {
    throw new TensorError(
      'readSync: the webgpu backend reads back asynchronously only (WebGPU has no synchronous readback); use await t.data()',
    );
  }

  free(b: DeviceBuffer): void {
    if (b instanceof Float32Array) return;
    const p = b as PendingBuffer;
    p.freed = true;
    this.maybeDelete(p);
  }

  share(b: DeviceBuffer): DeviceBuffer {
    if (b instanceof Float32Array) return b;
    const p = b as PendingBuffer;
    p.users++;
    const ready = (async () => {
      try {
        return (await p.ready).clone();
      } finally {
        p.users--;
        this.maybeDelete(p);
      }
    })();
    return new PendingBuffer(ready);
  }

  private maybeDelete(p: PendingBuffer): void {
    if (!p.freed || p.users > 0 || p.deleted) return;
    p.deleted = true;
    p.ready.then(
      (h) => h.delete(),
      () => undefined,
    );
  }

  destroyKernels(): void {
    this.#cache.destroyAll();
  }
}
