import { increment, op, ValType, whileNot, type FunctionDef, type Instr } from './encoder.js';
import { MATH_SCRATCH, vexp, vlog } from './math.js';

/**
 * Row kernels for softmax, logSoftmax and softmax cross-entropy on the WebAssembly path, over
 * `count` rows of `width` contiguous floats (the backend moves the axis last first):
 *
 * - `rowMaxSumExp(src, mx, z, count, width)`: mx[r] = the row's maximum, z[r] = Σ e^{x − mx[r]};
 * - `expShiftRows(src, mx, z, out, count, width, scale)`: out = e^{x − mx[r]} · scale / z[r]
 *   (softmax with scale 1; the cross-entropy gradient's softmax part with scale 1/N);
 * - `logShiftRows(src, mx, z, out, count, width)`: out = (x − mx[r]) − ln z[r] (logSoftmax).
 *
 * The row's maximum is subtracted before anything else, as on the JavaScript path: x − mx is
 * exact where it matters (Sterbenz), whereas a float32 ln Σ e^x of logits near 1000 would lose
 * four digits. exp and log are the approximations of math.ts (≤ 1 ulp). A row's NaN makes the
 * row NaN, as on the JavaScript path (there the maximum skips NaN, but e^{NaN − m} then poisons
 * the sum).
 */

const get = op.localGet;
const set = op.localSet;
const splat = (x: Instr[]): Instr[] => [...x, op.f32x4Splat()];
const lane0 = (v: Instr[]): Instr[] => [...v, op.f32x4ExtractLane(0)];

/** Locals every row kernel has after its parameters. */
function rowLocals(first: number) {
  return {
    r: first,
    j: first + 1, // byte offset in the row
    vecEnd: first + 2,
    end: first + 3,
    shift: first + 4, // v128: the row's lse (or max)
    acc: first + 5, // v128
    scalar: first + 6, // f32
    scratch: Array.from({ length: MATH_SCRATCH }, (_, k) => first + 7 + k),
    types: [
      ...Array<ValType>(4).fill(ValType.i32),
      ValType.v128,
      ValType.v128,
      ValType.f32,
      ...Array<ValType>(MATH_SCRATCH).fill(ValType.v128),
    ],
  };
}

/** end = width·4, vecEnd = (width & ~3)·4 (bytes of one row). */
function rowBounds(width: number, l: ReturnType<typeof rowLocals>): Instr[] {
  return [
    get(width),
    op.i32Const(2),
    op.i32Shl(),
    set(l.end),
    get(l.end),
    op.i32Const(-16),
    op.i32And(),
    set(l.vecEnd),
  ];
}

/** For j over a row: `vector` on whole vectors (j += 16), then `tail` on the rest (j += 4). */
function overRow(l: ReturnType<typeof rowLocals>, vector: Instr[], tail: Instr[]): Instr[] {
  return [
    op.i32Const(0),
    set(l.j),
    ...whileNot([get(l.j), get(l.vecEnd), op.i32GeU()], [...vector, ...increment(l.j, 16)]),
    ...whileNot([get(l.j), get(l.end), op.i32GeU()], [...tail, ...increment(l.j, 4)]),
  ];
}

/** Horizontal reduction of the four lanes of local `v` with a binary f32 op. */
function lanes(v: number, combine: Instr): Instr[] {
  const lane = (k: number): Instr[] => [get(v), op.f32x4ExtractLane(k)];
  return [...lane(0), ...lane(1), combine, ...lane(2), ...lane(3), combine, combine];
}

export function rowMaxSumExpFunction(): FunctionDef {
  const [SRC, MX, Z, COUNT, WIDTH] = [0, 1, 2, 3, 4];
  const l = rowLocals(5);
  const at = [get(SRC), get(l.j), op.i32Add()];
  const row: Instr[] = [
    // The maximum: four lanes, then the tail against the lanes' maximum.
    op.f32x4Const(-Infinity),
    set(l.acc),
    op.i32Const(0),
    set(l.j),
    ...whileNot(
      [get(l.j), get(l.vecEnd), op.i32GeU()],
      [get(l.acc), ...at, op.v128Load(), op.f32x4Max(), set(l.acc), ...increment(l.j, 16)],
    ),
    ...lanes(l.acc, op.f32Max()),
    set(l.scalar),
    ...whileNot(
      [get(l.j), get(l.end), op.i32GeU()],
      [get(l.scalar), ...at, op.f32Load(), op.f32Max(), set(l.scalar), ...increment(l.j, 4)],
    ),
    get(l.scalar),
    op.f32x4Splat(),
    set(l.shift),
    // Σ e^{x − m}: four lanes, then the tail through lane 0
    op.f32x4Const(0),
    set(l.acc),
    op.i32Const(0),
    set(l.j),
    ...whileNot(
      [get(l.j), get(l.vecEnd), op.i32GeU()],
      [
        get(l.acc),
        ...vexp([...at, op.v128Load(), get(l.shift), op.f32x4Sub()], l.scratch),
        op.f32x4Add(),
        set(l.acc),
        ...increment(l.j, 16),
      ],
    ),
    ...lanes(l.acc, op.f32Add()),
    set(l.scalar),
    ...whileNot(
      [get(l.j), get(l.end), op.i32GeU()],
      [
        get(l.scalar),
        ...lane0(vexp([...splat([...at, op.f32Load()]), get(l.shift), op.f32x4Sub()], l.scratch)),
        op.f32Add(),
        set(l.scalar),
        ...increment(l.j, 4),
      ],
    ),
    get(MX),
    get(l.shift),
    op.f32x4ExtractLane(0),
    op.f32Store(),
    get(Z),
    get(l.scalar),
    op.f32Store(),
    ...increment(MX, 4),
    ...increment(Z, 4),
    get(SRC),
    get(l.end),
    op.i32Add(),
    set(SRC),
    ...increment(l.r, 1),
  ];
  return {
    name: 'rowMaxSumExp',
    params: Array<ValType>(5).fill(ValType.i32),
    locals: l.types,
    body: [
      ...rowBounds(WIDTH, l),
      op.i32Const(0),
      set(l.r),
      ...whileNot([get(l.r), get(COUNT), op.i32GeU()], row),
    ],
  };
}

/**
 * A kernel out = f(x) over rows: `setUp` runs once per row (the row's mx and z are at the
 * pointers in parameters 1 and 2) and may set locals `shift` and `acc`; `value(x)` maps a v128 of
 * inputs to a v128 of outputs; the tail runs it on lane 0.
 */
function mapRowsFunction(
  name: string,
  extraParams: readonly ValType[],
  setUp: (l: ReturnType<typeof rowLocals>) => Instr[],
  value: (x: Instr[], l: ReturnType<typeof rowLocals>) => Instr[],
): FunctionDef {
  const [SRC, MX, Z, OUT, COUNT, WIDTH] = [0, 1, 2, 3, 4, 5];
  const l = rowLocals(6 + extraParams.length);
  const src = [get(SRC), get(l.j), op.i32Add()];
  const out = [get(OUT), get(l.j), op.i32Add()];
  const row: Instr[] = [
    ...setUp(l),
    ...overRow(
      l,
      [...out, ...value([...src, op.v128Load()], l), op.v128Store()],
      [...out, ...lane0(value([...src, op.v128Load32Splat()], l)), op.f32Store()],
    ),
    ...increment(MX, 4),
    ...increment(Z, 4),
    get(SRC),
    get(l.end),
    op.i32Add(),
    set(SRC),
    get(OUT),
    get(l.end),
    op.i32Add(),
    set(OUT),
    ...increment(l.r, 1),
  ];
  return {
    name,
    params: [...Array<ValType>(6).fill(ValType.i32), ...extraParams],
    locals: l.types,
    body: [
      ...rowBounds(WIDTH, l),
      op.i32Const(0),
      set(l.r),
      ...whileNot([get(l.r), get(COUNT), op.i32GeU()], row),
    ],
  };
}

const [MX_PARAM, Z_PARAM] = [1, 2];
const loadShift = (l: ReturnType<typeof rowLocals>): Instr[] => [
  get(MX_PARAM),
  op.v128Load32Splat(),
  set(l.shift),
];

/** out = e^{x − mx[r]} · scale / z[r]; `scale` is the seventh parameter (f32). */
export function expShiftRowsFunction(): FunctionDef {
  const SCALE = 6;
  return mapRowsFunction(
    'expShiftRows',
    [ValType.f32],
    (l) => [
      ...loadShift(l),
      get(SCALE),
      get(Z_PARAM),
      op.f32Load(),
      op.f32Div(),
      op.f32x4Splat(),
      set(l.acc),
    ],
    (x, l) => [...vexp([...x, get(l.shift), op.f32x4Sub()], l.scratch), get(l.acc), op.f32x4Mul()],
  );
}

/** out = (x − mx[r]) − ln z[r] */
export function logShiftRowsFunction(): FunctionDef {
  return mapRowsFunction(
    'logShiftRows',
    [],
    (l) => [...loadShift(l), ...vlog([get(Z_PARAM), op.v128Load32Splat()], l.scratch), set(l.acc)],
    (x, l) => [...x, get(l.shift), op.f32x4Sub(), get(l.acc), op.f32x4Sub()],
  );
}
