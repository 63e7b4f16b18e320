import type { Backend, TensorOrNumber } from './backend.js';
import { TensorError, formatShape } from './errors.js';
import { defineUpdate, type FusedProgram } from './fused.js';
import {
  broadcastShapes,
  broadcastStrides,
  normalizeAxes,
  reducedShape,
  sameShape,
  sizeOf,
} from './shape.js';
import type { Tensor } from './tensor.js';
import {
  BINARY_OPS,
  UNARY_OPS,
  type BinaryOp,
  type ReduceOp,
  type Shape,
  type UnaryOp,
} from './types.js';

/** One fused program per unary op: `y = op(x)`. */
export const UNARY_PROGRAMS = Object.fromEntries(
  UNARY_OPS.map((op) => [
    op,
    defineUpdate({ name: op, inputs: ['x'], outputs: ['y'], body: ({ x }) => ({ y: x[op]() }) }),
  ]),
) as Record<UnaryOp, FusedProgram>;

/**
 * Binary ops as fused programs: two tensors (`tt`), or a number on the right (`tn`) or the left
 * (`nt`) passed as a scalar argument, so a number operand costs no tensor and no recompile.
 */
export const BINARY_PROGRAMS = Object.fromEntries(
  BINARY_OPS.map((op) => [
    op,
    {
      tt: defineUpdate({
        name: op,
        inputs: ['a', 'b'],
        outputs: ['y'],
        body: ({ a, b }) => ({ y: a[op](b) }),
      }),
      tn: defineUpdate({
        name: `${op}TensorNumber`,
        inputs: ['a'],
        scalars: ['b'],
        outputs: ['y'],
        body: ({ a }, { b }) => ({ y: a[op](b) }),
      }),
      nt: defineUpdate({
        name: `${op}NumberTensor`,
        inputs: ['b'],
        scalars: ['a'],
        outputs: ['y'],
        body: ({ b }, { a }) => ({ y: a[op](b) }),
      }),
    },
  ]),
) as Record<BinaryOp, { tt: FusedProgram; tn: FusedProgram; nt: FusedProgram }>;

/** How a fused kernel reads one input: at the output index, as one hoisted value, or strided. */
export type OperandLayout =
  | { readonly kind: 'full' }
  | { readonly kind: 'scalar' }
  | { readonly kind: 'strided'; readonly strides: readonly number[] };

/** A validated fused call: everything a backend needs to run the program but the storage. */
export interface FusedCallPlan {
  /** Broadcast shape of all inputs: the shape of every output. */
  readonly shape: number[];
  readonly size: number;
  /** Scalars in the program's order. */
  readonly scalarValues: number[];
  /** Per input, in the program's order. */
  readonly layouts: OperandLayout[];
  /** Per output: true when it is written into the input tensor of the same name. */
  readonly inPlace: boolean[];
}

/**
 * Validates a `fusedUpdate` call the same way on every backend (missing operands, broadcasting,
 * in-place outputs of the full shape) and works out the shape and each input's layout.
 * `checkInput` is the backend's gate for each tensor (live, same backend).
 */
export function planFusedCall(
  program: FusedProgram,
  tensors: Readonly<Record<string, Tensor>>,
  scalars: Readonly<Record<string, number>>,
  op: string,
  checkInput: (t: Tensor, op: string) => void,
): FusedCallPlan {
  let shape: number[] = [];
  for (const name of program.inputs) {
    const t = tensors[name];
    if (t === undefined) throw new TensorError(`${op}: missing tensor "${name}"`);
    checkInput(t, op);
    shape = broadcastShapes(op, shape, t.shape);
  }
  const scalarValues = program.scalars.map((name) => {
    const v = scalars[name];
    if (typeof v !== 'number') throw new TensorError(`${op}: missing scalar "${name}"`);
    return v;
  });
  const size = sizeOf(shape);
  const layouts = program.inputs.map((name): OperandLayout => {
    const t = tensors[name];
    if (sameShape(t.shape, shape)) return { kind: 'full' };
    if (t.size === 1) return { kind: 'scalar' };
    return { kind: 'strided', strides: broadcastStrides(t.shape, shape) };
  });
  const inPlace = program.outputs.map((name) => {
    const t = tensors[name];
    if (t === undefined || !program.inputs.includes(name)) return false;
    if (!sameShape(t.shape, shape)) {
      throw new TensorError(
        `${op}: shapes ${formatShape(t.shape)} and ${formatShape(shape)} differ: in-place output "${name}" must have the full shape`,
      );
    }
    return true;
  });
  return { shape, size, scalarValues, layouts, inPlace };
}

/**
 * The parts of the Backend interface that are the same on every backend, written once: the
 * seventeen elementwise ops on top of `fusedUpdate`, and the reductions' axis handling on top of
 * one backend-specific kernel (`reduceRuns`). Backends extend it and implement the rest.
 */
export abstract class BackendBase implements Pick<
  Backend,
  UnaryOp | BinaryOp | 'fusedUpdate' | 'full' | 'sum' | 'mean' | 'max' | 'transpose'
> {
  abstract fusedUpdate(
    program: FusedProgram,
    tensors: Readonly<Record<string, Tensor>>,
    scalars?: Readonly<Record<string, number>>,
    op?: string,
  ): Record<string, Tensor>;

  abstract full(shape: Shape, value: number): Tensor;

  abstract transpose(x: Tensor, perm?: readonly number[]): Tensor;

  /** The backend's gate for an input: throws unless `t` is a live tensor of this backend. */
  protected abstract checkInput(t: Tensor, op: string): void;

  /**
   * Reduces `src` viewed as [outer, red, inner] over its middle extent into a new tensor of
   * `outShape` (`outer·inner` elements). `red` may be 0 (empty sum 0, empty mean NaN).
   */
  protected abstract reduceRuns(
    op: ReduceOp,
    src: Tensor,
    outer: number,
    red: number,
    inner: number,
    outShape: Shape,
  ): Tensor;

  sum(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
    return this.reduce('sum', x, axes, keepDims);
  }
  mean(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
    return this.reduce('mean', x, axes, keepDims);
  }
  max(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
    return this.reduce('max', x, axes, keepDims);
  }

  private reduce(
    op: ReduceOp,
    x: Tensor,
    axesArg: number | readonly number[] | undefined,
    keepDims: boolean,
  ): Tensor {
    this.checkInput(x, op);
    const axes = normalizeAxes(op, axesArg, x.rank);
    const outShape = reducedShape(x.shape, axes, keepDims);
    // Reduce a contiguous run of axes directly; otherwise move the reduced axes last first.
    const contiguous = axes.every((a, i) => i === 0 || a === axes[i - 1] + 1);
    let src = x;
    let first = axes[0] ?? 0;
    let last = axes[axes.length - 1] ?? -1;
    if (!contiguous) {
      const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
      src = this.transpose(x, [...kept, ...axes]);
      first = kept.length;
      last = x.rank - 1;
    }
    try {
      const extent = (from: number, to: number) =>
        src.shape.slice(from, to).reduce((p, d) => p * d, 1);
      const red = extent(first, last + 1);
      if (op === 'max' && red === 0) {
        throw new TensorError(
          `max: cannot reduce an empty dimension of shape ${formatShape(x.shape)}`,
        );
      }
      return this.reduceRuns(op, src, extent(0, first), red, extent(last + 1, src.rank), outShape);
    } finally {
      if (src !== x) src.dispose();
    }
  }

  protected unary(op: UnaryOp, x: Tensor): Tensor {
    return this.fusedUpdate(UNARY_PROGRAMS[op], { x }, {}, op).y;
  }

  protected binary(op: BinaryOp, a: TensorOrNumber, b: TensorOrNumber): Tensor {
    const programs = BINARY_PROGRAMS[op];
    if (typeof a === 'number' && typeof b === 'number') {
      const ta = this.full([], a);
      try {
        return this.fusedUpdate(programs.tn, { a: ta }, { b }, op).y;
      } finally {
        ta.dispose();
      }
    }
    if (typeof b === 'number')
      return this.fusedUpdate(programs.tn, { a: a as Tensor }, { b }, op).y;
    if (typeof a === 'number') return this.fusedUpdate(programs.nt, { b }, { a }, op).y;
    return this.fusedUpdate(programs.tt, { a, b }, {}, op).y;
  }

  neg(x: Tensor): Tensor {
    return this.unary('neg', x);
  }
  abs(x: Tensor): Tensor {
    return this.unary('abs', x);
  }
  sign(x: Tensor): Tensor {
    return this.unary('sign', x);
  }
  square(x: Tensor): Tensor {
    return this.unary('square', x);
  }
  sqrt(x: Tensor): Tensor {
    return this.unary('sqrt', x);
  }
  exp(x: Tensor): Tensor {
    return this.unary('exp', x);
  }
  log(x: Tensor): Tensor {
    return this.unary('log', x);
  }
  tanh(x: Tensor): Tensor {
    return this.unary('tanh', x);
  }
  sigmoid(x: Tensor): Tensor {
    return this.unary('sigmoid', x);
  }
  relu(x: Tensor): Tensor {
    return this.unary('relu', x);
  }
  add(a: TensorOrNumber, b: TensorOrNumber): Tensor {
    return this.binary('add', a, b);
  }
  sub(a: TensorOrNumber, b: TensorOrNumber): Tensor {
    return this.binary('sub', a, b);
  }
  mul(a: TensorOrNumber, b: TensorOrNumber): Tensor {
    return this.binary('mul', a, b);
  }
  div(a: TensorOrNumber, b: TensorOrNumber): Tensor {
    return this.binary('div', a, b);
  }
  pow(a: TensorOrNumber, b: TensorOrNumber): Tensor {
    return this.binary('pow', a, b);
  }
  maximum(a: TensorOrNumber, b: TensorOrNumber): Tensor {
    return this.binary('maximum', a, b);
  }
  minimum(a: TensorOrNumber, b: TensorOrNumber): Tensor {
    return this.binary('minimum', a, b);
  }
}
