import { increment, op, ValType, whileNot, type FunctionDef, type Instr } from './encoder.js';

/**
 * Sum, mean and max on the WebAssembly path, over `src` viewed as [outer, red, inner] (the
 * backend's `reduceRuns` contract), into `out` [outer, inner]; sums are then multiplied by `scale`
 * (1 for a sum, 1/red for a mean). Sums are float32 (the JavaScript path sums in doubles); the
 * order differs from a sequential sum, within the suite's float32 tolerances, which scale with
 * the summed magnitudes. Maxima are exact; `f32x4.max` propagates NaN as the JavaScript loop does,
 * and the one rule it cannot see (a maximum of 0 takes the sign of the first zero) is applied by
 * the backend afterwards.
 *
 * - `…Rows` (inner = 1, e.g. a loss's mean, a row sum): four lanes combine every fourth element,
 *   then the lanes are combined and the tail joins them.
 * - `…Columns` (inner > 1, e.g. a bias gradient `sum(g, 0)`): each output row starts at the
 *   identity (0 or −∞), then the `red` input rows are combined into it with f32x4 (contiguous,
 *   unlike a per-column loop).
 */
export type ReduceKind = 'sum' | 'max';

const COMBINE = {
  sum: { identity: 0, vector: op.f32x4Add, scalar: op.f32Add },
  max: { identity: -Infinity, vector: op.f32x4Max, scalar: op.f32Max },
} as const;

export function reduceRowsFunction(kind: ReduceKind): FunctionDef {
  const { identity, vector, scalar } = COMBINE[kind];
  // params: src, out, outer, red, scale; locals
  const SRC = 0,
    OUT = 1,
    OUTER = 2,
    RED = 3,
    SCALE = 4;
  const o = 5,
    p = 6,
    vecEnd = 7,
    end = 8,
    acc = 9,
    total = 10;
  const get = op.localGet;
  const set = op.localSet;
  const row: Instr[] = [
    op.f32x4Const(identity),
    set(acc),
    // p runs over the row's bytes: [p, vecEnd) by vectors, [vecEnd, end) by elements.
    get(SRC),
    set(p),
    get(SRC),
    get(RED),
    op.i32Const(2),
    op.i32Shl(),
    op.i32Add(),
    set(end),
    get(SRC),
    get(RED),
    op.i32Const(-4),
    op.i32And(),
    op.i32Const(2),
    op.i32Shl(),
    op.i32Add(),
    set(vecEnd),
    ...whileNot(
      [get(p), get(vecEnd), op.i32GeU()],
      [get(acc), get(p), op.v128Load(), vector(), set(acc), ...increment(p, 16)],
    ),
    get(acc),
    op.f32x4ExtractLane(0),
    get(acc),
    op.f32x4ExtractLane(1),
    scalar(),
    get(acc),
    op.f32x4ExtractLane(2),
    get(acc),
    op.f32x4ExtractLane(3),
    scalar(),
    scalar(),
    set(total),
    ...whileNot(
      [get(p), get(end), op.i32GeU()],
      [get(total), get(p), op.f32Load(), scalar(), set(total), ...increment(p, 4)],
    ),
    get(OUT),
    get(total),
    ...(kind === 'sum' ? [get(SCALE), op.f32Mul()] : []),
    op.f32Store(),
    get(end),
    set(SRC),
    ...increment(OUT, 4),
    ...increment(o, 1),
  ];
  return {
    name: `${kind}Rows`,
    params: [ValType.i32, ValType.i32, ValType.i32, ValType.i32, ValType.f32],
    locals: [ValType.i32, ValType.i32, ValType.i32, ValType.i32, ValType.v128, ValType.f32],
    body: [op.i32Const(0), set(o), ...whileNot([get(o), get(OUTER), op.i32GeU()], row)],
  };
}

export function reduceColumnsFunction(kind: ReduceKind): FunctionDef {
  const { identity, vector, scalar } = COMBINE[kind];
  // params: src, out, outer, red, inner, scale
  const SRC = 0,
    OUT = 1,
    OUTER = 2,
    RED = 3,
    INNER = 4,
    SCALE = 5;
  // locals
  const o = 6,
    r = 7,
    j = 8, // byte offset within a row
    vecEnd = 9,
    end = 10,
    vScale = 11;
  const get = op.localGet;
  const set = op.localSet;
  /** For j over one row's bytes: `vector(j)` on whole vectors, then `scalar(j)` on the tail. */
  const overRow = (vector: Instr[], scalar: Instr[]): Instr[] => [
    op.i32Const(0),
    set(j),
    ...whileNot([get(j), get(vecEnd), op.i32GeU()], [...vector, ...increment(j, 16)]),
    ...whileNot([get(j), get(end), op.i32GeU()], [...scalar, ...increment(j, 4)]),
  ];
  const outAt = [get(OUT), get(j), op.i32Add()];
  const srcAt = [get(SRC), get(j), op.i32Add()];
  const perOuter: Instr[] = [
    ...overRow(
      [...outAt, op.f32x4Const(identity), op.v128Store()],
      [...outAt, op.f32Const(identity), op.f32Store()],
    ),
    op.i32Const(0),
    set(r),
    ...whileNot(
      [get(r), get(RED), op.i32GeU()],
      [
        ...overRow(
          [...outAt, ...outAt, op.v128Load(), ...srcAt, op.v128Load(), vector(), op.v128Store()],
          [...outAt, ...outAt, op.f32Load(), ...srcAt, op.f32Load(), scalar(), op.f32Store()],
        ),
        get(SRC),
        get(end),
        op.i32Add(),
        set(SRC),
        ...increment(r, 1),
      ],
    ),
    ...(kind === 'sum'
      ? overRow(
          [...outAt, ...outAt, op.v128Load(), get(vScale), op.f32x4Mul(), op.v128Store()],
          [...outAt, ...outAt, op.f32Load(), get(SCALE), op.f32Mul(), op.f32Store()],
        )
      : []),
    get(OUT),
    get(end),
    op.i32Add(),
    set(OUT),
    ...increment(o, 1),
  ];
  return {
    name: `${kind}Columns`,
    params: [ValType.i32, ValType.i32, ValType.i32, ValType.i32, ValType.i32, ValType.f32],
    locals: [...Array<ValType>(5).fill(ValType.i32), ValType.v128],
    body: [
      // end = inner·4 bytes per row; vecEnd = (inner & ~3)·4
      get(INNER),
      op.i32Const(2),
      op.i32Shl(),
      set(end),
      get(end),
      op.i32Const(-16),
      op.i32And(),
      set(vecEnd),
      get(SCALE),
      op.f32x4Splat(),
      set(vScale),
      op.i32Const(0),
      set(o),
      ...whileNot([get(o), get(OUTER), op.i32GeU()], perOuter),
    ],
  };
}
