import { emitExpressions, type ExprOpTable } from '../codegen/emit.js';
import { topoOrder, type FusedProgram } from '../fused.js';
import { MATH_SCRATCH, vexp, vlog, vsigmoid, vtanh } from './math.js';
import type { LayoutKind } from '../cpu/fused-compiler.js';
import {
  encodeModule,
  increment,
  instantiate,
  op,
  ValType,
  whileNot,
  type Instr,
} from './encoder.js';

/**
 * Compiles fused elementwise programs to WebAssembly: one function per program and operand
 * layout, an f32x4 main loop (four elements per iteration) and a scalar tail for the last
 * `n mod 4`, both rendered from the same expression tree by `emitExpressions` with two op tables.
 * Every node is computed in float32 (the JavaScript loop computes in doubles and rounds once on
 * store; results differ in the last bits, within the float32 tolerances).
 *
 * What runs here and what does not ({@link wasmFallbackReason}): every op but `pow`, over
 * operands that are `full` or `scalar` (broadcast operands through blocks, see broadcast.ts).
 * exp, log, tanh and sigmoid have no instruction and use the approximations of math.ts (errors
 * stated and tested there); programs with `pow` keep the JavaScript loop (over views of the same
 * memory), as do broadcasts whose blocks would be short. The backend records which path each
 * program took.
 */

/** Vectors per iteration of the main loop. */
const UNROLL = 4;

/**
 * Ops with no f32x4 rendering: programs using them stay on the JavaScript loop. exp, log, tanh
 * and sigmoid are approximated (math.ts); pow would need exp(b·log a) plus the sign and integer
 * rules of `Math.pow` for negative bases, and is left to the JavaScript loop.
 */
const TRANSCENDENTAL = new Set(['pow']);

/**
 * Why a program cannot run as a WebAssembly kernel (the text names it in the path the backend
 * records), or null when it can. Strided operands are the backend's business (broadcast.ts).
 */
export function wasmFallbackReason(program: FusedProgram): string | null {
  const ops = new Set<string>();
  for (const n of topoOrder(program)) {
    if ((n.kind === 'unary' || n.kind === 'binary') && TRANSCENDENTAL.has(n.op)) ops.add(n.op);
  }
  return ops.size ? `transcendental: ${[...ops].join(', ')}` : null;
}

/**
 * A compiled kernel: `(inputPtrs..., outputPtrs..., scalars..., n)`, byte offsets into the
 * heap's memory. An in-place output gets its input's pointer.
 */
export type WasmFusedKernel = (...args: number[]) => void;

/** Builds the kernel's function: parameters, locals and the two loops. */
export function fusedFunction(program: FusedProgram, layouts: readonly LayoutKind[]) {
  const nIn = program.inputs.length;
  const nOut = program.outputs.length;
  const nSc = program.scalars.length;
  const inPtr = (k: number) => k;
  const outPtr = (k: number) => nIn + k;
  const scalarParam = (k: number) => nIn + nOut + k;
  const nParam = nIn + nOut + nSc;
  const P = nParam + 1;
  const i = P; // byte offset of the current element
  const vecEnd = P + 1; // bytes covered by whole vectors
  const end = P + 2; // bytes in all
  const unrolledEnd = P + 3; // bytes covered by whole groups of UNROLL vectors
  const vIn = (k: number) => P + 4 + k;
  const vSc = (k: number) => P + 4 + nIn + k;
  const scratch = Array.from({ length: MATH_SCRATCH }, (_, k) => P + 4 + nIn + nSc + k);
  const vTemp0 = P + 4 + nIn + nSc + MATH_SCRATCH;
  const zero4 = op.f32x4Const(0);

  const vector: ExprOpTable<Instr[], Instr[]> = {
    input: (k) => [op.localGet(vIn(k))],
    scalar: (k) => [op.localGet(vSc(k))],
    constant: (v) => [op.f32x4Const(v)],
    unary: {
      neg: (x) => [...x, op.f32x4Neg()],
      abs: (x) => [...x, op.f32x4Abs()],
      // x > 0 ? 1 : x < 0 ? -1 : x (NaN and ±0 pass through, as on the JavaScript path)
      sign: (x) => [
        op.f32x4Const(1),
        op.f32x4Const(-1),
        ...x,
        ...x,
        zero4,
        op.f32x4Lt(),
        op.v128Bitselect(),
        ...x,
        zero4,
        op.f32x4Gt(),
        op.v128Bitselect(),
      ],
      square: (x) => [...x, ...x, op.f32x4Mul()],
      sqrt: (x) => [...x, op.f32x4Sqrt()],
      exp: (x) => vexp(x, scratch),
      log: (x) => vlog(x, scratch),
      tanh: (x) => vtanh(x, scratch),
      sigmoid: (x) => vsigmoid(x, scratch),
      // x < 0 ? 0 : x (lets NaN through)
      relu: (x) => [zero4, ...x, ...x, zero4, op.f32x4Lt(), op.v128Bitselect()],
    },
    binary: {
      add: (a, b) => [...a, ...b, op.f32x4Add()],
      sub: (a, b) => [...a, ...b, op.f32x4Sub()],
      mul: (a, b) => [...a, ...b, op.f32x4Mul()],
      div: (a, b) => [...a, ...b, op.f32x4Div()],
      pow: unsupported('pow'),
      // f32x4.max/min propagate NaN and order -0 < +0, as Math.max/min do.
      maximum: (a, b) => [...a, ...b, op.f32x4Max()],
      minimum: (a, b) => [...a, ...b, op.f32x4Min()],
    },
    where: (c, a, b) => [...a, ...b, ...c, zero4, op.f32x4Gt(), op.v128Bitselect()],
    bind: (value, k) => ({
      statement: [...value, op.localSet(vTemp0 + k)],
      ref: [op.localGet(vTemp0 + k)],
    }),
  };
  const vec = emitExpressions(program, vector);
  const fIn = (k: number) => vTemp0 + vec.statements.length + k;
  const fTemp0 = vTemp0 + vec.statements.length + nIn;

  const scalar: ExprOpTable<Instr[], Instr[]> = {
    input: (k) => [op.localGet(fIn(k))],
    scalar: (k) => [op.localGet(scalarParam(k))],
    constant: (v) => [op.f32Const(v)],
    unary: {
      neg: (x) => [...x, op.f32Neg()],
      abs: (x) => [...x, op.f32Abs()],
      sign: (x) => [
        op.f32Const(1),
        op.f32Const(-1),
        ...x,
        ...x,
        op.f32Const(0),
        op.f32Lt(),
        op.select(),
        ...x,
        op.f32Const(0),
        op.f32Gt(),
        op.select(),
      ],
      square: (x) => [...x, ...x, op.f32Mul()],
      sqrt: (x) => [...x, op.f32Sqrt()],
      // The tail runs the vector approximation on lane 0: one implementation to test.
      exp: (x) => lane0(vexp(splat(x), scratch)),
      log: (x) => lane0(vlog(splat(x), scratch)),
      tanh: (x) => lane0(vtanh(splat(x), scratch)),
      sigmoid: (x) => lane0(vsigmoid(splat(x), scratch)),
      relu: (x) => [op.f32Const(0), ...x, ...x, op.f32Const(0), op.f32Lt(), op.select()],
    },
    binary: {
      add: (a, b) => [...a, ...b, op.f32Add()],
      sub: (a, b) => [...a, ...b, op.f32Sub()],
      mul: (a, b) => [...a, ...b, op.f32Mul()],
      div: (a, b) => [...a, ...b, op.f32Div()],
      pow: unsupported('pow'),
      maximum: (a, b) => [...a, ...b, op.f32Max()],
      minimum: (a, b) => [...a, ...b, op.f32Min()],
    },
    where: (c, a, b) => [...a, ...b, ...c, op.f32Const(0), op.f32Gt(), op.select()],
    bind: (value, k) => ({
      statement: [...value, op.localSet(fTemp0 + k)],
      ref: [op.localGet(fTemp0 + k)],
    }),
  };
  const tail = emitExpressions(program, scalar);

  const address = (ptrLocal: number): Instr[] => [
    op.localGet(ptrLocal),
    op.localGet(i),
    op.i32Add(),
  ];
  /** Runs `body` for i = current i, +step, … while i < limit. */
  const loop = (limit: number, step: number, body: Instr[]): Instr[] =>
    whileNot([op.localGet(i), op.localGet(limit), op.i32GeU()], [...body, ...increment(i, step)]);

  const body: Instr[] = [
    // end = n·4; vecEnd = (n & ~3)·4; unrolledEnd = (n & ~(4·UNROLL − 1))·4
    op.localGet(nParam),
    op.i32Const(2),
    op.i32Shl(),
    op.localSet(end),
    op.localGet(end),
    op.i32Const(-16),
    op.i32And(),
    op.localSet(vecEnd),
    op.localGet(end),
    op.i32Const(-16 * UNROLL),
    op.i32And(),
    op.localSet(unrolledEnd),
  ];
  // Hoisted: one-element operands and scalars, splatted to four lanes (and read once for the tail).
  layouts.forEach((l, k) => {
    if (l !== 'scalar') return;
    body.push(op.localGet(inPtr(k)), op.v128Load32Splat(), op.localSet(vIn(k)));
    body.push(op.localGet(inPtr(k)), op.f32Load(), op.localSet(fIn(k)));
  });
  program.scalars.forEach((_, k) => {
    body.push(op.localGet(scalarParam(k)), op.f32x4Splat(), op.localSet(vSc(k)));
  });
  // Every operand of the element is read before any output is written (in-place outputs).
  /** One vector's worth of the program, `offset` bytes past element i. */
  const vectorStep = (offset: number): Instr[] => {
    const step: Instr[] = [];
    layouts.forEach((l, k) => {
      if (l === 'full') step.push(...address(inPtr(k)), op.v128Load(offset), op.localSet(vIn(k)));
    });
    vec.statements.forEach((s) => step.push(...s));
    vec.outputs.forEach((value, k) =>
      step.push(...address(outPtr(k)), ...value, op.v128Store(offset)),
    );
    return step;
  };
  // The main loop runs UNROLL vectors per iteration (constant offsets, one loop test), then one
  // vector at a time, then the scalar tail.
  const unrolled: Instr[] = [];
  for (let u = 0; u < UNROLL; u++) unrolled.push(...vectorStep(16 * u));
  body.push(...loop(unrolledEnd, 16 * UNROLL, unrolled));
  body.push(...loop(vecEnd, 16, vectorStep(0)));

  const tailBody: Instr[] = [];
  layouts.forEach((l, k) => {
    if (l === 'full') tailBody.push(...address(inPtr(k)), op.f32Load(), op.localSet(fIn(k)));
  });
  tail.statements.forEach((s) => tailBody.push(...s));
  tail.outputs.forEach((value, k) => tailBody.push(...address(outPtr(k)), ...value, op.f32Store()));
  body.push(...loop(end, 4, tailBody));

  return {
    name: 'run',
    params: [
      ...Array<ValType>(nIn + nOut).fill(ValType.i32),
      ...Array<ValType>(nSc).fill(ValType.f32),
      ValType.i32,
    ],
    locals: [
      ValType.i32,
      ValType.i32,
      ValType.i32,
      ValType.i32,
      ...Array<ValType>(nIn + nSc + MATH_SCRATCH + vec.statements.length).fill(ValType.v128),
      ...Array<ValType>(nIn + tail.statements.length).fill(ValType.f32),
    ],
    body,
  };
}

const splat = (x: Instr[]): Instr[] => [...x, op.f32x4Splat()];
const lane0 = (v: Instr[]): Instr[] => [...v, op.f32x4ExtractLane(0)];

function unsupported(name: string): () => never {
  return () => {
    throw new Error(
      `wasm fused compiler: ${name} has no f32x4 instruction (the program should have fallen back)`,
    );
  };
}

/**
 * Compiled kernels of one backend, by program and layout (instances are bound to the backend's
 * memory, so the cache is per backend, like the JavaScript loops' cache).
 */
export class WasmFusedCache {
  readonly #kernels = new Map<string, WasmFusedKernel>();

  constructor(private readonly memory: WebAssembly.Memory) {}

  get(program: FusedProgram, layouts: readonly LayoutKind[]): WasmFusedKernel {
    const key = `${program.key}#${layouts.join(',')}`;
    let fn = this.#kernels.get(key);
    if (!fn) {
      const bytes = encodeModule([fusedFunction(program, layouts)]);
      fn = instantiate(bytes, this.memory).run as WasmFusedKernel;
      this.#kernels.set(key, fn);
    }
    return fn;
  }

  clear(): void {
    this.#kernels.clear();
  }
}
