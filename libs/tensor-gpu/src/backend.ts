import {
  BackendBase,
  checkClassLabels,
  checkCrossEntropyShapes,
  planConcat,
  planGather,
  planSlice,
  planTranspose,
  planFusedCall,
  resolveTensorInput,
  Tensor,
  TensorError,
  formatShape,
  normalizeAxis,
  planConv2d,
  planConv2dBackwardInput,
  planConv2dBackwardWeight,
  planPool2d,
  planPool2dBackward,
  resolveReshape,
  sizeOf,
} from '@optlab/tensor';
import type {
  Backend,
  BackendStats,
  Conv2dOptions,
  FusedProgram,
  MatmulOptions,
  NestedArray,
  Pool2dOptions,
  RandomOptions,
  ReduceOp,
  Shape,
  TypedArray,
} from '@optlab/tensor';
import { Rng } from '@optlab/tensor';
import {
  concatKernel,
  crossEntropyGradKernel,
  crossEntropyLossKernel,
  fillKernel,
  fusedKernel,
  gatherKernel,
  matmulKernel,
  reduceKernel,
  softmaxKernel,
  stridedCopyKernel,
  uploadKernel,
  type KernelSpec,
} from './codegen.js';
import {
  avgPool2dBackwardKernel,
  avgPool2dKernel,
  conv2dBackwardInputKernel,
  conv2dBackwardWeightKernel,
  conv2dKernel,
  maxPool2dBackwardKernel,
  maxPool2dKernel,
} from './conv-kernels.js';
import type { Device, DeviceBuffer } from './device.js';

/**
 * What a GPU tensor's `storage` holds: its device buffer and, for tensors that came from the
 * host, the host copy (kept so that class labels can be validated without a readback).
 */
interface GpuStorage {
  buffer: DeviceBuffer;
  host?: Float32Array;
}

let nextBackendId = 1;

/**
 * The GPU backend: every op is a gpu.js kernel compiled once per signature on one shared GPU
 * instance; results stay on the device (pipeline mode) and come back only through `read`.
 */
export class GpuBackend extends BackendBase implements Backend {
  readonly name = 'gpu';
  readonly device: string;
  readonly dtype = 'float32' as const;
  readonly id = nextBackendId++;
  readonly #dev: Device;
  #kernels = 0;
  #uploads = 0;
  #readbacks = 0;
  #liveTensors = 0;
  #liveBytes = 0;

  constructor(dev: Device, device: string) {
    super();
    this.#dev = dev;
    this.device = device;
  }

  /** False on WebGPU, whose readback is asynchronous only. */
  get canReadSync(): boolean {
    return this.#dev.canReadSync;
  }

  /** The gpu.js mode that runs every kernel of this backend. */
  get mode(): string {
    return this.#dev.mode;
  }

  /** Number of distinct kernels compiled so far (each signature once). */
  get compiledKernels(): number {
    return this.#dev.compiledKernels;
  }

  // ---- storage ---------------------------------------------------------------------------

  private make(shape: Shape, buffer: DeviceBuffer, host?: Float32Array): Tensor {
    const size = sizeOf(shape);
    this.#liveTensors++;
    this.#liveBytes += size * 4;
    const storage: GpuStorage = { buffer, host };
    return new Tensor(this, shape, storage);
  }

  private storageOf(t: Tensor, op: string): GpuStorage {
    if (!(t instanceof Tensor)) {
      throw new TensorError(`${op}: expected a Tensor, got ${t === null ? 'null' : typeof t}`);
    }
    t.assertLive(op);
    if (t.backend !== this) {
      throw new TensorError(
        `${op}: tensor #${t.id} belongs to backend "${t.backend.device}", not "${this.device}" (#${this.id}); move it with backend.tensor(await t.data(), t.shape)`,
      );
    }
    return t.storage as GpuStorage;
  }

  private buf(t: Tensor, op: string): DeviceBuffer {
    return this.storageOf(t, op).buffer;
  }

  private launch(spec: KernelSpec, args: readonly (DeviceBuffer | number)[]): DeviceBuffer[] {
    const out = this.#dev.run(spec, args);
    this.#kernels++;
    return out;
  }

  /** An empty tensor needs no device memory (gpu.js cannot make a zero-length output). */
  private empty(shape: Shape): Tensor {
    return this.make(shape, new Float32Array(0));
  }

  private upload(values: Float32Array): DeviceBuffer {
    this.#uploads++;
    if (values.length === 0) return new Float32Array(0);
    if (!this.#dev.residentUploads && this.#dev.hostBuffer) return this.#dev.hostBuffer(values);
    return this.#dev.run(uploadKernel(values.length), [values])[0];
  }

  release(t: Tensor): void {
    const storage = t.storage as GpuStorage | undefined;
    if (!storage) return;
    this.#liveTensors--;
    this.#liveBytes -= t.size * 4;
    this.#dev.free(storage.buffer);
  }

  read(t: Tensor): Promise<TypedArray> {
    let b: DeviceBuffer;
    try {
      b = this.buf(t, 'read');
    } catch (err) {
      return Promise.reject(err as Error);
    }
    this.#readbacks++;
    if (t.size === 0) return Promise.resolve(new Float32Array(0));
    return this.#dev.read(b, t.size);
  }

  readSync(t: Tensor): TypedArray {
    const b = this.buf(t, 'readSync');
    if (!this.#dev.canReadSync) return this.#dev.readSync(b, t.size);
    this.#readbacks++;
    if (t.size === 0) return new Float32Array(0);
    return this.#dev.readSync(b, t.size);
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
   * Frees the compiled kernels once no tensor is alive. While tensors live their textures still
   * read through the kernels that made them (gpu.js ties a texture's readback to its kernel), so
   * the kernels stay; live tensors always stay valid.
   */
  dispose(): void {
    if (this.#liveTensors === 0) this.#dev.destroyKernels();
  }

  // ---- creation ---------------------------------------------------------------------------

  tensor(values: NestedArray | ArrayLike<number>, shape?: Shape): Tensor {
    const { flat, shape: target } = resolveTensorInput(values, shape);
    const host = Float32Array.from(flat);
    return this.make(target, this.upload(host), host);
  }

  full(shape: Shape, value: number, op = 'full'): Tensor {
    const size = sizeOf(shape, op);
    if (size === 0) return this.empty(shape);
    return this.make(shape, this.launch(fillKernel(size), [value])[0]);
  }

  zeros(shape: Shape): Tensor {
    return this.full(shape, 0, 'zeros');
  }

  ones(shape: Shape): Tensor {
    return this.full(shape, 1, 'ones');
  }

  /** Drawn on the host with the shared seeded generator (same values as every backend), uploaded. */
  uniform(shape: Shape, options: RandomOptions & { low?: number; high?: number }): Tensor {
    const host = new Float32Array(sizeOf(shape, 'uniform'));
    new Rng(options.seed).fillUniform(host, options.low ?? 0, options.high ?? 1);
    return this.make(shape, this.upload(host), host);
  }

  normal(shape: Shape, options: RandomOptions & { mean?: number; std?: number }): Tensor {
    const host = new Float32Array(sizeOf(shape, 'normal'));
    new Rng(options.seed).fillNormal(host, options.mean ?? 0, options.std ?? 1);
    return this.make(shape, this.upload(host), host);
  }

  // ---- fused ---------------------------------------------------------------------------------

  /**
   * Compiles the program's expression tree into one kernel. Several outputs use a kernel map
   * (one pass writing every output) where gpu.js supports it (webgl2, cpu); elsewhere (webasm,
   * whose kernel maps would degrade to the cpu backend, and webgpu) one kernel per output.
   * In-place outputs get a new buffer that replaces the tensor's storage; the old one is freed.
   */
  fusedUpdate(
    program: FusedProgram,
    tensors: Readonly<Record<string, Tensor>>,
    scalars: Readonly<Record<string, number>> = {},
    op = `fusedUpdate(${program.name})`,
  ): Record<string, Tensor> {
    const plan = planFusedCall(program, tensors, scalars, op, (t) => this.buf(t, op));
    const { shape } = plan;
    let buffers: DeviceBuffer[];
    if (plan.size === 0) {
      buffers = program.outputs.map(() => new Float32Array(0) as DeviceBuffer);
    } else {
      const inputs = program.inputs.map((name) => (tensors[name].storage as GpuStorage).buffer);
      const args = [...inputs, ...plan.scalarValues];
      if (program.outputs.length === 1 || this.#dev.supportsKernelMaps) {
        buffers = this.launch(fusedKernel(program, plan.layouts, shape, program.outputs), args);
      } else {
        buffers = program.outputs.map(
          (o) => this.launch(fusedKernel(program, plan.layouts, shape, [o]), args)[0],
        );
      }
    }
    const results: Record<string, Tensor> = {};
    program.outputs.forEach((name, k) => {
      if (plan.inPlace[k]) {
        const inPlace = tensors[name];
        const storage = inPlace.storage as GpuStorage;
        const old = storage.buffer;
        storage.buffer = buffers[k];
        storage.host = undefined;
        this.#dev.free(old);
        results[name] = inPlace;
      } else {
        results[name] = this.make(shape, buffers[k]);
      }
    });
    return results;
  }

  // ---- linear algebra --------------------------------------------------------------------------

  matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
    const ab = this.buf(a, 'matmul');
    const bb = this.buf(b, 'matmul');
    if (a.rank !== 2 || b.rank !== 2) {
      throw new TensorError(
        `matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} must both be 2-D`,
      );
    }
    const { transposeA = false, transposeB = false } = options;
    const [m, ka] = transposeA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
    const [kb, n] = transposeB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
    if (ka !== kb) {
      throw new TensorError(
        `matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} have mismatched inner dimensions ${ka} and ${kb} (transposeA=${transposeA}, transposeB=${transposeB})`,
      );
    }
    if (m * n === 0) return this.empty([m, n]);
    if (ka === 0) return this.zeros([m, n]);
    return this.make(
      [m, n],
      this.launch(matmulKernel(m, n, ka, transposeA, transposeB), [ab, bb])[0],
    );
  }

  // ---- convolution and pooling -------------------------------------------------------------

  /** One kernel into a new tensor of `shape`, or an empty tensor without a launch. */
  private launchInto(shape: Shape, spec: () => KernelSpec, args: DeviceBuffer[]): Tensor {
    if (sizeOf(shape) === 0) return this.empty(shape);
    return this.make(shape, this.launch(spec(), args)[0]);
  }

  conv2d(x: Tensor, w: Tensor, options: Conv2dOptions = {}): Tensor {
    const op = 'conv2d';
    const args = [this.buf(x, op), this.buf(w, op)];
    const plan = planConv2d(op, x.shape, w.shape, options);
    return this.launchInto(plan.outShape, () => conv2dKernel(plan), args);
  }

  conv2dBackwardInput(dy: Tensor, w: Tensor, xShape: Shape, options: Conv2dOptions = {}): Tensor {
    const op = 'conv2dBackwardInput';
    const args = [this.buf(dy, op), this.buf(w, op)];
    const plan = planConv2dBackwardInput(dy.shape, w.shape, xShape, options);
    // An empty dy (N = 0 or no output positions) leaves every input pixel without gradient.
    if (dy.size === 0) return this.full(plan.xShape, 0);
    return this.launchInto(plan.xShape, () => conv2dBackwardInputKernel(plan), args);
  }

  conv2dBackwardWeight(x: Tensor, dy: Tensor, wShape: Shape, options: Conv2dOptions = {}): Tensor {
    const op = 'conv2dBackwardWeight';
    const args = [this.buf(x, op), this.buf(dy, op)];
    const plan = planConv2dBackwardWeight(x.shape, dy.shape, wShape, options);
    if (dy.size === 0) return this.full(plan.wShape, 0);
    return this.launchInto(plan.wShape, () => conv2dBackwardWeightKernel(plan), args);
  }

  maxPool2d(x: Tensor, options: Pool2dOptions): Tensor {
    const op = 'maxPool2d';
    const args = [this.buf(x, op)];
    const plan = planPool2d(op, x.shape, options);
    return this.launchInto(plan.outShape, () => maxPool2dKernel(plan), args);
  }

  maxPool2dBackward(dy: Tensor, x: Tensor, options: Pool2dOptions): Tensor {
    const op = 'maxPool2dBackward';
    const args = [this.buf(dy, op), this.buf(x, op)];
    const plan = planPool2dBackward(op, dy.shape, x.shape, options);
    return this.launchInto(plan.xShape, () => maxPool2dBackwardKernel(plan), args);
  }

  avgPool2d(x: Tensor, options: Pool2dOptions): Tensor {
    const op = 'avgPool2d';
    const args = [this.buf(x, op)];
    const plan = planPool2d(op, x.shape, options);
    return this.launchInto(plan.outShape, () => avgPool2dKernel(plan), args);
  }

  avgPool2dBackward(dy: Tensor, xShape: Shape, options: Pool2dOptions): Tensor {
    const op = 'avgPool2dBackward';
    const args = [this.buf(dy, op)];
    const plan = planPool2dBackward(op, dy.shape, xShape, options);
    return this.launchInto(plan.xShape, () => avgPool2dBackwardKernel(plan), args);
  }

  // ---- reductions -------------------------------------------------------------------------------

  protected checkInput(t: Tensor, op: string): void {
    this.buf(t, op);
  }

  protected reduceRuns(
    op: ReduceOp,
    src: Tensor,
    outer: number,
    red: number,
    inner: number,
    outShape: Shape,
  ): Tensor {
    if (outer * inner === 0) return this.empty(outShape);
    if (red === 0) return this.full(outShape, op === 'mean' ? NaN : 0);
    return this.make(
      outShape,
      this.launch(reduceKernel(op, outer, red, inner), [this.buf(src, op)])[0],
    );
  }

  softmax(x: Tensor, axis = -1): Tensor {
    return this.softmaxAlong('softmax', false, x, axis);
  }

  logSoftmax(x: Tensor, axis = -1): Tensor {
    return this.softmaxAlong('logSoftmax', true, x, axis);
  }

  private softmaxAlong(op: string, log: boolean, x: Tensor, axisArg: number): Tensor {
    const b = this.buf(x, op);
    if (x.rank === 0) throw new TensorError(`${op}: needs a tensor of rank ≥ 1, got a scalar`);
    const axis = normalizeAxis(op, axisArg, x.rank);
    if (x.size === 0) return this.empty(x.shape);
    const outer = x.shape.slice(0, axis).reduce((p, d) => p * d, 1);
    const inner = x.shape.slice(axis + 1).reduce((p, d) => p * d, 1);
    const out = this.launch(softmaxKernel(log, outer, x.shape[axis], inner), [b])[0];
    return this.make(x.shape, out);
  }

  /**
   * Two kernels: the gradient (one thread per logit) and the mean loss (one thread). Labels are
   * checked against the host copy kept for uploaded tensors; labels computed on the device are
   * not checked (that would cost a readback).
   */
  softmaxCrossEntropy(logits: Tensor, labels: Tensor): { loss: Tensor; grad: Tensor } {
    const op = 'softmaxCrossEntropy';
    const lg = this.buf(logits, op);
    const lbStorage = this.storageOf(labels, op);
    const { n, c } = checkCrossEntropyShapes(logits.shape, labels.shape);
    if (lbStorage.host) checkClassLabels(lbStorage.host, c);
    if (n === 0) return { loss: this.full([], 0), grad: this.empty([0, c]) };
    const args = [lg, lbStorage.buffer];
    const grad = this.launch(crossEntropyGradKernel(n, c), args)[0];
    const loss = this.launch(crossEntropyLossKernel(n, c), args)[0];
    return { loss: this.make([], loss), grad: this.make([n, c], grad) };
  }

  // ---- layout ------------------------------------------------------------------------------------

  /** The indices are uploaded (one upload per call): they are a minibatch's row numbers. */
  gather(x: Tensor, indices: ArrayLike<number>): Tensor {
    const src = this.buf(x, 'gather');
    const { outShape, rowWidth } = planGather(x.shape, indices);
    if (indices.length * rowWidth === 0) return this.empty(outShape);
    this.#uploads++;
    const idx = Float32Array.from(indices);
    return this.make(outShape, this.launch(gatherKernel(indices.length, rowWidth), [src, idx])[0]);
  }

  transpose(x: Tensor, perm?: readonly number[]): Tensor {
    const src = this.buf(x, 'transpose');
    const { outShape, readStrides } = planTranspose(x.shape, perm);
    if (x.size === 0) return this.empty(outShape);
    return this.make(outShape, this.launch(stridedCopyKernel(outShape, readStrides, 0), [src])[0]);
  }

  /** Same buffer, new shape: a shared texture reference, no kernel. */
  reshape(x: Tensor, shape: Shape): Tensor {
    const src = this.buf(x, 'reshape');
    const target = resolveReshape(x.shape, shape);
    return this.make(target, this.#dev.share(src));
  }

  slice(x: Tensor, begin: readonly number[], size: readonly number[]): Tensor {
    const src = this.buf(x, 'slice');
    const { outShape, strides, offset } = planSlice(x.shape, begin, size);
    if (sizeOf(outShape) === 0) return this.empty(outShape);
    return this.make(outShape, this.launch(stridedCopyKernel(outShape, strides, offset), [src])[0]);
  }

  concat(xs: readonly Tensor[], axisArg = 0): Tensor {
    const srcs = xs.map((t) => this.buf(t, 'concat'));
    const { axis, outShape, outer, inner } = planConcat(
      xs.map((t) => t.shape),
      axisArg,
    );
    if (sizeOf(outShape) === 0) return this.empty(outShape);
    const parts = xs
      .map((t, k) => ({ extent: t.shape[axis], buffer: srcs[k] }))
      .filter((p) => p.extent > 0);
    const spec = concatKernel(
      outer,
      parts.map((p) => p.extent),
      inner,
    );
    return this.make(
      outShape,
      this.launch(
        spec,
        parts.map((p) => p.buffer),
      )[0],
    );
  }
}
