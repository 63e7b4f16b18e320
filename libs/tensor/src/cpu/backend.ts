import type { Backend, BackendStats, MatmulOptions, RandomOptions } from '../backend.js';
import {
  planConv2d,
  planConv2dBackwardInput,
  planConv2dBackwardWeight,
  planPool2d,
  planPool2dBackward,
  type Conv2dOptions,
  type Pool2dOptions,
  type Pool2dPlan,
} from '../conv.js';
import {
  avgPool2dBackwardInto,
  avgPool2dInto,
  conv2dBackwardInputInto,
  conv2dBackwardWeightInto,
  conv2dInto,
  convScratchSizes,
  maxPool2dBackwardInto,
  maxPool2dInto,
} from './conv.js';
import { TensorError, shapeMismatch } from '../errors.js';
import type { FusedProgram } from '../fused.js';
import { Rng } from '../random.js';
import { normalizeAxis, resolveReshape, resolveTensorInput, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import {
  DTYPES,
  type DType,
  type NestedArray,
  type ReduceOp,
  type Shape,
  type TypedArray,
} from '../types.js';
import { FusedKernelCache } from './fused-compiler.js';
import { BackendBase, planFusedCall } from '../elementwise.js';
import { matmulInto, transpose2dInto } from './matmul.js';
import {
  checkClassLabels,
  checkCrossEntropyShapes,
  planConcat,
  planGather,
  planSlice,
  planTranspose,
} from '../layout.js';
import { TypedArrayHeap, WasmTensorHeap, type TensorHeap } from './heap.js';
import { wasmSimdSupported } from '../wasm/encoder.js';
import { instantiateKernels, type WasmKernels } from '../wasm/kernels.js';
import { isPlain2x2, poolFunctionName, poolTables } from '../wasm/pool.js';
import { forEachBlock, MIN_BLOCK, planBroadcastBlocks } from '../wasm/broadcast.js';
import { WasmFusedCache, wasmFallbackReason } from '../wasm/fused.js';
import type { WasmBlock } from '../wasm/heap.js';
import { packA, packB, packedASize, packedBSize } from '../wasm/matmul.js';
import {
  col2im,
  packDyA,
  packPatchesB,
  packPatchesTransposedB,
  paddedImageSize,
  padImages,
  weightGradChunk,
} from '../wasm/conv.js';

/** Which code runs the float32 kernels: WebAssembly SIMD, plain JavaScript, or the best there is. */
export const SIMD_MODES = ['auto', 'wasm', 'js'] as const;
export type SimdMode = (typeof SIMD_MODES)[number];

export interface CpuOptions {
  dtype?: DType;
  /**
   * `auto` (default): WebAssembly SIMD where this engine validates it and the dtype is float32,
   * else JavaScript. `wasm`: WebAssembly SIMD or an error. `js`: JavaScript loops over typed
   * arrays. float64 always runs on the JavaScript path (there is no f64x2 path).
   */
  simd?: SimdMode;
  /**
   * 64 KiB pages the WebAssembly tensor memory starts with: an integer from 1 to 65536 (default
   * 16, i.e. 1 MiB); it grows as needed. Small values exercise growth in tests. Unused on the
   * JavaScript path.
   */
  initialMemoryPages?: number;
}

/** The WebAssembly path's state: the tensor heap, the fixed kernels and the fused-kernel cache. */
interface WasmPath {
  readonly heap: WasmTensorHeap;
  readonly fused: WasmFusedCache;
  readonly kernels: WasmKernels;
  /** 32 floats for the matmul kernel's edge tiles, held for the backend's life. */
  readonly scratch: WasmBlock;
}

function resolveSimd(dtype: DType, simd: unknown): boolean {
  if (!SIMD_MODES.includes(simd as SimdMode)) {
    throw new TensorError(`cpu: unknown simd "${String(simd)}"; known: ${SIMD_MODES.join(', ')}`);
  }
  if (simd === 'js') return false;
  if (simd === 'auto') return dtype === 'float32' && wasmSimdSupported();
  if (dtype !== 'float32') {
    throw new TensorError(
      `cpu: simd "wasm" runs float32 only; float64 runs on the JavaScript path (simd "auto" or "js")`,
    );
  }
  if (!wasmSimdSupported()) {
    throw new TensorError(
      'cpu: simd "wasm": this JavaScript engine does not validate WebAssembly SIMD modules; use simd "auto" or "js"',
    );
  }
  return true;
}

/**
 * The WebAssembly path's memory and kernels, or null where `auto` cannot compile them (a page
 * whose Content-Security-Policy allows neither 'wasm-unsafe-eval' nor 'unsafe-eval' validates
 * modules but refuses to compile them): `auto` then runs JavaScript, `wasm` throws.
 */
function startWasmPath(pages: number, simd: SimdMode): WasmPath | null {
  const heap = new WasmTensorHeap(pages);
  let kernels: WasmKernels;
  try {
    kernels = instantiateKernels(heap.heap.memory);
  } catch (err) {
    if (simd === 'auto') return null;
    throw new TensorError(
      `cpu: simd "wasm": cannot compile WebAssembly here (${err instanceof Error ? err.message : String(err)}); a page needs 'wasm-unsafe-eval' in its Content-Security-Policy, or use simd "auto" or "js"`,
    );
  }
  return {
    heap,
    fused: new WasmFusedCache(heap.heap.memory),
    kernels,
    scratch: heap.alloc(32),
  };
}

let nextBackendId = 1;

/**
 * The CPU backend: tensors are typed arrays (Float32Array or Float64Array), ops are loops
 * generated once per op and operand layout (see fused-compiler.ts), matmul is register-blocked,
 * and disposed buffers are pooled for reuse.
 *
 * On the WebAssembly path (float32, `simd` "auto" or "wasm"; docs/decisions/0014) tensors are
 * blocks of one WebAssembly memory; fused programs (but those with `pow`, or broadcasts in short
 * blocks), matmul, the reductions, softmax, logSoftmax and softmax cross-entropy run as f32x4
 * kernels, and the layout ops and fills run their JavaScript loops over fresh views of that
 * memory. `kernelPaths()` counts which path each op took.
 */
export class CpuBackend extends BackendBase implements Backend {
  readonly name: string;
  readonly device: string;
  readonly dtype: DType;
  readonly canReadSync = true;
  readonly id = nextBackendId++;
  readonly #heap: TensorHeap;
  readonly #wasm: WasmPath | null;
  readonly #compiled = new FusedKernelCache();
  readonly #paths = new Map<string, number>();
  #kernels = 0;
  #uploads = 0;
  #readbacks = 0;
  #liveTensors = 0;
  #liveBytes = 0;

  constructor(options: CpuOptions = {}) {
    super();
    const dtype = options.dtype ?? 'float32';
    if (!DTYPES.includes(dtype)) {
      throw new TensorError(`cpu: unknown dtype "${String(dtype)}"; known: ${DTYPES.join(', ')}`);
    }
    this.dtype = dtype;
    this.name = dtype === 'float32' ? 'cpu' : 'cpu64';
    const pages = options.initialMemoryPages ?? 16;
    if (!Number.isInteger(pages) || pages < 1 || pages > 65536) {
      throw new TensorError(
        `cpu: initialMemoryPages must be an integer from 1 to 65536 (64 KiB pages), got ${String(pages)}`,
      );
    }
    const simd = options.simd ?? 'auto';
    this.#wasm = resolveSimd(dtype, simd) ? startWasmPath(pages, simd) : null;
    if (this.#wasm) {
      this.#heap = this.#wasm.heap;
      this.device = `cpu ${dtype} (wasm simd)`;
    } else {
      this.#heap = new TypedArrayHeap(dtype);
      this.device = `cpu ${dtype} (typed arrays)`;
    }
  }

  /** True when float32 kernels run as WebAssembly SIMD (the device string says so too). */
  get simd(): boolean {
    return this.#wasm !== null;
  }

  /**
   * How often each op ran on which path, e.g. `{ "fusedUpdate(adam): wasm simd": 3,
   * "pow: js loop (transcendental: pow)": 1 }`. A fallback from WebAssembly names its reason.
   */
  kernelPaths(): Record<string, number> {
    return Object.fromEntries(this.#paths);
  }

  /** WebAssembly memory facts (null on the JavaScript path): its size and how often it grew. */
  memoryInfo(): { bytes: number; grows: number } | null {
    if (!this.#wasm) return null;
    return { bytes: this.#wasm.heap.heap.capacityBytes, grows: this.#wasm.heap.heap.generation };
  }

  /** Counts one kernel and the path it ran on. */
  private ran(op: string, path: string): void {
    this.#kernels++;
    const key = `${op}: ${path}`;
    this.#paths.set(key, (this.#paths.get(key) ?? 0) + 1);
  }

  /** The path of an op that runs its JavaScript loop on either heap. */
  private get jsPath(): string {
    return this.#wasm ? 'js loop (wasm memory)' : 'js loop';
  }

  // ---- storage ---------------------------------------------------------------------------

  /** Wraps storage this backend allocated in a new tensor. */
  private make(shape: Shape, storage: unknown): Tensor {
    this.#liveTensors++;
    this.#liveBytes += this.#heap.byteLength(storage);
    return new Tensor(this, shape, storage);
  }

  /** Storage for a tensor of `shape`; `op` names the caller in shape errors. */
  private alloc(shape: Shape, op: string): unknown {
    return this.#heap.alloc(sizeOf(shape, op));
  }

  /**
   * A typed array over a tensor's (or an allocation's) values. On the WebAssembly heap it is valid
   * only until the next allocation: ops allocate everything first, then take views.
   */
  private view(t: Tensor | unknown): TypedArray {
    return this.#heap.view(t instanceof Tensor ? t.storage : t);
  }

  /** Checks that `t` is a live tensor of this backend; the gate every op passes its inputs through. */
  private check(t: Tensor, op: string): void {
    if (!(t instanceof Tensor)) {
      throw new TensorError(`${op}: expected a Tensor, got ${t === null ? 'null' : typeof t}`);
    }
    t.assertLive(op);
    if (t.backend !== this) {
      throw new TensorError(
        `${op}: tensor #${t.id} belongs to another backend (${t.backend.device}), not to this one (${this.device}, backend #${this.id}); move it with backend.tensor(await t.data(), t.shape)`,
      );
    }
  }

  release(t: Tensor): void {
    const storage = t.storage;
    if (storage === undefined) return;
    this.#liveTensors--;
    this.#liveBytes -= this.#heap.byteLength(storage);
    this.#heap.release(storage);
  }

  read(t: Tensor): Promise<TypedArray> {
    return Promise.resolve(this.readSync(t));
  }

  /**
   * A copy, never a view: a view of the WebAssembly memory would go empty at its next growth, and
   * a view of a pooled buffer would change when the buffer is reused after `dispose()`.
   */
  readSync(t: Tensor): TypedArray {
    this.check(t, 'read');
    this.#readbacks++;
    return this.view(t).slice();
  }

  stats(): BackendStats {
    return {
      kernels: this.#kernels,
      uploads: this.#uploads,
      readbacks: this.#readbacks,
      liveTensors: this.#liveTensors,
      liveBytes: this.#liveBytes,
    };
  }

  /**
   * Bytes held for reuse (not counted as live): pooled typed arrays, or on the WebAssembly path
   * the memory below its high-water mark that no live tensor holds.
   */
  pooledBytes(): number {
    return this.#heap.pooledBytes;
  }

  /**
   * Drops pooled buffers and compiled kernels; live tensors stay valid. A WebAssembly memory
   * cannot shrink: its bytes go when the backend itself is garbage-collected.
   */
  dispose(): void {
    this.#heap.clear();
    this.#compiled.clear();
    this.#wasm?.fused.clear();
  }

  // ---- creation ---------------------------------------------------------------------------

  tensor(values: NestedArray | ArrayLike<number>, shape?: Shape): Tensor {
    const { flat, shape: target } = resolveTensorInput(values, shape);
    const storage = this.alloc(target, 'tensor');
    const buf = this.view(storage);
    if (ArrayBuffer.isView(flat)) buf.set(flat as TypedArray);
    else for (let i = 0; i < buf.length; i++) buf[i] = flat[i];
    this.#uploads++;
    return this.make(target, storage);
  }

  full(shape: Shape, value: number): Tensor {
    return this.filled(shape, value, 'full');
  }

  zeros(shape: Shape): Tensor {
    return this.filled(shape, 0, 'zeros');
  }

  ones(shape: Shape): Tensor {
    return this.filled(shape, 1, 'ones');
  }

  /** A constant tensor; `op` names the caller in shape errors. Pooled buffers are overwritten. */
  private filled(shape: Shape, value: number, op: string): Tensor {
    const storage = this.alloc(shape, op);
    this.view(storage).fill(value);
    this.ran(op, this.jsPath);
    return this.make(shape, storage);
  }

  uniform(shape: Shape, options: RandomOptions & { low?: number; high?: number }): Tensor {
    const storage = this.alloc(shape, 'uniform');
    new Rng(options.seed).fillUniform(this.view(storage), options.low ?? 0, options.high ?? 1);
    this.#uploads++;
    return this.make(shape, storage);
  }

  normal(shape: Shape, options: RandomOptions & { mean?: number; std?: number }): Tensor {
    const storage = this.alloc(shape, 'normal');
    new Rng(options.seed).fillNormal(this.view(storage), options.mean ?? 0, options.std ?? 1);
    this.#uploads++;
    return this.make(shape, storage);
  }

  // ---- fused ---------------------------------------------------------------------------------

  fusedUpdate(
    program: FusedProgram,
    tensors: Readonly<Record<string, Tensor>>,
    scalars: Readonly<Record<string, number>> = {},
    op = `fusedUpdate(${program.name})`,
  ): Record<string, Tensor> {
    const plan = planFusedCall(program, tensors, scalars, op, (t) => this.check(t, op));
    // Allocate every new output before taking any view (an allocation may grow the memory).
    const results: Record<string, Tensor> = {};
    const outputTensors = program.outputs.map((name, k) => {
      const t = plan.inPlace[k] ? tensors[name] : this.make(plan.shape, this.alloc(plan.shape, op));
      results[name] = t;
      return t;
    });
    const kinds = plan.layouts.map((l) => l.kind);
    let fallback: string | null = null;
    if (this.#wasm) {
      fallback = wasmFallbackReason(program);
      const blocks = fallback === null && kinds.includes('strided');
      const split = blocks ? planBroadcastBlocks(plan.shape, plan.layouts) : null;
      if (blocks && !split) fallback = `broadcast blocks under ${MIN_BLOCK} elements`;
      if (fallback === null) {
        const inputPtrs = program.inputs.map((name) => (tensors[name].storage as WasmBlock).ptr);
        const outputPtrs = outputTensors.map((t) => (t.storage as WasmBlock).ptr);
        if (!split) {
          const kernel = this.#wasm.fused.get(program, kinds);
          kernel(...inputPtrs, ...outputPtrs, ...plan.scalarValues, plan.size);
          this.ran(op, 'wasm simd');
          return results;
        }
        const kernel = this.#wasm.fused.get(program, split.kinds);
        const inner = split.inner;
        const args = [...inputPtrs, ...outputPtrs, ...plan.scalarValues, inner];
        const nIn = inputPtrs.length;
        forEachBlock(split, (block, offsets) => {
          for (let k = 0; k < nIn; k++) args[k] = inputPtrs[k] + offsets[k] * 4;
          for (let k = 0; k < outputPtrs.length; k++)
            args[nIn + k] = outputPtrs[k] + block * inner * 4;
          kernel(...args);
        });
        this.ran(op, 'wasm simd (broadcast blocks)');
        return results;
      }
    }
    const inputs = program.inputs.map((name) => this.view(tensors[name]));
    // An in-place output is its input's own view (the compiled loop writes through the input).
    const outputs = outputTensors.map((t, k) =>
      plan.inPlace[k] ? inputs[program.inputs.indexOf(program.outputs[k])] : this.view(t),
    );
    const strides = plan.layouts.map((l) => (l.kind === 'strided' ? l.strides : []));
    this.#compiled.get(program, kinds, plan.shape.length)(
      inputs,
      outputs,
      plan.scalarValues,
      plan.shape,
      strides,
    );
    this.ran(op, fallback ? `js loop (${fallback})` : this.jsPath);
    return results;
  }

  // ---- linear algebra --------------------------------------------------------------------------

  matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
    this.check(a, 'matmul');
    this.check(b, 'matmul');
    if (a.rank !== 2 || b.rank !== 2) {
      throw shapeMismatch('matmul', a.shape, b.shape, 'must both be 2-D');
    }
    const { transposeA = false, transposeB = false } = options;
    const [m, ka] = transposeA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
    const [kb, n] = transposeB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
    if (ka !== kb) {
      throw shapeMismatch(
        'matmul',
        a.shape,
        b.shape,
        `have mismatched inner dimensions ${ka} and ${kb} (transposeA=${transposeA}, transposeB=${transposeB})`,
      );
    }
    const k = ka;
    const out = this.alloc([m, n], 'matmul');
    if (this.#wasm) {
      // Packed panels (see wasm/matmul.ts), allocated before any view is taken.
      const heap = this.#heap;
      const ap = heap.alloc(packedASize(m, k)) as WasmBlock;
      const bp = heap.alloc(packedBSize(k, n)) as WasmBlock;
      packA(this.view(ap) as Float32Array, this.view(a) as Float32Array, m, k, transposeA);
      packB(this.view(bp) as Float32Array, this.view(b) as Float32Array, k, n, transposeB);
      const c = out as WasmBlock;
      this.#wasm.kernels.matmul(ap.ptr, bp.ptr, c.ptr, m, n, k, this.#wasm.scratch.ptr);
      heap.release(ap);
      heap.release(bp);
      this.ran('matmul', 'wasm simd');
      return this.make([m, n], out);
    }
    // Bring A to [M,K] and B to Bᵀ = [N,K]; packed copies come from (and go back to) the heap.
    const aRows = transposeA ? this.#heap.alloc(m * k) : a.storage;
    const bt = transposeB ? b.storage : this.#heap.alloc(n * k);
    if (transposeA) transpose2dInto(this.view(aRows), this.view(a), k, m);
    if (!transposeB) transpose2dInto(this.view(bt), this.view(b), k, n);
    matmulInto(this.view(out), this.view(aRows), this.view(bt), m, n, k);
    if (transposeA) this.#heap.release(aRows);
    if (!transposeB) this.#heap.release(bt);
    this.ran('matmul', this.jsPath);
    return this.make([m, n], out);
  }

  // ---- convolution and pooling -------------------------------------------------------------

  /** Scratch blocks from the heap (allocated before any view is taken), released by `done`. */
  private scratch(sizes: readonly number[]): { blocks: unknown[]; done: () => void } {
    const blocks = sizes.map((n) => this.#heap.alloc(n));
    return { blocks, done: () => blocks.forEach((b) => this.#heap.release(b)) };
  }

  conv2d(x: Tensor, w: Tensor, options: Conv2dOptions = {}): Tensor {
    const op = 'conv2d';
    this.check(x, op);
    this.check(w, op);
    const plan = planConv2d(op, x.shape, w.shape, options);
    const out = this.alloc(plan.outShape, op);
    if (this.#wasm) {
      const { k, hw } = convScratchSizes(plan);
      const sizes = [packedASize(plan.o, k), packedBSize(k, hw), paddedImageSize(plan)];
      const { blocks, done } = this.scratch(sizes);
      const [ap, bp, pad] = blocks as WasmBlock[];
      packA(this.view(ap) as Float32Array, this.view(w) as Float32Array, plan.o, k, false);
      const [xs, panels, padded] = [x, bp, pad].map((b) => this.view(b)) as Float32Array[];
      const y = (out as WasmBlock).ptr;
      for (let i = 0; i < plan.n; i++) {
        padImages(padded, xs, i, 1, plan);
        packPatchesB(panels, padded, 0, plan);
        const yi = y + i * plan.o * hw * 4;
        this.#wasm.kernels.matmul(ap.ptr, bp.ptr, yi, plan.o, hw, k, this.#wasm.scratch.ptr);
      }
      done();
      this.ran(op, 'wasm simd');
      return this.make(plan.outShape, out);
    }
    const { blocks, done } = this.scratch([convScratchSizes(plan).patches]);
    const [rows] = blocks.map((b) => this.view(b));
    conv2dInto(this.view(out), this.view(x), this.view(w), rows, plan);
    done();
    this.ran(op, this.jsPath);
    return this.make(plan.outShape, out);
  }

  conv2dBackwardInput(dy: Tensor, w: Tensor, xShape: Shape, options: Conv2dOptions = {}): Tensor {
    const op = 'conv2dBackwardInput';
    this.check(dy, op);
    this.check(w, op);
    const plan = planConv2dBackwardInput(dy.shape, w.shape, xShape, options);
    const out = this.alloc(plan.xShape, op);
    const { patches, k, hw } = convScratchSizes(plan);
    if (this.#wasm) {
      const sizes = [
        packedASize(k, plan.o),
        packedBSize(plan.o, hw),
        patches,
        paddedImageSize(plan),
      ];
      const { blocks, done } = this.scratch(sizes);
      const [ap, bp, cols, pad] = blocks as WasmBlock[];
      packA(this.view(ap) as Float32Array, this.view(w) as Float32Array, k, plan.o, true);
      const [dx, dys, panels, colValues, padded] = [out, dy, bp, cols, pad].map((b) =>
        this.view(b),
      ) as Float32Array[];
      for (let i = 0; i < plan.n; i++) {
        packB(panels, dys.subarray(i * plan.o * hw, (i + 1) * plan.o * hw), plan.o, hw, false);
        this.#wasm.kernels.matmul(ap.ptr, bp.ptr, cols.ptr, k, hw, plan.o, this.#wasm.scratch.ptr);
        col2im(dx, i * plan.c * plan.h * plan.w, colValues, padded, plan);
      }
      done();
      this.ran(op, 'wasm simd');
      return this.make(plan.xShape, out);
    }
    const { blocks, done } = this.scratch([patches, k * plan.o, hw * plan.o]);
    const [rows, wt, dyT] = blocks.map((b) => this.view(b));
    conv2dBackwardInputInto(this.view(out), this.view(dy), this.view(w), { rows, wt, dyT }, plan);
    done();
    this.ran(op, this.jsPath);
    return this.make(plan.xShape, out);
  }

  conv2dBackwardWeight(x: Tensor, dy: Tensor, wShape: Shape, options: Conv2dOptions = {}): Tensor {
    const op = 'conv2dBackwardWeight';
    this.check(x, op);
    this.check(dy, op);
    const plan = planConv2dBackwardWeight(x.shape, dy.shape, wShape, options);
    const out = this.alloc(plan.wShape, op);
    const { patches, k, hw } = convScratchSizes(plan);
    if (this.#wasm) {
      const chunk = weightGradChunk(plan);
      const sizes = [
        packedASize(plan.o, chunk * hw),
        packedBSize(chunk * hw, k),
        plan.o * k,
        chunk * paddedImageSize(plan),
      ];
      const { blocks, done } = this.scratch(sizes);
      const [ap, bp, part, pad] = blocks as WasmBlock[];
      const [dw, xs, dys, aPanels, bPanels, partial, padded] = [out, x, dy, ap, bp, part, pad].map(
        (b) => this.view(b),
      ) as Float32Array[];
      dw.fill(0);
      for (let first = 0; first < plan.n; first += chunk) {
        const count = Math.min(chunk, plan.n - first);
        packDyA(aPanels, dys, first, count, plan);
        padImages(padded, xs, first, count, plan);
        packPatchesTransposedB(bPanels, padded, count, plan);
        const target = first === 0 ? (out as WasmBlock).ptr : part.ptr;
        this.#wasm.kernels.matmul(
          ap.ptr,
          bp.ptr,
          target,
          plan.o,
          k,
          count * hw,
          this.#wasm.scratch.ptr,
        );
        if (first > 0) for (let j = 0; j < dw.length; j++) dw[j] += partial[j];
      }
      done();
      this.ran(op, 'wasm simd');
      return this.make(plan.wShape, out);
    }
    const { blocks, done } = this.scratch([patches, patches, plan.o * k]);
    const [rows, cols, part] = blocks.map((b) => this.view(b));
    conv2dBackwardWeightInto(
      this.view(out),
      this.view(x),
      this.view(dy),
      { rows, cols, part },
      plan,
    );
    done();
    this.ran(op, this.jsPath);
    return this.make(plan.wShape, out);
  }

  /**
   * Pooling on the WebAssembly path (wasm/pool.ts), every plane in one kernel call: the window
   * tables and the plane scratch are allocated first, then written through fresh views.
   */
  private wasmPool(
    wasm: WasmPath,
    pass: 'max' | 'avg' | 'maxBackward',
    plan: Pool2dPlan,
    tensors: { x: Tensor; out: unknown; dy?: Tensor },
  ): void {
    const { h, w, ho, wo } = plan;
    if (pass !== 'maxBackward' && isPlain2x2(plan)) {
      const [x, y] = [tensors.x.storage, tensors.out] as WasmBlock[];
      wasm.kernels[`${pass}Pool2x2`](x.ptr, y.ptr, plan.n * plan.c, h, w, wo, ho);
      return;
    }
    const t = poolTables(plan);
    const backward = pass === 'maxBackward';
    const sizes = [h * wo, t.cols.length, t.rows.length, ...(backward ? [h * wo, wo] : [])];
    const { blocks, done } = this.scratch(sizes);
    const [hb, cols, rows, ib, ob] = blocks as WasmBlock[];
    for (const [block, table] of [
      [cols, t.cols],
      [rows, t.rows],
    ] as const) {
      const f = this.view(block);
      new Int32Array(f.buffer, f.byteOffset, table.length).set(table);
    }
    const x = (tensors.x.storage as WasmBlock).ptr;
    const out = (tensors.out as WasmBlock).ptr;
    const planes = plan.n * plan.c;
    const shared = [planes, h, w, wo, ho, plan.kw, plan.padW, t.vecLo, t.vecHi, t.vecLast] as const;
    if (backward) {
      this.view(tensors.out).fill(0);
      const dy = (tensors.dy!.storage as WasmBlock).ptr;
      const kernel = wasm.kernels[poolFunctionName(pass, t.stride) as 'maxBackwardPool1'];
      kernel(x, dy, out, hb.ptr, ib.ptr, ob.ptr, cols.ptr, rows.ptr, ...shared);
    } else {
      const kernel = wasm.kernels[poolFunctionName(pass, t.stride) as 'maxPool1'];
      kernel(x, out, hb.ptr, cols.ptr, rows.ptr, ...shared, 1 / (plan.kh * plan.kw));
    }
    done();
  }

  maxPool2d(x: Tensor, options: Pool2dOptions): Tensor {
    const op = 'maxPool2d';
    this.check(x, op);
    const plan = planPool2d(op, x.shape, options);
    const out = this.alloc(plan.outShape, op);
    if (this.#wasm) {
      this.wasmPool(this.#wasm, 'max', plan, { x, out });
      this.ran(op, 'wasm simd');
    } else {
      maxPool2dInto(this.view(out), this.view(x), plan);
      this.ran(op, this.jsPath);
    }
    return this.make(plan.outShape, out);
  }

  maxPool2dBackward(dy: Tensor, x: Tensor, options: Pool2dOptions): Tensor {
    const op = 'maxPool2dBackward';
    this.check(dy, op);
    this.check(x, op);
    const plan = planPool2dBackward(op, dy.shape, x.shape, options);
    const out = this.alloc(plan.xShape, op);
    if (this.#wasm) {
      this.wasmPool(this.#wasm, 'maxBackward', plan, { x, out, dy });
      this.ran(op, 'wasm simd');
    } else {
      maxPool2dBackwardInto(this.view(out), this.view(dy), this.view(x), plan);
      this.ran(op, this.jsPath);
    }
    return this.make(plan.xShape, out);
  }

  avgPool2d(x: Tensor, options: Pool2dOptions): Tensor {
    const op = 'avgPool2d';
    this.check(x, op);
    const plan = planPool2d(op, x.shape, options);
    const out = this.alloc(plan.outShape, op);
    if (this.#wasm) {
      this.wasmPool(this.#wasm, 'avg', plan, { x, out });
      this.ran(op, 'wasm simd');
    } else {
      avgPool2dInto(this.view(out), this.view(x), plan);
      this.ran(op, this.jsPath);
    }
    return this.make(plan.outShape, out);
  }

  avgPool2dBackward(dy: Tensor, xShape: Shape, options: Pool2dOptions): Tensor {
    const op = 'avgPool2dBackward';
    this.check(dy, op);
    const plan = planPool2dBackward(op, dy.shape, xShape, options);
    const out = this.alloc(plan.xShape, op);
    avgPool2dBackwardInto(this.view(out), this.view(dy), plan);
    this.ran(op, this.jsPath);
    return this.make(plan.xShape, out);
  }

  // ---- reductions -------------------------------------------------------------------------------

  protected checkInput(t: Tensor, op: string): void {
    this.check(t, op);
  }

  protected reduceRuns(
    op: ReduceOp,
    src: Tensor,
    outer: number,
    red: number,
    inner: number,
    outShape: Shape,
  ): Tensor {
    const out = this.alloc(outShape, op);
    if (this.#wasm) {
      const scale = op === 'mean' ? 1 / red : 1;
      const [from, to] = [(src.storage as WasmBlock).ptr, (out as WasmBlock).ptr];
      const k = this.#wasm.kernels;
      if (inner === 1) (op === 'max' ? k.maxRows : k.sumRows)(from, to, outer, red, scale);
      else (op === 'max' ? k.maxColumns : k.sumColumns)(from, to, outer, red, inner, scale);
      if (op === 'max') signZeroMaxima(this.view(out), this.view(src), red, inner);
      this.ran(op, 'wasm simd');
      return this.make(outShape, out);
    }
    reduceInto(op, this.view(out), this.view(src), outer, red, inner);
    this.ran(op, this.jsPath);
    return this.make(outShape, out);
  }

  softmax(x: Tensor, axis = -1): Tensor {
    return this.alongLastAxis('softmax', x, axis, softmaxRows);
  }

  logSoftmax(x: Tensor, axis = -1): Tensor {
    return this.alongLastAxis('logSoftmax', x, axis, logSoftmaxRows);
  }

  /** Applies a row kernel along `axis`, transposing it to the end and back when needed. */
  private alongLastAxis(
    op: 'softmax' | 'logSoftmax',
    x: Tensor,
    axisArg: number,
    rows: (out: TypedArray, src: TypedArray, count: number, width: number) => void,
  ): Tensor {
    this.check(x, op);
    if (x.rank === 0) throw new TensorError(`${op}: needs a tensor of rank ≥ 1, got a scalar`);
    const axis = normalizeAxis(op, axisArg, x.rank);
    const last = x.rank - 1;
    const perm = x.shape.map((_, i) => i);
    perm[axis] = last;
    perm[last] = axis;
    const src = axis === last ? x : this.transpose(x, perm);
    const width = src.shape[last];
    const count = width === 0 ? 0 : src.size / width;
    const out = this.alloc(src.shape, op);
    if (this.#wasm) {
      const mx = this.#heap.alloc(count) as WasmBlock;
      const z = this.#heap.alloc(count) as WasmBlock;
      const [from, to] = [(src.storage as WasmBlock).ptr, (out as WasmBlock).ptr];
      const kernels = this.#wasm.kernels;
      kernels.rowMaxSumExp(from, mx.ptr, z.ptr, count, width);
      if (op === 'softmax') kernels.expShiftRows(from, mx.ptr, z.ptr, to, count, width, 1);
      else kernels.logShiftRows(from, mx.ptr, z.ptr, to, count, width);
      this.#heap.release(z);
      this.#heap.release(mx);
      this.ran(op, 'wasm simd');
    } else {
      rows(this.view(out), this.view(src), count, width);
      this.ran(op, this.jsPath);
    }
    const result = this.make(src.shape, out);
    if (src === x) return result;
    src.dispose();
    const back = this.transpose(result, perm);
    result.dispose();
    return back;
  }

  softmaxCrossEntropy(logits: Tensor, labels: Tensor): { loss: Tensor; grad: Tensor } {
    const op = 'softmaxCrossEntropy';
    this.check(logits, op);
    this.check(labels, op);
    const { n, c } = checkCrossEntropyShapes(logits.shape, labels.shape);
    checkClassLabels(this.view(labels), c);
    const gradStorage = this.alloc([n, c], op);
    const lossStorage = this.alloc([], op);
    const invN = n === 0 ? 0 : 1 / n;
    let total = 0;
    if (this.#wasm) {
      // Row maxima, Σ e and the softmax part of the gradient in wasm; the label terms (one per
      // row) and ln Σ e (in doubles, as on the JavaScript path) here.
      const mx = this.#heap.alloc(n) as WasmBlock;
      const z = this.#heap.alloc(n) as WasmBlock;
      const from = (logits.storage as WasmBlock).ptr;
      const grad = (gradStorage as WasmBlock).ptr;
      this.#wasm.kernels.rowMaxSumExp(from, mx.ptr, z.ptr, n, c);
      this.#wasm.kernels.expShiftRows(from, mx.ptr, z.ptr, grad, n, c, invN);
      const [lg, lb, g, m, sums] = [logits, labels, gradStorage, mx, z].map((t) => this.view(t));
      for (let i = 0; i < n; i++) {
        const y = i * c + lb[i];
        total += m[i] + Math.log(sums[i]) - lg[y];
        g[y] -= invN;
      }
      this.#heap.release(z);
      this.#heap.release(mx);
    } else {
      const lg = this.view(logits);
      const lb = this.view(labels);
      const grad = this.view(gradStorage);
      for (let i = 0; i < n; i++) {
        const row = i * c;
        let mx = -Infinity;
        for (let j = 0; j < c; j++) if (lg[row + j] > mx) mx = lg[row + j];
        let z = 0;
        for (let j = 0; j < c; j++) z += Math.exp(lg[row + j] - mx);
        const logZ = mx + Math.log(z);
        const y = lb[i];
        total += logZ - lg[row + y];
        for (let j = 0; j < c; j++) {
          grad[row + j] = (Math.exp(lg[row + j] - logZ) - (j === y ? 1 : 0)) * invN;
        }
      }
    }
    this.view(lossStorage)[0] = total * invN;
    this.ran(op, this.#wasm ? 'wasm simd' : this.jsPath);
    return { loss: this.make([], lossStorage), grad: this.make([n, c], gradStorage) };
  }

  // ---- layout ------------------------------------------------------------------------------------

  gather(x: Tensor, indices: ArrayLike<number>): Tensor {
    this.check(x, 'gather');
    const { outShape, rowWidth: width } = planGather(x.shape, indices);
    const out = this.alloc(outShape, 'gather');
    const src = this.view(x);
    const buf = this.view(out);
    for (let i = 0; i < indices.length; i++) {
      const r = indices[i];
      if (width === 1) buf[i] = src[r];
      else buf.set(src.subarray(r * width, r * width + width), i * width);
    }
    this.ran('gather', this.jsPath);
    return this.make(outShape, out);
  }

  transpose(x: Tensor, perm?: readonly number[]): Tensor {
    this.check(x, 'transpose');
    const plan = planTranspose(x.shape, perm);
    const out = this.alloc(plan.outShape, 'transpose');
    const src = this.view(x);
    const buf = this.view(out);
    if (x.rank === 2 && plan.perm[0] === 1) transpose2dInto(buf, src, x.shape[0], x.shape[1]);
    // Walk the output in order; read the input through permuted strides.
    else stridedCopy(buf, src, plan.outShape, plan.readStrides);
    this.ran('transpose', this.jsPath);
    return this.make(plan.outShape, out);
  }

  reshape(x: Tensor, shape: Shape): Tensor {
    this.check(x, 'reshape');
    const target = resolveReshape(x.shape, shape);
    const out = this.alloc(target, 'reshape');
    this.view(out).set(this.view(x));
    this.ran('reshape', this.jsPath);
    return this.make(target, out);
  }

  slice(x: Tensor, begin: readonly number[], size: readonly number[]): Tensor {
    this.check(x, 'slice');
    const { outShape, strides, offset } = planSlice(x.shape, begin, size);
    const out = this.alloc(outShape, 'slice');
    stridedCopy(this.view(out), this.view(x), outShape, strides, offset);
    this.ran('slice', this.jsPath);
    return this.make(outShape, out);
  }

  concat(xs: readonly Tensor[], axisArg = 0): Tensor {
    xs.forEach((t) => this.check(t, 'concat'));
    const { axis, outShape, outer, inner } = planConcat(
      xs.map((t) => t.shape),
      axisArg,
    );
    const out = this.alloc(outShape, 'concat');
    const srcs = xs.map((t) => this.view(t));
    const buf = this.view(out);
    let o = 0;
    for (let i = 0; i < outer; i++) {
      for (let k = 0; k < xs.length; k++) {
        const chunk = xs[k].shape[axis] * inner;
        buf.set(srcs[k].subarray(i * chunk, i * chunk + chunk), o);
        o += chunk;
      }
    }
    this.ran('concat', this.jsPath);
    return this.make(outShape, out);
  }
}

/** Copies the block of `src` at `offset` with `strides` into `out`, walked in row-major order. */
function stridedCopy(
  out: TypedArray,
  src: TypedArray,
  shape: readonly number[],
  strides: readonly number[],
  offset = 0,
): void {
  const rank = shape.length;
  const total = out.length;
  if (total === 0) return;
  if (rank === 0) {
    out[0] = src[offset];
    return;
  }
  const idx = new Array<number>(rank).fill(0);
  const lastDim = shape[rank - 1];
  const lastStride = strides[rank - 1];
  let o = 0;
  let base = offset;
  while (o < total) {
    if (lastStride === 1) {
      out.set(src.subarray(base, base + lastDim), o);
      o += lastDim;
    } else {
      for (let i = 0, s = base; i < lastDim; i++, s += lastStride) out[o++] = src[s];
    }
    // Advance the multi-index over all but the last dimension.
    let d = rank - 2;
    for (; d >= 0; d--) {
      idx[d]++;
      base += strides[d];
      if (idx[d] < shape[d]) break;
      base -= idx[d] * strides[d];
      idx[d] = 0;
    }
    if (d < 0) break;
  }
}

/**
 * A maximum of 0 takes the sign of the first zero of its run, as the JavaScript loop's `v > m`
 * gives it (`f32x4.max` orders −0 below +0 instead). Runs are [red] with stride `inner`.
 */
function signZeroMaxima(out: TypedArray, src: TypedArray, red: number, inner: number): void {
  for (let i = 0; i < out.length; i++) {
    if (out[i] !== 0) continue;
    const base = Math.floor(i / inner) * red * inner + (i % inner);
    for (let r = 0; r < red; r++) {
      const v = src[base + r * inner];
      if (v === 0) {
        out[i] = v;
        break;
      }
    }
  }
}

function reduceInto(
  op: 'sum' | 'mean' | 'max',
  out: TypedArray,
  src: TypedArray,
  outer: number,
  red: number,
  inner: number,
): void {
  const scale = op === 'mean' ? 1 / red : 1;
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const base = o * red;
      if (op === 'max') {
        let m = -Infinity;
        for (let r = 0; r < red; r++) {
          const v = src[base + r];
          if (v > m || v !== v) m = v;
          if (m !== m) break;
        }
        out[o] = m;
      } else {
        let s = 0;
        for (let r = 0; r < red; r++) s += src[base + r];
        out[o] = s * scale;
      }
    }
    return;
  }
  // Accumulate rows of length `inner` in double precision, then store once.
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(op === 'max' ? -Infinity : 0);
    for (let r = 0; r < red; r++) {
      const base = (o * red + r) * inner;
      if (op === 'max') {
        for (let i = 0; i < inner; i++) {
          const v = src[base + i];
          if (v > acc[i] || v !== v) acc[i] = v;
        }
      } else {
        for (let i = 0; i < inner; i++) acc[i] += src[base + i];
      }
    }
    for (let i = 0; i < inner; i++) out[o * inner + i] = acc[i] * scale;
  }
}

function softmaxRows(out: TypedArray, src: TypedArray, count: number, width: number): void {
  for (let r = 0; r < count; r++) {
    const base = r * width;
    let mx = -Infinity;
    for (let j = 0; j < width; j++) if (src[base + j] > mx) mx = src[base + j];
    let z = 0;
    for (let j = 0; j < width; j++) {
      const e = Math.exp(src[base + j] - mx);
      out[base + j] = e;
      z += e;
    }
    const inv = 1 / z;
    for (let j = 0; j < width; j++) out[base + j] *= inv;
  }
}

function logSoftmaxRows(out: TypedArray, src: TypedArray, count: number, width: number): void {
  for (let r = 0; r < count; r++) {
    const base = r * width;
    let mx = -Infinity;
    for (let j = 0; j < width; j++) if (src[base + j] > mx) mx = src[base + j];
    let z = 0;
    for (let j = 0; j < width; j++) z += Math.exp(src[base + j] - mx);
    const logZ = mx + Math.log(z);
    for (let j = 0; j < width; j++) out[base + j] = src[base + j] - logZ;
  }
}

/** Creates a CPU backend: `cpu()` (float32) or `cpu({ dtype: 'float64' })`. */
export function cpu(options: CpuOptions = {}): CpuBackend {
  return new CpuBackend(options);
}
