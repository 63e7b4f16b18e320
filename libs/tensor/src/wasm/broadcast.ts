import type { OperandLayout } from '../elementwise.js';
import type { LayoutKind } from '../cpu/fused-compiler.js';

/**
 * Broadcast operands on the WebAssembly path, without a strided kernel: the output is cut into
 * equal contiguous blocks (a suffix of its dimensions) over which every operand is either read
 * in order (`full`) or constant (`scalar`). The full/scalar kernel then runs once per block, and
 * only the block offsets are computed in JavaScript. A bias add `[N,C] + [C]` is N blocks of C
 * (the bias `full` in each), a column scale `[N,C] · [N,1]` N blocks of C (the column `scalar`).
 *
 * Blocks shorter than {@link MIN_BLOCK} elements would spend more on the call than on the work;
 * such layouts stay on the JavaScript loop.
 */
export const MIN_BLOCK = 64;

export interface BlockPlan {
  /** Elements per block. */
  readonly inner: number;
  /** The dimensions that enumerate blocks (a prefix of the output shape). */
  readonly outerShape: readonly number[];
  /** How each input reads inside one block. */
  readonly kinds: readonly LayoutKind[];
  /** Per input, its element strides over the outer dimensions (zeros for a `scalar` layout). */
  readonly outerStrides: readonly (readonly number[])[];
}

/** The largest block split of `shape` that every operand fits, or null if blocks would be short. */
export function planBroadcastBlocks(
  shape: readonly number[],
  layouts: readonly OperandLayout[],
): BlockPlan | null {
  const rank = shape.length;
  const contiguous = new Array<number>(rank);
  for (let d = rank - 1, s = 1; d >= 0; d--) {
    contiguous[d] = s;
    s *= shape[d];
  }
  for (let split = 0; split < rank; split++) {
    const inner = shape.slice(split).reduce((a, b) => a * b, 1);
    if (inner < MIN_BLOCK) return null;
    const kinds: LayoutKind[] = [];
    for (const l of layouts) {
      if (l.kind !== 'strided') {
        kinds.push(l.kind);
        continue;
      }
      const tail = (want: (d: number) => number) =>
        shape.every((n, d) => d < split || n === 1 || l.strides[d] === want(d));
      if (tail((d) => contiguous[d])) kinds.push('full');
      else if (tail(() => 0)) kinds.push('scalar');
      else break;
    }
    if (kinds.length < layouts.length) continue;
    return {
      inner,
      outerShape: shape.slice(0, split),
      kinds,
      outerStrides: layouts.map((l) =>
        l.kind === 'strided'
          ? l.strides.slice(0, split)
          : l.kind === 'full'
            ? contiguous.slice(0, split)
            : new Array<number>(split).fill(0),
      ),
    };
  }
  return null;
}

/**
 * Calls `run(offsets)` once per block, in row-major order, with each input's element offset for
 * that block (the output offset is `block · inner`).
 */
export function forEachBlock(
  plan: BlockPlan,
  run: (block: number, offsets: number[]) => void,
): void {
  const { outerShape, outerStrides } = plan;
  const rank = outerShape.length;
  const blocks = outerShape.reduce((a, b) => a * b, 1);
  const idx = new Array<number>(rank).fill(0);
  const offsets = outerStrides.map(() => 0);
  for (let block = 0; block < blocks; block++) {
    run(block, offsets);
    // Advance the multi-index (last dimension fastest), updating each input's offset.
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      for (let k = 0; k < offsets.length; k++) offsets[k] += outerStrides[k][d];
      if (idx[d] < outerShape[d]) break;
      for (let k = 0; k < offsets.length; k++) offsets[k] -= idx[d] * outerStrides[k][d];
      idx[d] = 0;
    }
  }
}
