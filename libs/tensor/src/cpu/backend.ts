import type { Backend, BackendStats, MatmulOptions, RandomOptions } from '../backend.js';
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
import { BufferPool } from './pool.js';

export interface CpuOptions {
  dtype?: DType;
}

let nextBackendId = 1;

/**
 * The CPU backend: tensors are typed arrays (Float32Array or Float64Array), ops are loops
 * generated once per op and operand layout (see fused-compiler.ts), matmul is register-blocked,
 * and disposed buffers are pooled for reuse.
 */
export class CpuBackend extends BackendBase implements Backend {
  readonly name: string;
  readonly device: string;
  readonly dtype: DType;
  readonly canReadSync = true;
  readonly id = nextBackendId++;
  readonly #pool: BufferPool;
  readonly #compiled = new FusedKernelCache();
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
    this.device = `cpu ${dtype} (typed arrays)`;
    this.#pool = new BufferPool(dtype);
  }

  // ---- storage ---------------------------------------------------------------------------

  /** Wraps a buffer this backend owns in a new tensor. */
  private make(shape: Shape, buf: TypedArray): Tensor {
    this.#liveTensors++;
    this.#liveBytes += buf.byteLength;
    return new Tensor(this, shape, buf);
  }

  private alloc(shape: Shape, op: string): { shape: Shape; buf: TypedArray } {
    return { shape, buf: this.#pool.acquire(sizeOf(shape, op)) };
  }

  /** The buffer of a live tensor of this backend; the gate every op passes its inputs through. */
  private buf(t: Tensor, op: string): TypedArray {
    if (!(t instanceof Tensor)) {
      throw new TensorError(`${op}: expected a Tensor, got ${t === null ? 'null' : typeof t}`);
    }
    t.assertLive(op);
    if (t.backend !== this) {
      throw new TensorError(
        `${op}: tensor #${t.id} belongs to another backend (${t.backend.device}), not to this one (${this.device}, backend #${this.id}); move it with backend.tensor(await t.data(), t.shape)`,
      );
    }
    return t.storage as TypedArray;
  }

  release(t: Tensor): void {
    const buf = t.storage as TypedArray | undefined;
    if (!buf) return;
    this.#liveTensors--;
    this.#liveBytes -= buf.byteLength;
    this.#pool.release(buf);
  }

  read(t: Tensor): Promise<TypedArray> {
    return Promise.resolve(this.readSync(t));
  }

  readSync(t: Tensor): TypedArray {
    const b = this.buf(t, 'read');
    this.#readbacks++;
    return b.slice();
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

  /** Bytes held for reuse by the buffer pool (not counted as live). */
  pooledBytes(): number {
    return this.#pool.pooledBytes;
  }

  dispose(): void {
    this.#pool.clear();
    this.#compiled.clear();
  }

  // ---- creation ---------------------------------------------------------------------------

  tensor(values: NestedArray | ArrayLike<number>, shape?: Shape): Tensor {
    const { flat, shape: target } = resolveTensorInput(values, shape);
    const { buf } = this.alloc(target, 'tensor');
    if (ArrayBuffer.isView(flat)) buf.set(flat as TypedArray);
    else for (let i = 0; i < buf.length; i++) buf[i] = flat[i];
    this.#uploads++;
    return this.make(target, buf);
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
    const { buf } = this.alloc(shape, op);
    buf.fill(value);
    this.#kernels++;
    return this.make(shape, buf);
  }

  uniform(shape: Shape, options: RandomOptions & { low?: number; high?: number }): Tensor {
    const { buf } = this.alloc(shape, 'uniform');
    new Rng(options.seed).fillUniform(buf, options.low ?? 0, options.high ?? 1);
    this.#uploads++;
    return this.make(shape, buf);
  }

  normal(shape: Shape, options: RandomOptions & { mean?: number; std?: number }): Tensor {
    const { buf } = this.alloc(shape, 'normal');
    new Rng(options.seed).fillNormal(buf, options.mean ?? 0, options.std ?? 1);
    this.#uploads++;
    return this.make(shape, buf);
  }

  // ---- fused ---------------------------------------------------------------------------------

  fusedUpdate(
    program: FusedProgram,
    tensors: Readonly<Record<string, Tensor>>,
    scalars: Readonly<Record<string, number>> = {},
    op = `fusedUpdate(${program.name})`,
  ): Record<string, Tensor> {
    const plan = planFusedCall(program, tensors, scalars, op, (t) => this.buf(t, op));
    const inputs = program.inputs.map((name) => tensors[name].storage as TypedArray);
    const results: Record<string, Tensor> = {};
    const outputs = program.outputs.map((name, k) => {
      if (plan.inPlace[k]) {
        results[name] = tensors[name];
        return tensors[name].storage as TypedArray;
      }
      const { buf } = this.alloc(plan.shape, op);
      results[name] = this.make(plan.shape, buf);
      return buf;
    });
    const strides = plan.layouts.map((l) => (l.kind === 'strided' ? l.strides : []));
    this.#compiled.get(
      program,
      plan.layouts.map((l) => l.kind),
      plan.shape.length,
    )(inputs, outputs, plan.scalarValues, plan.shape, strides);
    this.#kernels++;
    return results;
  }

  // ---- linear algebra --------------------------------------------------------------------------

  matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
    const ab = this.buf(a, 'matmul');
    const bb = this.buf(b, 'matmul');
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
    // Bring A to [M,K] and B to Bᵀ = [N,K]; packed copies come from (and go back to) the pool.
    const aRows = transposeA ? this.#pool.acquire(m * k) : ab;
    if (transposeA) transpose2dInto(aRows, ab, k, m);
    const bt = transposeB ? bb : this.#pool.acquire(n * k);
    if (!transposeB) transpose2dInto(bt, bb, k, n);
    const { buf } = this.alloc([m, n], 'matmul');
    matmulInto(buf, aRows, bt, m, n, k);
    if (transposeA) this.#pool.release(aRows);
    if (!transposeB) this.#pool.release(bt);
    this.#kernels++;
    return this.make([m, n], buf);
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
    const { buf } = this.alloc(outShape, op);
    reduceInto(op, buf, src.storage as TypedArray, outer, red, inner);
    this.#kernels++;
    return this.make(outShape, buf);
  }

  softmax(x: Tensor, axis = -1): Tensor {
    return this.alongLastAxis('softmax', x, axis, softmaxRows);
  }

  logSoftmax(x: Tensor, axis = -1): Tensor {
    return this.alongLastAxis('logSoftmax', x, axis, logSoftmaxRows);
  }

  /** Applies a row kernel along `axis`, transposing it to the end and back when needed. */
  private alongLastAxis(
    op: string,
    x: Tensor,
    axisArg: number,
    rows: (out: TypedArray, src: TypedArray, count: number, width: number) => void,
  ): Tensor {
    this.buf(x, op);
    if (x.rank === 0) throw new TensorError(`${op}: needs a tensor of rank ≥ 1, got a scalar`);
    const axis = normalizeAxis(op, axisArg, x.rank);
    const last = x.rank - 1;
    const perm = x.shape.map((_, i) => i);
    perm[axis] = last;
    perm[last] = axis;
    const src = axis === last ? x : this.transpose(x, perm);
    const width = src.shape[last];
    const { buf } = this.alloc(src.shape, op);
    rows(buf, src.storage as TypedArray, width === 0 ? 0 : src.size / width, width);
    this.#kernels++;
    const out = this.make(src.shape, buf);
    if (src === x) return out;
    src.dispose();
    const back = this.transpose(out, perm);
    out.dispose();
    return back;
  }

  softmaxCrossEntropy(logits: Tensor, labels: Tensor): { loss: Tensor; grad: Tensor } {
    const op = 'softmaxCrossEntropy';
    const lg = this.buf(logits, op);
    const lb = this.buf(labels, op);
    const { n, c } = checkCrossEntropyShapes(logits.shape, labels.shape);
    checkClassLabels(lb, c);
    const grad = this.alloc([n, c], op).buf;
    let total = 0;
    const invN = n === 0 ? 0 : 1 / n;
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
    const lossBuf = this.alloc([], op).buf;
    lossBuf[0] = total * invN;
    this.#kernels++;
    return { loss: this.make([], lossBuf), grad: this.make([n, c], grad) };
  }

  // ---- layout ------------------------------------------------------------------------------------

  gather(x: Tensor, indices: ArrayLike<number>): Tensor {
    const src = this.buf(x, 'gather');
    const { outShape, rowWidth: width } = planGather(x.shape, indices);
    const { buf } = this.alloc(outShape, 'gather');
    for (let i = 0; i < indices.length; i++) {
      const r = indices[i];
      if (width === 1) buf[i] = src[r];
      else buf.set(src.subarray(r * width, r * width + width), i * width);
    }
    this.#kernels++;
    return this.make(outShape, buf);
  }

  transpose(x: Tensor, perm?: readonly number[]): Tensor {
    const src = this.buf(x, 'transpose');
    const plan = planTranspose(x.shape, perm);
    const { buf } = this.alloc(plan.outShape, 'transpose');
    if (x.rank === 2 && plan.perm[0] === 1) transpose2dInto(buf, src, x.shape[0], x.shape[1]);
    // Walk the output in order; read the input through permuted strides.
    else stridedCopy(buf, src, plan.outShape, plan.readStrides);
    this.#kernels++;
    return this.make(plan.outShape, buf);
  }

  reshape(x: Tensor, shape: Shape): Tensor {
    const src = this.buf(x, 'reshape');
    const target = resolveReshape(x.shape, shape);
    const { buf } = this.alloc(target, 'reshape');
    buf.set(src);
    this.#kernels++;
    return this.make(target, buf);
  }

  slice(x: Tensor, begin: readonly number[], size: readonly number[]): Tensor {
    const src = this.buf(x, 'slice');
    const { outShape, strides, offset } = planSlice(x.shape, begin, size);
    const { buf } = this.alloc(outShape, 'slice');
    stridedCopy(buf, src, outShape, strides, offset);
    this.#kernels++;
    return this.make(outShape, buf);
  }

  concat(xs: readonly Tensor[], axisArg = 0): Tensor {
    const srcs = xs.map((t) => this.buf(t, 'concat'));
    const { axis, outShape, outer, inner } = planConcat(
      xs.map((t) => t.shape),
      axisArg,
    );
    const { buf } = this.alloc(outShape, 'concat');
    let o = 0;
    for (let i = 0; i < outer; i++) {
      for (let k = 0; k < xs.length; k++) {
        const chunk = xs[k].shape[axis] * inner;
        buf.set(srcs[k].subarray(i * chunk, i * chunk + chunk), o);
        o += chunk;
      }
    }
    this.#kernels++;
    return this.make(outShape, buf);
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
