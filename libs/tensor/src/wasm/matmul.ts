import { increment, op, ValType, whileNot, type FunctionDef, type Instr } from './encoder.js';

/**
 * Matmul on the WebAssembly path: C[M,N] = A·B (either operand possibly transposed), float32.
 *
 * Packing (JavaScript, {@link packA} / {@link packB}) copies A into panels of MR = 4 rows and B
 * into panels of NR = 8 columns, each laid out k-major (`panel[p][r]`), zero-padded to whole
 * panels. The transpose flags only change how the packers read, so every flag combination runs
 * the same kernel over sequential memory.
 *
 * The micro-kernel ({@link matmulFunction}) holds a 4×8 block of C in eight v128 accumulators
 * (two per row) and, per step of k, loads the B panel's 8 values as two vectors, splats each of
 * the 4 A values (`v128.load32_splat`) and does 8 f32x4 multiply-adds: 6 loads feed 64 flops.
 * Eight accumulators + two B vectors + one splat fit x64's 16 vector registers without spills
 * (a 6×8 block would need 15 and leaves V8 no room). Column panels are the outer loop, so one
 * B panel (8·K floats, 16 KiB at K = 512) stays in L1 while every A panel streams past it.
 * Full blocks store straight into C; edge blocks go through a 32-float scratch tile and copy the
 * valid rows × columns out.
 *
 * Numerics: each C element is a float32 sum over k in index order (mul then add, no fused
 * multiply-add), where the JavaScript path sums in doubles; the conformance suite's float32
 * tolerance, scaled by the summed magnitudes, covers the difference.
 */
export const MR = 4;
export const NR = 8;

/** Floats of the packed A for an M×K product (whole MR-row panels). */
export function packedASize(m: number, k: number): number {
  return Math.ceil(m / MR) * MR * k;
}

/** Floats of the packed B for a K×N product (whole NR-column panels). */
export function packedBSize(k: number, n: number): number {
  return Math.ceil(n / NR) * NR * k;
}

/** out[panel][p][r] = A(panel·MR + r, p), zero past M; `a` is [M,K], or [K,M] when transposed. */
export function packA(
  out: Float32Array,
  a: Float32Array,
  m: number,
  k: number,
  transposed: boolean,
): void {
  let o = 0;
  for (let i0 = 0; i0 < m; i0 += MR) {
    if (m - i0 < MR) {
      packEdge(out, o, a, i0, m - i0, MR, k, transposed ? 1 : k, transposed ? m : 1);
      break;
    }
    // Whole panels: four straight copies per step of k, no branches (the hot case).
    if (transposed) {
      for (let p = 0, s = i0; p < k; p++, s += m, o += MR) {
        out[o] = a[s];
        out[o + 1] = a[s + 1];
        out[o + 2] = a[s + 2];
        out[o + 3] = a[s + 3];
      }
    } else {
      const r0 = i0 * k;
      const r1 = r0 + k;
      const r2 = r1 + k;
      const r3 = r2 + k;
      for (let p = 0; p < k; p++, o += MR) {
        out[o] = a[r0 + p];
        out[o + 1] = a[r1 + p];
        out[o + 2] = a[r2 + p];
        out[o + 3] = a[r3 + p];
      }
    }
  }
}

/** out[panel][p][c] = B(p, panel·NR + c), zero past N; `b` is [K,N], or [N,K] when transposed. */
export function packB(
  out: Float32Array,
  b: Float32Array,
  k: number,
  n: number,
  transposed: boolean,
): void {
  let o = 0;
  for (let j0 = 0; j0 < n; j0 += NR) {
    if (n - j0 < NR) {
      packEdge(out, o, b, j0, n - j0, NR, k, transposed ? k : 1, transposed ? 1 : n);
      break;
    }
    if (transposed) {
      // Eight rows of Bᵀ, read in step.
      const rows = [0, 1, 2, 3, 4, 5, 6, 7].map((c) => (j0 + c) * k);
      const [s0, s1, s2, s3, s4, s5, s6, s7] = rows;
      for (let p = 0; p < k; p++, o += NR) {
        out[o] = b[s0 + p];
        out[o + 1] = b[s1 + p];
        out[o + 2] = b[s2 + p];
        out[o + 3] = b[s3 + p];
        out[o + 4] = b[s4 + p];
        out[o + 5] = b[s5 + p];
        out[o + 6] = b[s6 + p];
        out[o + 7] = b[s7 + p];
      }
    } else {
      // Element by element: a `subarray` per 8 floats costs more than the copy.
      for (let p = 0, s = j0; p < k; p++, s += n, o += NR) {
        out[o] = b[s];
        out[o + 1] = b[s + 1];
        out[o + 2] = b[s + 2];
        out[o + 3] = b[s + 3];
        out[o + 4] = b[s + 4];
        out[o + 5] = b[s + 5];
        out[o + 6] = b[s + 6];
        out[o + 7] = b[s + 7];
      }
    }
  }
}

/**
 * The last, partial panel: `width` lanes of which `valid` are read (lane ℓ of step p at
 * `src[(first + ℓ)·laneStride + p·stepStride]`) and the rest are zero.
 */
function packEdge(
  out: Float32Array,
  o: number,
  src: Float32Array,
  first: number,
  valid: number,
  width: number,
  k: number,
  laneStride: number,
  stepStride: number,
): void {
  for (let p = 0; p < k; p++) {
    for (let l = 0; l < width; l++) {
      out[o++] = l < valid ? src[(first + l) * laneStride + p * stepStride] : 0;
    }
  }
}

/**
 * `matmul(ap, bp, c, m, n, k, scratch)`: pointers are byte offsets; `ap`/`bp` packed as above,
 * `c` row-major [M,N], `scratch` 32 floats for edge tiles.
 */
export function matmulFunction(): FunctionDef {
  // parameters
  const AP = 0,
    BP = 1,
    C = 2,
    M = 3,
    N = 4,
    K = 5,
    SCRATCH = 6;
  // i32 locals
  const j0 = 7,
    i0 = 8,
    a = 9,
    b = 10,
    bEnd = 11,
    bPanel = 12,
    rows = 13,
    cols = 14,
    r = 15,
    c = 16,
    dst = 17;
  // v128 locals
  const acc = (x: number) => 18 + x; // 8 accumulators: row x>>1, half x&1
  const b0 = 26,
    b1 = 27,
    av = 28;

  const get = op.localGet;
  const set = op.localSet;
  /** min(x, y) for non-negative i32 held in locals or expressions. */
  const minI32 = (x: Instr[], y: Instr[]): Instr[] => [
    ...x,
    ...y,
    ...x,
    ...y,
    op.i32LtU(),
    op.select(),
  ];

  const kStep: Instr[] = [get(b), op.v128Load(0), set(b0), get(b), op.v128Load(16), set(b1)];
  for (let row = 0; row < MR; row++) {
    kStep.push(get(a), op.v128Load32Splat(row * 4), set(av));
    for (let half = 0; half < 2; half++) {
      const x = acc(row * 2 + half);
      kStep.push(get(x), get(av), get(half ? b1 : b0), op.f32x4Mul(), op.f32x4Add(), set(x));
    }
  }
  kStep.push(...increment(a, MR * 4), ...increment(b, NR * 4));

  /** dst = C + ((i0 + row)·N + j0)·4 */
  const rowPtr = (row: Instr[]): Instr[] => [
    get(C),
    get(i0),
    ...row,
    op.i32Add(),
    get(N),
    op.i32Mul(),
    get(j0),
    op.i32Add(),
    op.i32Const(2),
    op.i32Shl(),
    op.i32Add(),
  ];
  const fullStore: Instr[] = [];
  for (let row = 0; row < MR; row++) {
    fullStore.push(...rowPtr([op.i32Const(row)]), set(dst));
    fullStore.push(get(dst), get(acc(row * 2)), op.v128Store(0));
    fullStore.push(get(dst), get(acc(row * 2 + 1)), op.v128Store(16));
  }
  const edgeStore: Instr[] = [];
  for (let x = 0; x < MR * 2; x++) edgeStore.push(get(SCRATCH), get(acc(x)), op.v128Store(x * 16));
  edgeStore.push(
    op.i32Const(0),
    set(r),
    ...whileNot(
      [get(r), get(rows), op.i32GeU()],
      [
        ...rowPtr([get(r)]),
        set(dst),
        op.i32Const(0),
        set(c),
        ...whileNot(
          [get(c), get(cols), op.i32GeU()],
          [
            // C[dst + c·4] = scratch[(r·NR + c)·4]
            get(dst),
            get(c),
            op.i32Const(2),
            op.i32Shl(),
            op.i32Add(),
            get(SCRATCH),
            get(r),
            op.i32Const(NR),
            op.i32Mul(),
            get(c),
            op.i32Add(),
            op.i32Const(2),
            op.i32Shl(),
            op.i32Add(),
            op.f32Load(),
            op.f32Store(),
            ...increment(c, 1),
          ],
        ),
        ...increment(r, 1),
      ],
    ),
  );

  const block: Instr[] = [];
  for (let x = 0; x < MR * 2; x++) block.push(op.f32x4Const(0), set(acc(x)));
  block.push(
    get(bPanel),
    set(b),
    get(bPanel),
    get(K),
    op.i32Const(NR * 4),
    op.i32Mul(),
    op.i32Add(),
    set(bEnd),
    ...whileNot([get(b), get(bEnd), op.i32GeU()], kStep),
    ...minI32([op.i32Const(MR)], [get(M), get(i0), op.i32Sub()]),
    set(rows),
    ...minI32([op.i32Const(NR)], [get(N), get(j0), op.i32Sub()]),
    set(cols),
    get(rows),
    op.i32Const(MR),
    op.i32GeU(),
    get(cols),
    op.i32Const(NR),
    op.i32GeU(),
    op.i32And(),
    op.if(),
    ...fullStore,
    op.else(),
    ...edgeStore,
    op.end(),
    ...increment(i0, MR),
  );

  const body: Instr[] = [
    op.i32Const(0),
    set(j0),
    get(BP),
    set(bPanel),
    ...whileNot(
      [get(j0), get(N), op.i32GeU()],
      [
        op.i32Const(0),
        set(i0),
        get(AP),
        set(a),
        // `a` advances through the A panels one after another, so it is only reset per column panel.
        ...whileNot([get(i0), get(M), op.i32GeU()], block),
        get(bPanel),
        get(K),
        op.i32Const(NR * 4),
        op.i32Mul(),
        op.i32Add(),
        set(bPanel),
        ...increment(j0, NR),
      ],
    ),
  ];
  return {
    name: 'matmul',
    params: Array<ValType>(7).fill(ValType.i32),
    locals: [...Array<ValType>(11).fill(ValType.i32), ...Array<ValType>(11).fill(ValType.v128)],
    body,
  };
}
