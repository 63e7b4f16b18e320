/**
 * A small WebAssembly binary emitter: just what OptLab's kernels need, written out so that every
 * byte of every module the CPU backend runs is produced here, from source, at run time (no
 * `.wasm` file is checked in; see docs/decisions/0014-wasm-simd-kernels.md).
 *
 * A module has one imported memory (`env.memory`, shared with the backend's tensor heap) and
 * functions whose bodies are flat lists of {@link Instr}: an opcode and its immediates, already
 * encoded to bytes by the helpers of {@link op}. The binary format is the one the WebAssembly core
 * specification (§5) and the fixed-width SIMD proposal define; section and opcode numbers below
 * are quoted from them.
 */

/** Value types (spec §5.3.1). */
export const ValType = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;
export type ValType = (typeof ValType)[keyof typeof ValType];

/** One instruction: its bytes, opcode and immediates together. */
export type Instr = readonly number[];

/** Unsigned LEB128 (spec §5.2.2): 7 bits per byte, low first, high bit set on all but the last. */
export function uleb(value: number): number[] {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`uleb: ${value} is not a u32`);
  const out: number[] = [];
  let v = value;
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128: like `uleb`, but stops once the remaining bits are the sign extension. */
export function sleb(value: number): number[] {
  if (!Number.isInteger(value)) throw new RangeError(`sleb: ${value} is not an integer`);
  const out: number[] = [];
  let v = value;
  for (;;) {
    const byte = v & 0x7f;
    v = Math.floor(v / 128);
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function f32Bytes(value: number): number[] {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setFloat32(0, value, true);
  return [...bytes];
}

function i32Bytes(value: number): number[] {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setInt32(0, value | 0, true);
  return [...bytes];
}

function utf8(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

function vec(items: readonly (readonly number[])[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** A memory access's immediate: log2 of the alignment hint, then the constant byte offset. */
function memarg(alignLog2: number, offset: number): number[] {
  return [...uleb(alignLog2), ...uleb(offset)];
}

const SIMD = 0xfd;
const simd = (code: number, ...imm: number[]): Instr => [SIMD, ...uleb(code), ...imm];

/** Instructions, by their text-format names (spec §5.4, SIMD proposal's binary table). */
export const op = {
  // control
  block: (): Instr => [0x02, 0x40],
  loop: (): Instr => [0x03, 0x40],
  if: (): Instr => [0x04, 0x40],
  else: (): Instr => [0x05],
  end: (): Instr => [0x0b],
  br: (depth: number): Instr => [0x0c, ...uleb(depth)],
  brIf: (depth: number): Instr => [0x0d, ...uleb(depth)],
  select: (): Instr => [0x1b],
  // variables
  localGet: (i: number): Instr => [0x20, ...uleb(i)],
  localSet: (i: number): Instr => [0x21, ...uleb(i)],
  localTee: (i: number): Instr => [0x22, ...uleb(i)],
  // memory (offset in bytes)
  f32Load: (offset = 0): Instr => [0x2a, ...memarg(2, offset)],
  f32Store: (offset = 0): Instr => [0x38, ...memarg(2, offset)],
  i32Load: (offset = 0): Instr => [0x28, ...memarg(2, offset)],
  i32Store: (offset = 0): Instr => [0x36, ...memarg(2, offset)],
  // i32
  i32Const: (v: number): Instr => [0x41, ...sleb(v | 0)],
  i32Eqz: (): Instr => [0x45],
  i32Ne: (): Instr => [0x47],
  i32LtU: (): Instr => [0x49],
  i32GtU: (): Instr => [0x4b],
  i32GeU: (): Instr => [0x4f],
  i32Add: (): Instr => [0x6a],
  i32Sub: (): Instr => [0x6b],
  i32Mul: (): Instr => [0x6c],
  i32And: (): Instr => [0x71],
  i32Or: (): Instr => [0x72],
  i32Shl: (): Instr => [0x74],
  // f32
  f32Const: (v: number): Instr => [0x43, ...f32Bytes(v)],
  f32Ne: (): Instr => [0x5c],
  f32Lt: (): Instr => [0x5d],
  f32Gt: (): Instr => [0x5e],
  f32Abs: (): Instr => [0x8b],
  f32Neg: (): Instr => [0x8c],
  f32Sqrt: (): Instr => [0x91],
  f32Add: (): Instr => [0x92],
  f32Sub: (): Instr => [0x93],
  f32Mul: (): Instr => [0x94],
  f32Div: (): Instr => [0x95],
  f32Min: (): Instr => [0x96],
  f32Max: (): Instr => [0x97],
  // v128 / f32x4 (SIMD proposal; prefix 0xfd, then the opcode as a u32 LEB128)
  v128Load: (offset = 0): Instr => simd(0x00, ...memarg(0, offset)),
  v128Load32Splat: (offset = 0): Instr => simd(0x09, ...memarg(2, offset)),
  v128Store: (offset = 0): Instr => simd(0x0b, ...memarg(0, offset)),
  f32x4Const: (v: number): Instr =>
    simd(0x0c, ...f32Bytes(v), ...f32Bytes(v), ...f32Bytes(v), ...f32Bytes(v)),
  i32x4Const: (v: number): Instr =>
    simd(0x0c, ...i32Bytes(v), ...i32Bytes(v), ...i32Bytes(v), ...i32Bytes(v)),
  /** Four distinct i32 lanes, lane 0 first. */
  i32x4ConstLanes: (a: number, b: number, c: number, d: number): Instr =>
    simd(0x0c, ...i32Bytes(a), ...i32Bytes(b), ...i32Bytes(c), ...i32Bytes(d)),
  /** Bytes `lanes[i]` of the two operands' 32 bytes (0–15 the first, 16–31 the second). */
  i8x16Shuffle: (lanes: readonly number[]): Instr => simd(0x0d, ...lanes),
  i32x4Splat: (): Instr => simd(0x11),
  f32x4Splat: (): Instr => simd(0x13),
  i32x4ExtractLane: (lane: number): Instr => simd(0x1b, lane),
  f32x4ExtractLane: (lane: number): Instr => simd(0x1f, lane),
  f32x4Eq: (): Instr => simd(0x41),
  f32x4Ne: (): Instr => simd(0x42),
  f32x4Lt: (): Instr => simd(0x43),
  f32x4Gt: (): Instr => simd(0x44),
  f32x4Ge: (): Instr => simd(0x46),
  v128And: (): Instr => simd(0x4e),
  v128Or: (): Instr => simd(0x50),
  v128Bitselect: (): Instr => simd(0x52),
  f32x4Nearest: (): Instr => simd(0x6a),
  // i32x4 (the exponent arithmetic of exp and log); shifts take an i32 count
  i32x4Shl: (): Instr => simd(0xab),
  i32x4ShrS: (): Instr => simd(0xac),
  i32x4ShrU: (): Instr => simd(0xad),
  i32x4Add: (): Instr => simd(0xae),
  i32x4Sub: (): Instr => simd(0xb1),
  i32x4TruncSatF32x4S: (): Instr => simd(0xf8),
  f32x4ConvertI32x4S: (): Instr => simd(0xfa),
  f32x4Abs: (): Instr => simd(0xe0),
  f32x4Neg: (): Instr => simd(0xe1),
  f32x4Sqrt: (): Instr => simd(0xe3),
  f32x4Add: (): Instr => simd(0xe4),
  f32x4Sub: (): Instr => simd(0xe5),
  f32x4Mul: (): Instr => simd(0xe6),
  f32x4Div: (): Instr => simd(0xe7),
  f32x4Min: (): Instr => simd(0xe8),
  f32x4Max: (): Instr => simd(0xe9),
  /** `a < b ? b : a`: no NaN or signed-zero rule, one `maxps` on x64. */
  f32x4Pmax: (): Instr => simd(0xeb),
} as const;

/** `block { loop { exit; br_if 1; body; br 0 } }`: runs `body` until `exit` pushes a true i32. */
export function whileNot(exit: readonly Instr[], body: readonly Instr[]): Instr[] {
  return [op.block(), op.loop(), ...exit, op.brIf(1), ...body, op.br(0), op.end(), op.end()];
}

/** `local += by` for an i32 local. */
export function increment(local: number, by: number): Instr[] {
  return [op.localGet(local), op.i32Const(by), op.i32Add(), op.localSet(local)];
}

export interface FunctionDef {
  /** Exported under this name. */
  readonly name: string;
  readonly params: readonly ValType[];
  /** Locals after the parameters, numbered from `params.length`. */
  readonly locals: readonly ValType[];
  readonly body: readonly Instr[];
}

/**
 * Encodes a module that imports `env.memory` (at least `minPages` 64 KiB pages) and exports the
 * given functions, none of which returns a value. Sections in the order the spec requires:
 * type (1), import (2), function (3), export (7), code (10).
 */
export function encodeModule(
  functions: readonly FunctionDef[],
  minPages = 1,
): Uint8Array<ArrayBuffer> {
  const section = (id: number, content: number[]): number[] => [
    id,
    ...uleb(content.length),
    ...content,
  ];
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...uleb(0)]);
  const memoryImport = [...utf8('env'), ...utf8('memory'), 0x02, 0x00, ...uleb(minPages)];
  const exports = functions.map((f, i) => [...utf8(f.name), 0x00, ...uleb(i)]);
  const codes = functions.map((f) => {
    // Locals are run-length encoded: (count, type) for each run of equal types.
    const runs: number[][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    const body = [...vec(runs.map(([n, t]) => [...uleb(n), t])), ...f.body.flat(), ...op.end()];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d], // "\0asm"
    ...[0x01, 0x00, 0x00, 0x00], // version 1
    ...section(1, vec(types)),
    ...section(2, vec([memoryImport])),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(exports)),
    ...section(10, vec(codes)),
  ]);
}

/** Compiles and instantiates an encoded module against `memory`; returns its exports. */
export function instantiate(
  bytes: Uint8Array<ArrayBuffer>,
  memory: WebAssembly.Memory,
): WebAssembly.Exports {
  const module = new WebAssembly.Module(bytes);
  return new WebAssembly.Instance(module, { env: { memory } }).exports;
}

/**
 * Whether this engine runs WebAssembly SIMD: validates (once per process) a one-function module
 * that uses f32x4 (engines without SIMD reject the 0xfd prefix at validation).
 */
export function wasmSimdSupported(): boolean {
  simdSupported ??= probeSimd();
  return simdSupported;
}

let simdSupported: boolean | undefined;

function probeSimd(): boolean {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') return false;
  const probe = encodeModule([
    {
      name: 'probe',
      params: [],
      locals: [ValType.v128],
      body: [op.f32x4Const(1), op.f32x4Const(2), op.f32x4Add(), op.localSet(0)],
    },
  ]);
  return WebAssembly.validate(probe);
}
