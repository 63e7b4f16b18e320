import { encodeModule, instantiate } from './encoder.js';
import { matmulFunction } from './matmul.js';
import { poolFunctions } from './pool.js';
import { reduceColumnsFunction, reduceRowsFunction } from './reduce.js';
import { expShiftRowsFunction, logShiftRowsFunction, rowMaxSumExpFunction } from './softmax.js';

/**
 * The fixed kernels of the WebAssembly path, one module instantiated once per backend against
 * its memory. Pointers are byte offsets into that memory; see each kernel's module.
 */
/**
 * The plane geometry both plane-pooling kernels take, in their order (wasm/pool.ts
 * poolPlaneFunction): the tables' columns and rows, planes, input h × w, output wo × ho, the
 * window's width and left pad, and the vector loop's column range.
 */
type PlaneGeometry = [
  cols: number,
  rows: number,
  planes: number,
  h: number,
  w: number,
  wo: number,
  ho: number,
  kw: number,
  pw: number,
  vecLo: number,
  vecHi: number,
  vecLast: number,
];

/** Planes of max or average pooling (wasm/pool.ts); `scale` is 1/(kh·kw), unused by max. */
export type PoolForwardKernel = (
  ...args: [x: number, y: number, hb: number, ...geometry: PlaneGeometry, scale: number]
) => void;

/** Planes of max pooling's gradient (wasm/pool.ts): adds dy into the zeroed dx. */
export type PoolBackwardKernel = (
  ...args: [
    x: number,
    dy: number,
    dx: number,
    hb: number,
    ib: number,
    ob: number,
    ...geometry: PlaneGeometry,
  ]
) => void;

/** Planes of 2×2 stride-2 pooling without padding (wasm/pool.ts pool2x2Function). */
export type Pool2x2Kernel = (
  x: number,
  y: number,
  planes: number,
  h: number,
  w: number,
  wo: number,
  ho: number,
) => void;

export interface WasmKernels {
  matmul(ap: number, bp: number, c: number, m: number, n: number, k: number, scratch: number): void;
  sumRows(src: number, out: number, outer: number, red: number, scale: number): void;
  sumColumns(
    src: number,
    out: number,
    outer: number,
    red: number,
    inner: number,
    scale: number,
  ): void;
  /** As the sums; `scale` is ignored. */
  maxRows(src: number, out: number, outer: number, red: number, scale: number): void;
  maxColumns(
    src: number,
    out: number,
    outer: number,
    red: number,
    inner: number,
    scale: number,
  ): void;
  rowMaxSumExp(src: number, mx: number, z: number, count: number, width: number): void;
  expShiftRows(
    src: number,
    mx: number,
    z: number,
    out: number,
    count: number,
    width: number,
    scale: number,
  ): void;
  logShiftRows(src: number, mx: number, z: number, out: number, count: number, width: number): void;
  maxPool1: PoolForwardKernel;
  maxPool2: PoolForwardKernel;
  avgPool1: PoolForwardKernel;
  avgPool2: PoolForwardKernel;
  /** wasm/pool.ts pool2x2Function: x, y, planes, h, w, wo, ho. */
  maxPool2x2: Pool2x2Kernel;
  avgPool2x2: Pool2x2Kernel;
  maxBackwardPool1: PoolBackwardKernel;
  maxBackwardPool2: PoolBackwardKernel;
}

export function encodeKernels(): Uint8Array<ArrayBuffer> {
  return encodeModule([
    matmulFunction(),
    reduceRowsFunction('sum'),
    reduceColumnsFunction('sum'),
    reduceRowsFunction('max'),
    reduceColumnsFunction('max'),
    rowMaxSumExpFunction(),
    expShiftRowsFunction(),
    logShiftRowsFunction(),
    ...poolFunctions(),
  ]);
}

export function instantiateKernels(memory: WebAssembly.Memory): WasmKernels {
  return instantiate(encodeKernels(), memory) as unknown as WasmKernels;
}
