import * as gpujs from 'gpu.js';
import { GPU, type IKernelRunShortcut } from 'gpu.js';
import { helperFunctions, subKernelSource, type KernelSpec } from './codegen.js';

/** The gpu.js kernel modes this backend can run on. */
export type GpuMode = 'webgl2' | 'webgpu' | 'webasm' | 'cpu';

export const GPU_MODES: readonly GpuMode[] = ['webgl2', 'webgpu', 'webasm', 'cpu'];

/** Thrown when gpu.js ran a kernel on another mode than the one this backend was created for. */
export class GpuFallbackError extends Error {
  override name = 'GpuFallbackError';
}

/** The gpu.js kernel class each mode must run on (bundlers may rename classes: names kept here). */
const KERNEL_CLASS_NAMES: Record<GpuMode, string> = {
  webgl2: 'WebGL2Kernel',
  webgpu: 'WebGPUKernel',
  webasm: 'WebAssemblyKernel',
  cpu: 'CPUKernel',
};

export function kernelClassName(mode: GpuMode): string {
  return KERNEL_CLASS_NAMES[mode];
}

/**
 * gpu.js's GL kernels all report `mode === 'gpu'`, so the kernel class, not the mode string,
 * tells webgl2 from a fallback. WebGPUKernel is exported by gpu.js but not by its typings.
 */
function kernelClass(mode: GpuMode): unknown {
  return (gpujs as unknown as Record<string, unknown>)[KERNEL_CLASS_NAMES[mode]];
}

function describeClass(c: unknown): string {
  const mode = (c as { mode?: string } | undefined)?.mode;
  const name = (c as { name?: string } | undefined)?.name;
  return `${name ?? 'an unknown kernel class'}${mode ? ` (gpu.js mode "${mode}")` : ''}`;
}

export interface CompiledKernel {
  readonly run: IKernelRunShortcut;
  /** True once a run confirmed the kernel runs on the requested mode. */
  verified: boolean;
}

/**
 * One gpu.js `GPU` instance (one canvas and context per backend) and every kernel compiled on
 * it, cached by source and output size: a signature compiles once for the backend's lifetime.
 */
export class KernelCache {
  readonly gpu: GPU;
  readonly #expected: unknown;
  readonly #kernels = new Map<string, CompiledKernel>();

  constructor(readonly mode: GpuMode) {
    this.#expected = kernelClass(mode);
    this.gpu = new GPU({ mode });
    const chosen = (this.gpu as unknown as { Kernel?: unknown }).Kernel;
    if (chosen === undefined || chosen !== this.#expected) {
      throw new GpuFallbackError(
        `gpu.js chose ${describeClass(chosen)} for mode "${mode}", not ${kernelClassName(mode)}`,
      );
    }
    for (const helper of helperFunctions(mode)) {
      const settings = { argumentTypes: helper.argumentTypes, returnType: 'Number' as const };
      if (helper.native) this.gpu.addNativeFunction(helper.name, helper.source, settings as never);
      else this.gpu.addFunction(helper.source as never, settings as never);
    }
  }

  get size(): number {
    return this.#kernels.size;
  }

  /** The compiled kernel of a spec, created on first use. */
  get(spec: KernelSpec): CompiledKernel {
    const extra = spec.extraOutputs ?? [];
    const key = `${spec.size}|${extra.length}|${spec.source}`;
    let compiled = this.#kernels.get(key);
    if (compiled) return compiled;
    const settings = {
      output: [spec.size],
      pipeline: true,
      immutable: true,
      precision: 'single' as const,
      tactic: 'precision' as const,
      argumentTypes: spec.argumentTypes,
      loopMaxIterations: 1 << 30,
    };
    let run: IKernelRunShortcut;
    if (extra.length === 0) {
      run = this.gpu.createKernel(spec.source, settings);
    } else {
      const subKernels = Object.fromEntries(
        extra.map((_, k) => [`o${k + 1}`, subKernelSource(k + 1)]),
      );
      run = this.gpu.createKernelMap(
        subKernels as never,
        spec.source as never,
        settings as never,
      ) as unknown as IKernelRunShortcut;
    }
    compiled = { run, verified: false };
    this.#kernels.set(key, compiled);
    return compiled;
  }

  /** Throws unless the kernel's run happened on the requested mode (checked once per kernel). */
  verify(compiled: CompiledKernel): void {
    if (compiled.verified) return;
    const kernel = compiled.run.kernel as unknown as { fallbackReason?: string | null };
    if (kernel.constructor !== this.#expected) {
      const reason = kernel.fallbackReason;
      throw new GpuFallbackError(
        `gpu.js ran a kernel on ${describeClass(kernel.constructor)} instead of ${kernelClassName(this.mode)} (mode "${this.mode}")${reason ? `: ${reason}` : ''}`,
      );
    }
    compiled.verified = true;
  }

  /**
   * Destroys every compiled kernel (programs and the kernel's own output buffer; results handed
   * out are reference-counted and stay valid).
   */
  destroyAll(): void {
    for (const { run } of this.#kernels.values()) run.destroy();
    this.#kernels.clear();
  }
}
