/**
 * @optlab/tensor-gpu — the GPU backend of @optlab/tensor, on gpu.js kernels.
 *
 * `await gpu({ mode })` returns a backend implementing `Backend`; `backend.device` names the
 * gpu.js mode and renderer that actually run. See docs/decisions/0007-gpu-backend.md.
 */
export { gpu, defaultMode } from './gpu.js';
export type { GpuOptions } from './gpu.js';
export { GpuBackend } from './backend.js';
export { GPU_MODES, GpuFallbackError } from './kernel-cache.js';
export type { GpuMode } from './kernel-cache.js';
