import type { KernelSpec } from './codegen.js';
import type { GpuMode } from './kernel-cache.js';

/** A device buffer; each device knows its own kind (texture, host array, WebGPU buffer). */
export type DeviceBuffer = object;

/** A kernel argument: a device buffer, host data uploaded with the call, or a number uniform. */
export type KernelArg = DeviceBuffer | Float32Array | number;

/**
 * What the backend needs from where kernels run. Dispatch is synchronous for the caller on
 * every device; only reading back may wait (WebGPU).
 */
export interface Device {
  readonly mode: GpuMode;
  /** Whether `readSync` works (not on WebGPU: its readback is asynchronous). */
  readonly canReadSync: boolean;
  /** Whether host data goes into device memory by a kernel (GL textures, WebGPU buffers). */
  readonly residentUploads: boolean;
  /** Whether several outputs can come from one kernel (a gpu.js kernel map). */
  readonly supportsKernelMaps: boolean;
  /** Number of distinct kernels compiled so far. */
  readonly compiledKernels: number;
  /** Runs a kernel; returns its outputs (one, or one per kernel-map output). */
  run(spec: KernelSpec, args: readonly KernelArg[]): DeviceBuffer[];
  /** A device buffer holding a copy of host values, without a kernel (host-memory devices). */
  hostBuffer?(values: Float32Array): DeviceBuffer;
  read(b: DeviceBuffer, size: number): Promise<Float32Array>;
  readSync(b: DeviceBuffer, size: number): Float32Array;
  /** Frees a buffer once nothing pending still reads it. */
  free(b: DeviceBuffer): void;
  /** A second handle on the same values (reshape); free each handle once. */
  share(b: DeviceBuffer): DeviceBuffer;
  /** Destroys the compiled kernels. */
  destroyKernels(): void;
}
