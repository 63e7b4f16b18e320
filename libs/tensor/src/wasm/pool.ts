import type { Pool2dPlan } from '../conv.js';
import { increment, op, ValType, whileNot, type FunctionDef, type Instr } from './encoder.js';

/**
 * Max and average pooling on the WebAssembly path, all image planes in one call, each plane as
 * two separable passes over a plane-sized scratch that stays in cache:
 *
 * 1. **across** each input row: `hb[r, ox]` = the row's window at output column ox (the max, or
 *    the sum), and for the max's gradient `ib[r, ox]` = the flat plane index of that element;
 * 2. **down**: `y[oy, ox]` = the rows `hb[r0(oy) .. r1(oy))` combined, contiguous over ox, so
 *    f32x4 throughout (sums then times `scale` = 1/(kh·kw), padding counted as zeros); a row's
 *    last vector overlaps the one before rather than running a scalar tail.
 *
 * Max pooling keeps PyTorch's rule exactly (aten/src/ATen/native/cpu/MaxPoolKernel.cpp:
 * `val > maxval || isnan(val)` in row-major order): the window's first largest value wins ties
 * (signed zeros included, where `f32x4.max` would put +0 above −0) and its last NaN wins when it
 * holds NaNs. Across-then-down is row-major: the across pass picks a row's first maximum (or last
 * NaN), the down pass the first row holding the window's maximum (or the last holding a NaN).
 * The forward pass takes `f32x4.pmax` (`best < v ? v : best`) and ORs `v ≠ v` lanes into a mask
 * that makes them NaN at the end; the gradient pass needs the winner's index, so it keeps the
 * full bit select (`v > best | v ≠ v`) on value and index lanes alike, then adds each dy to dx at
 * that index, so overlapping windows accumulate.
 *
 * The across pass runs four output columns per f32x4 where the stride is 1 (one unaligned load
 * per tap) or 2 (two loads and a shuffle of their even lanes; the row's last block loads from one
 * column earlier and takes the odd lanes, so it never reads past the row) and the four windows
 * lie inside the row; edge windows (clipped by padding), the other strides and narrow rows run
 * one column at a time from a table of each window's [start, end) columns. Tables and the vector
 * range come from {@link poolTables}.
 */
export type PoolPass = 'max' | 'avg' | 'maxBackward';

/** Strides with an f32x4 across pass; any other stride runs the scalar one (an empty range). */
export const VECTOR_STRIDES = [1, 2] as const;
export type VectorStride = (typeof VECTOR_STRIDES)[number];

/** The exported name of a pass's kernel for a vector stride. */
export function poolFunctionName(pass: PoolPass, stride: VectorStride): string {
  return `${pass}Pool${stride}`;
}

/** Windows' [start, end) columns and rows, clipped to the image, and the vector column range. */
export interface PoolTables {
  /** start, end per output column (2·wo i32). */
  readonly cols: Int32Array;
  /** start, end per output row (2·ho i32). */
  readonly rows: Int32Array;
  /** The stride the kernel is compiled for (1 when the plan's is neither 1 nor 2). */
  readonly stride: VectorStride;
  /** Output columns [vecLo, vecHi) run four at a time; vecHi − vecLo is a multiple of 4. */
  readonly vecLo: number;
  readonly vecHi: number;
  /** Start of one more block [vecLast, vecLast + 4) past vecHi − 4, or −1. */
  readonly vecLast: number;
}

export function poolTables(p: Pool2dPlan): PoolTables {
  const clip = (count: number, size: number, k: number, stride: number, pad: number) => {
    const t = new Int32Array(2 * count);
    for (let i = 0; i < count; i++) {
      const start = i * stride - pad;
      t[2 * i] = Math.max(start, 0);
      t[2 * i + 1] = Math.min(start + k, size);
    }
    return t;
  };
  const sw = p.strideW;
  const vector = sw === 1 || sw === 2;
  const vecLo = Math.min(Math.ceil(p.padW / sw), p.wo);
  // A block [o, o + 4) needs every window inside the row, and with stride 2 the second load of
  // the last tap (8 columns from the first lane's) inside the row as well.
  const blockFits = (o: number): boolean =>
    o + 4 <= p.wo &&
    (o + 3) * sw - p.padW + p.kw <= p.w &&
    (sw !== 2 || o * 2 - p.padW + p.kw + 7 <= p.w);
  let vecHi = vecLo;
  if (vector) while (blockFits(vecHi)) vecHi += 4;
  // One more block ending at the last window inside the row (overlapping the blocks before), where
  // columns are left over: stride 2 loads it from one column earlier, so it needs that column.
  const insideEnd = Math.min(p.wo, Math.floor((p.w + p.padW - p.kw) / sw) + 1);
  const last = insideEnd - 4;
  const vecLast =
    vector &&
    insideEnd > vecHi &&
    last >= vecLo &&
    last <= vecHi &&
    (sw === 1 || 2 * last - p.padW >= 1)
      ? last
      : -1;
  return {
    cols: clip(p.wo, p.w, p.kw, sw, p.padW),
    rows: clip(p.ho, p.h, p.kh, p.strideH, p.padH),
    stride: vector ? (sw as VectorStride) : 1,
    vecLo,
    vecHi,
    vecLast,
  };
}

/** Even f32 lanes of two vectors (a0 a2 b0 b2): stride-2 columns. */
const EVEN_LANES = [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27];
/** Odd f32 lanes (a1 a3 b1 b3): stride-2 columns loaded from one column earlier. */
const ODD_LANES = [4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31];

/**
 * The kernel of one pass for one vector stride. Parameters (byte pointers, then counts):
 * - max / avg: x, y, hb, cols, rows, planes, h, w, wo, ho, kw, pw, vecLo, vecHi, vecLast, scale
 *   (f32; avg only);
 * - maxBackward: x, dy, dx, hb, ib, ob, cols, rows, planes, h, w, wo, ho, kw, pw, vecLo, vecHi,
 *   vecLast.
 * x, y, dy and dx point at the first of `planes` planes; hb, ib are h·wo scratch, ob wo scratch;
 * dx is zeroed.
 */
export function poolPlaneFunction(pass: PoolPass, stride: VectorStride): FunctionDef {
  const backward = pass === 'maxBackward';
  const isMax = pass !== 'avg';
  const names = backward
    ? [
        'x',
        'dy',
        'dx',
        'hb',
        'ib',
        'ob',
        'cols',
        'rows',
        'planes',
        'h',
        'w',
        'wo',
        'ho',
        'kw',
        'pw',
      ]
    : ['x', 'y', 'hb', 'cols', 'rows', 'planes', 'h', 'w', 'wo', 'ho', 'kw', 'pw'];
  names.push('vecLo', 'vecHi', 'vecLast');
  const params: ValType[] = names.map(() => ValType.i32);
  if (!backward) params.push(ValType.f32);
  const P = Object.fromEntries(names.map((n, i) => [n, i])) as Record<string, number>;
  const SCALE = names.length;
  const locals: ValType[] = [];
  const local = (t: ValType): number => {
    locals.push(t);
    return params.length + locals.length - 1;
  };
  const [r, row, hrow, irow, rowIdx, ox, c, cEnd, addr, oy, j, rr, rEnd, src, isrc, out, idx, cm] =
    Array.from({ length: 18 }, () => local(ValType.i32));
  const plane = local(ValType.i32);
  const [best, v] = [local(ValType.f32), local(ValType.f32)];
  const [bi, iv] = [local(ValType.i32), local(ValType.i32)];
  const [vb, vv, vbi, viv, vm, laneOff] = Array.from({ length: 6 }, () => local(ValType.v128));
  const get = op.localGet;
  const set = op.localSet;
  const bytes = (l: number): Instr[] => [get(l), op.i32Const(2), op.i32Shl()];
  const plus = (a: Instr[], b: Instr[]): Instr[] => [...a, ...b, op.i32Add()];

  /** best ⊕= v on scalars (and bi follows), by PyTorch's rule or a sum. */
  const combineScalar: Instr[] = isMax
    ? [
        get(v),
        get(best),
        op.f32Gt(),
        get(v),
        get(v),
        op.f32Ne(),
        op.i32Or(),
        set(cm),
        get(v),
        get(best),
        get(cm),
        op.select(),
        set(best),
        ...(backward ? [get(iv), get(bi), get(cm), op.select(), set(bi)] : []),
      ]
    : [get(best), get(v), op.f32Add(), set(best)];
  // The forward max keeps the first largest with `pmax` (`best < v ? v : best`: ties and signed
  // zeros as PyTorch) and collects NaN lanes in `vm`, written as NaN by `finishVector`; the
  // gradient needs the full bit select, since its index must follow the last NaN.
  const combineVector: Instr[] =
    pass === 'max'
      ? [
          get(vb),
          get(vv),
          op.f32x4Pmax(),
          set(vb),
          get(vm),
          get(vv),
          get(vv),
          op.f32x4Ne(),
          op.v128Or(),
          set(vm),
        ]
      : isMax
        ? [
            get(vv),
            get(vb),
            op.f32x4Gt(),
            get(vv),
            get(vv),
            op.f32x4Ne(),
            op.v128Or(),
            set(vm),
            get(vv),
            get(vb),
            get(vm),
            op.v128Bitselect(),
            set(vb),
            ...(backward ? [get(viv), get(vbi), get(vm), op.v128Bitselect(), set(vbi)] : []),
          ]
        : [get(vb), get(vv), op.f32x4Add(), set(vb)];
  const startVector: Instr[] = pass === 'max' ? [op.i32x4Const(0), set(vm)] : [];
  const finishVector: Instr[] =
    pass === 'max' ? [op.f32x4Const(NaN), get(vb), get(vm), op.v128Bitselect(), set(vb)] : [];
  /** Four lanes at columns addr, addr + stride, … (bytes in `addr`). */
  const loadLanes = (shifted: boolean): Instr[] =>
    stride === 1
      ? [get(addr), op.v128Load()]
      : [
          get(addr),
          op.v128Load(),
          get(addr),
          op.v128Load(16),
          op.i8x16Shuffle(shifted ? ODD_LANES : EVEN_LANES),
        ];

  /** One output column ox of row r, scalar, over its window's clipped columns. */
  const scalarColumn: Instr[] = [
    ...plus([get(P.cols)], [get(ox), op.i32Const(3), op.i32Shl()]),
    set(idx),
    get(idx),
    op.i32Load(),
    set(c),
    get(idx),
    op.i32Load(4),
    set(cEnd),
    ...plus([get(row)], bytes(c)),
    set(addr),
    get(addr),
    op.f32Load(),
    set(best),
    ...(backward ? [...plus([get(rowIdx)], [get(c)]), set(bi)] : []),
    ...increment(c, 1),
    ...whileNot(
      [get(c), get(cEnd), op.i32GeU()],
      [
        ...increment(addr, 4),
        get(addr),
        op.f32Load(),
        set(v),
        ...(backward ? [...plus([get(rowIdx)], [get(c)]), set(iv)] : []),
        ...combineScalar,
        ...increment(c, 1),
      ],
    ),
    ...plus([get(hrow)], bytes(ox)),
    get(best),
    op.f32Store(),
    ...(backward ? [...plus([get(irow)], bytes(ox)), get(bi), op.i32Store()] : []),
    ...increment(ox, 1),
  ];
  /**
   * Four output columns ox … ox + 3 of row r, windows inside the row. `shifted` (stride 2, the
   * last block of a row) loads from one column earlier and takes the odd lanes, so that its
   * second load stays inside the row.
   */
  const vectorBlock = (shifted: boolean): Instr[] => [
    // addr = row + (ox·stride − pw)·4: lane 0's first tap
    get(ox),
    op.i32Const(stride),
    op.i32Mul(),
    get(P.pw),
    op.i32Sub(),
    set(c),
    ...plus([get(row)], bytes(c)),
    ...(shifted && stride === 2 ? [op.i32Const(4), op.i32Sub()] : []),
    set(addr),
    ...loadLanes(shifted),
    set(vb),
    ...(backward
      ? [...plus([get(rowIdx)], [get(c)]), op.i32x4Splat(), get(laneOff), op.i32x4Add(), set(vbi)]
      : []),
    ...startVector,
    ...(backward ? [get(vbi), set(viv)] : []),
    op.i32Const(1),
    set(c),
    ...whileNot(
      [get(c), get(P.kw), op.i32GeU()],
      [
        ...increment(addr, 4),
        ...loadLanes(shifted),
        set(vv),
        ...(backward ? [get(viv), op.i32x4Const(1), op.i32x4Add(), set(viv)] : []),
        ...combineVector,
        ...increment(c, 1),
      ],
    ),
    ...finishVector,
    ...plus([get(hrow)], bytes(ox)),
    get(vb),
    op.v128Store(),
    ...(backward ? [...plus([get(irow)], bytes(ox)), get(vbi), op.v128Store()] : []),
    ...increment(ox, 4),
  ];
  const acrossRow: Instr[] = [
    op.i32Const(0),
    set(ox),
    ...whileNot([get(ox), get(P.vecLo), op.i32GeU()], scalarColumn),
    ...whileNot(
      [get(ox), op.i32Const(4), op.i32Add(), get(P.vecHi), op.i32GtU()],
      vectorBlock(false),
    ),
    // One more block ending at the last inside window, overlapping the ones before (−1: none).
    get(P.vecLast),
    op.i32Const(-1),
    op.i32Ne(),
    op.if(),
    get(P.vecLast),
    set(ox),
    ...vectorBlock(true),
    op.end(),
    ...whileNot([get(ox), get(P.wo), op.i32GeU()], scalarColumn),
    ...increment(r, 1),
    get(row),
    ...bytes(P.w),
    op.i32Add(),
    set(row),
    get(rowIdx),
    get(P.w),
    op.i32Add(),
    set(rowIdx),
    get(hrow),
    ...bytes(P.wo),
    op.i32Add(),
    set(hrow),
    get(irow),
    ...bytes(P.wo),
    op.i32Add(),
    set(irow),
  ];

  // The down pass over byte offset j of an output row: rows [rr, rEnd) of hb combined.
  const rowBytes = local(ValType.i32);
  const down = (vector: boolean): Instr[] => {
    const load = vector ? op.v128Load : op.f32Load;
    const [acc, nv, accI, nvI] = vector ? [vb, vv, vbi, viv] : [best, v, bi, iv];
    return [
      // src = hb + r0·rowBytes + j, isrc likewise in ib
      ...plus([get(P.hb)], [get(rr), get(rowBytes), op.i32Mul()]),
      get(j),
      op.i32Add(),
      set(src),
      ...(backward
        ? [...plus([get(P.ib)], [get(rr), get(rowBytes), op.i32Mul()]), get(j), op.i32Add()]
        : [op.i32Const(0)]),
      set(isrc),
      get(src),
      load(),
      set(acc),
      ...(vector ? startVector : []),
      ...(backward ? [get(isrc), vector ? op.v128Load() : op.i32Load(), set(accI)] : []),
      get(rr),
      set(c),
      ...increment(c, 1),
      ...whileNot(
        [get(c), get(rEnd), op.i32GeU()],
        [
          get(src),
          get(rowBytes),
          op.i32Add(),
          set(src),
          get(src),
          load(),
          set(nv),
          ...(backward
            ? [
                get(isrc),
                get(rowBytes),
                op.i32Add(),
                set(isrc),
                get(isrc),
                vector ? op.v128Load() : op.i32Load(),
                set(nvI),
              ]
            : []),
          ...(vector ? combineVector : combineScalar),
          ...increment(c, 1),
        ],
      ),
      ...(vector ? finishVector : []),
      ...(backward
        ? [...plus([get(P.ob)], [get(j)]), get(accI), vector ? op.v128Store() : op.i32Store()]
        : [
            ...plus([get(out)], [get(j)]),
            get(acc),
            ...(pass === 'avg'
              ? vector
                ? [get(SCALE), op.f32x4Splat(), op.f32x4Mul()]
                : [get(SCALE), op.f32Mul()]
              : []),
            vector ? op.v128Store() : op.f32Store(),
          ]),
      ...increment(j, vector ? 16 : 4),
    ];
  };
  /** Adds the output row's dy to dx at the indices the down pass left in ob. */
  const scatter = (): Instr[] => [
    op.i32Const(0),
    set(j),
    ...whileNot(
      [get(j), get(rowBytes), op.i32GeU()],
      [
        ...plus([get(P.ob)], [get(j)]),
        op.i32Load(),
        set(idx),
        ...plus([get(P.dx)], bytes(idx)),
        set(addr),
        get(addr),
        get(addr),
        op.f32Load(),
        ...plus([get(out)], [get(j)]),
        op.f32Load(),
        op.f32Add(),
        op.f32Store(),
        ...increment(j, 4),
      ],
    ),
  ];
  const outputRow: Instr[] = [
    ...plus([get(P.rows)], [get(oy), op.i32Const(3), op.i32Shl()]),
    set(idx),
    get(idx),
    op.i32Load(),
    set(rr),
    get(idx),
    op.i32Load(4),
    set(rEnd),
    op.i32Const(0),
    set(j),
    ...whileNot([get(j), op.i32Const(16), op.i32Add(), get(rowBytes), op.i32GtU()], down(true)),
    // A row of four or more: its last vector overlaps the one before (columns are independent).
    get(j),
    get(rowBytes),
    op.i32LtU(),
    get(rowBytes),
    op.i32Const(16),
    op.i32GeU(),
    op.i32And(),
    op.if(),
    get(rowBytes),
    op.i32Const(16),
    op.i32Sub(),
    set(j),
    ...down(true),
    op.end(),
    ...whileNot([get(j), get(rowBytes), op.i32GeU()], down(false)),
    ...(backward ? scatter() : []),
    get(out),
    get(rowBytes),
    op.i32Add(),
    set(out),
    ...increment(oy, 1),
  ];
  // Planes follow each other in x, y / dy and dx, so row and out run on from plane to plane.
  const perPlane: Instr[] = [
    get(P.hb),
    set(hrow),
    get(backward ? P.ib : P.hb),
    set(irow),
    op.i32Const(0),
    set(rowIdx),
    op.i32Const(0),
    set(r),
    ...whileNot([get(r), get(P.h), op.i32GeU()], acrossRow),
    op.i32Const(0),
    set(oy),
    ...whileNot([get(oy), get(P.ho), op.i32GeU()], outputRow),
    ...(backward
      ? [
          get(P.dx),
          get(P.h),
          get(P.w),
          op.i32Mul(),
          op.i32Const(2),
          op.i32Shl(),
          op.i32Add(),
          set(P.dx),
        ]
      : []),
    ...increment(plane, 1),
  ];
  const body: Instr[] = [
    ...bytes(P.wo),
    set(rowBytes),
    ...(backward ? [op.i32x4ConstLanes(0, stride, 2 * stride, 3 * stride), set(laneOff)] : []),
    get(P.x),
    set(row),
    get(backward ? P.dy : P.y),
    set(out),
    op.i32Const(0),
    set(plane),
    ...whileNot([get(plane), get(P.planes), op.i32GeU()], perPlane),
  ];
  return { name: poolFunctionName(pass, stride), params, locals, body };
}

/**
 * Whether {@link pool2x2Function} serves a plan: 2×2 windows at stride 2 without padding (the
 * pooling of most CNNs, fmnist_2c2d's included) on rows of at least 8 columns.
 */
export function isPlain2x2(p: Pool2dPlan): boolean {
  return (
    p.kh === 2 &&
    p.kw === 2 &&
    p.strideH === 2 &&
    p.strideW === 2 &&
    p.padH === 0 &&
    p.padW === 0 &&
    p.wo >= 4
  );
}

/**
 * Max or average pooling 2×2/2 without padding in one pass: per four outputs, two loads from each
 * of the window's two rows, whose even and odd lanes (`i8x16.shuffle`) are the windows' four
 * taps, combined in PyTorch's row-major order: with `pmax` and a NaN mask as in
 * {@link poolPlaneFunction}, or summed in float32 and times 1/4. The loads at output column ox
 * read input columns 2·ox … 2·ox + 7, exactly the four windows, so a row's last block
 * (ox = wo − 4, overlapping the one before) never reads past the row. Parameters: x, y (bytes),
 * planes, h, w, wo, ho.
 */
export function pool2x2Function(kind: 'max' | 'avg'): FunctionDef {
  const [X, Y, PLANES, H, W, WO, HO] = [0, 1, 2, 3, 4, 5, 6];
  const [plane, rowA, rowB, oy, ox, out, addr, planeBytes] = [7, 8, 9, 10, 11, 12, 13, 14];
  const [l0, l1, best, tap, nan] = [15, 16, 17, 18, 19];
  const get = op.localGet;
  const set = op.localSet;
  /** base + (count << shift): a byte address `count` floats (shift 2) or float pairs (3) on. */
  const shifted = (base: number, count: number, shift: number): Instr[] => [
    get(base),
    get(count),
    op.i32Const(shift),
    op.i32Shl(),
    op.i32Add(),
  ];
  const lanes = (row: number, which: readonly number[]): Instr[] => [
    ...shifted(row, ox, 3),
    op.localTee(addr),
    op.v128Load(),
    set(l0),
    get(addr),
    op.v128Load(16),
    set(l1),
    get(l0),
    get(l1),
    op.i8x16Shuffle(which),
  ];
  /** max: best = pmax(best, tap), nan |= tap ≠ tap; avg: best += tap (the tap on the stack). */
  const take: Instr[] =
    kind === 'max'
      ? [
          set(tap),
          get(best),
          get(tap),
          op.f32x4Pmax(),
          set(best),
          get(nan),
          get(tap),
          get(tap),
          op.f32x4Ne(),
          op.v128Or(),
          set(nan),
        ]
      : [set(tap), get(best), get(tap), op.f32x4Add(), set(best)];
  const result: Instr[] =
    kind === 'max'
      ? [op.f32x4Const(NaN), get(best), get(nan), op.v128Bitselect()]
      : [get(best), op.f32x4Const(0.25), op.f32x4Mul()];
  const block: Instr[] = [
    ...lanes(rowA, EVEN_LANES),
    set(best),
    op.i32x4Const(0),
    set(nan),
    // The shuffles reuse l0, l1 of the row just loaded: its odd lanes, then the next row's.
    get(l0),
    get(l1),
    op.i8x16Shuffle(ODD_LANES),
    ...take,
    ...lanes(rowB, EVEN_LANES),
    ...take,
    get(l0),
    get(l1),
    op.i8x16Shuffle(ODD_LANES),
    ...take,
    ...shifted(out, ox, 2),
    ...result,
    op.v128Store(),
  ];
  const outputRow: Instr[] = [
    op.i32Const(0),
    set(ox),
    ...whileNot(
      [get(ox), op.i32Const(4), op.i32Add(), get(WO), op.i32GtU()],
      [...block, ...increment(ox, 4)],
    ),
    get(ox),
    get(WO),
    op.i32LtU(),
    op.if(),
    get(WO),
    op.i32Const(4),
    op.i32Sub(),
    set(ox),
    ...block,
    op.end(),
    // Next output row: two input rows down; out by one output row.
    ...shifted(rowA, W, 3),
    set(rowA),
    ...shifted(rowA, W, 2),
    set(rowB),
    ...shifted(out, WO, 2),
    set(out),
    ...increment(oy, 1),
  ];
  const perPlane: Instr[] = [
    get(X),
    get(plane),
    get(planeBytes),
    op.i32Mul(),
    op.i32Add(),
    set(rowA),
    ...shifted(rowA, W, 2),
    set(rowB),
    op.i32Const(0),
    set(oy),
    ...whileNot([get(oy), get(HO), op.i32GeU()], outputRow),
    ...increment(plane, 1),
  ];
  return {
    name: `${kind}Pool2x2`,
    params: Array<ValType>(7).fill(ValType.i32),
    locals: [...Array<ValType>(8).fill(ValType.i32), ...Array<ValType>(5).fill(ValType.v128)],
    body: [
      // An odd last row is in no window, so planes are h·w apart, not 2·ho·w.
      get(H),
      get(W),
      op.i32Mul(),
      op.i32Const(2),
      op.i32Shl(),
      set(planeBytes),
      get(Y),
      set(out),
      op.i32Const(0),
      set(plane),
      ...whileNot([get(plane), get(PLANES), op.i32GeU()], perPlane),
    ],
  };
}

/** Every pooling kernel: each pass for each vector stride, and the plain 2×2 ones. */
export function poolFunctions(): FunctionDef[] {
  return [
    ...(['max', 'avg', 'maxBackward'] as const).flatMap((pass) =>
      VECTOR_STRIDES.map((s) => poolPlaneFunction(pass, s)),
    ),
    pool2x2Function('max'),
    pool2x2Function('avg'),
  ];
}
