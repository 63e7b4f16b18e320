import { GPU } from 'gpu.js';
import { GpuBackend } from './backend.js';
import type { Device } from './device.js';
import { GPU_MODES, GpuFallbackError, kernelClassName, type GpuMode } from './kernel-cache.js';
import { SyncDevice } from './sync-device.js';
import { WebGpuDevice } from './webgpu-device.js';

export interface GpuOptions {
  /**
   * The gpu.js kernel mode. Default: `webgl2` where WebGL2 exists (browsers, Electron's renderer),
   * otherwise `webasm` (plain Node, where gpu.js has no GL). `webgpu` is never picked by default:
   * ask for it where an adapter answers.
   */
  mode?: GpuMode;
}

/** The mode `gpu()` picks when none is given. */
export function defaultMode(): GpuMode {
  return GPU.isWebGL2Supported ? 'webgl2' : 'webasm';
}

async function isAvailable(mode: GpuMode): Promise<boolean> {
  switch (mode) {
    case 'webgl2':
      return GPU.isWebGL2Supported;
    case 'webgpu':
      return GPU.isWebGPUSupported && (await GPU.isWebGPUAvailable());
    case 'webasm':
      return GPU.isWebAssemblySupported;
    case 'cpu':
      return true;
  }
}

/** The renderer behind a GL context (e.g. SwiftShader), where the browser tells it. */
function glRenderer(context: unknown): string | null {
  const gl = context as WebGL2RenderingContext | null | undefined;
  if (!gl || typeof gl.getParameter !== 'function') return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer: unknown = gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
  return typeof renderer === 'string' ? renderer : null;
}

/** The WebGPU adapter's vendor and architecture, where the browser tells them. */
async function webGpuAdapter(): Promise<string | null> {
  const nav = globalThis.navigator as
    { gpu?: { requestAdapter(): Promise<{ info?: Record<string, string> } | null> } } | undefined;
  const adapter = await nav?.gpu?.requestAdapter();
  const info = adapter?.info;
  if (!info) return null;
  const parts = [info.vendor, info.architecture, info.device, info.description].filter(Boolean);
  return parts.length ? parts.join(' ') : null;
}

async function describe(dev: Device): Promise<string> {
  const kernelClass = kernelClassName(dev.mode);
  switch (dev.mode) {
    case 'webgl2':
      return `gpu.js webgl2 (${kernelClass}; ${glRenderer((dev as SyncDevice).context) ?? 'renderer unknown'})`;
    case 'webgpu':
      return `gpu.js webgpu (${kernelClass}; adapter ${(await webGpuAdapter()) ?? 'unknown'})`;
    case 'webasm':
      return `gpu.js webasm (${kernelClass}; WebAssembly on the CPU, single-threaded)`;
    case 'cpu':
      return `gpu.js cpu (${kernelClass}; JavaScript on the CPU)`;
  }
}

/**
 * Creates a GPU backend on gpu.js. Creation fails with a clear error when the requested mode is
 * unavailable or gpu.js silently ran it on another mode (a probe kernel checks both the kernel
 * class and the values), so that `backend.device` always names what actually runs.
 */
export async function gpu(options: GpuOptions = {}): Promise<GpuBackend> {
  const mode = options.mode ?? defaultMode();
  if (!GPU_MODES.includes(mode)) {
    throw new Error(`gpu: unknown mode "${String(mode)}"; known: ${GPU_MODES.join(', ')}`);
  }
  if (!(await isAvailable(mode))) {
    const hint =
      mode === 'webgl2'
        ? '; in Node there is no WebGL: use "webasm" or "cpu"'
        : mode === 'webgpu'
          ? ' or no adapter answered; Chromium needs --enable-unsafe-webgpu and a secure context'
          : '';
    throw new Error(
      `gpu: mode "${mode}" is not available here (gpu.js reports no ${mode} support${hint})`,
    );
  }
  let dev: Device;
  try {
    dev = mode === 'webgpu' ? await WebGpuDevice.create() : new SyncDevice(mode);
  } catch (err) {
    throw startError(mode, err);
  }
  const backend = new GpuBackend(dev, await describe(dev));
  await probe(backend, mode);
  return backend;
}

function startError(mode: GpuMode, err: unknown): Error {
  if (err instanceof GpuFallbackError) {
    return new Error(
      `gpu: requested mode "${mode}" but ${err.message}; refusing to run on a fallback`,
      { cause: err },
    );
  }
  return new Error(`gpu: gpu.js could not start mode "${mode}": ${(err as Error).message}`, {
    cause: err,
  });
}

/** Runs a few small kernels and checks both the mode that ran them and their values. */
async function probe(backend: GpuBackend, mode: GpuMode): Promise<void> {
  const a = backend.tensor([1, 2, 3, 4], [2, 2]);
  const product = backend.matmul(a, a);
  const c = backend.add(product, 0.5);
  try {
    const values = await c.data();
    const expected = [7.5, 10.5, 15.5, 22.5];
    if (!expected.every((v, i) => values[i] === v)) {
      throw new Error(
        `probe kernel computed [${Array.from(values).join(', ')}], expected [${expected.join(', ')}]`,
      );
    }
  } catch (err) {
    if (err instanceof GpuFallbackError) throw startError(mode, err);
    throw new Error(`gpu: mode "${mode}" failed its probe kernel: ${(err as Error).message}`, {
      cause: err,
    });
  } finally {
    for (const t of [a, product, c]) t.dispose();
  }
}
