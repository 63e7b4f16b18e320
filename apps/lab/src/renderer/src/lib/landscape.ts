/**
 * The Landscape view's pieces that need no Svelte: the messages to and from its worker
 * (workers/landscape.worker.ts, which runs @optlab/experiment's `computeLandscape`), and the
 * contour image of a 2-D slice (lib/contour.ts's bands over a bilinear interpolation of the grid)
 * with the trajectory mapped onto the canvas.
 */
import type { LandscapeOptions, LandscapeResult } from '@optlab/experiment';
import { contourBands, contourPixels, sampleGrid, type ViewBox } from './contour.js';

export type ToLandscapeWorker =
  | {
      type: 'compute';
      spec: Record<string, unknown>;
      run: string;
      options: Partial<LandscapeOptions>;
    }
  | { type: 'cancel' };

export type FromLandscapeWorker =
  | { type: 'progress'; phase: 'training' | 'grid'; done: number; total: number }
  | { type: 'result'; result: LandscapeResult }
  | { type: 'cancelled' }
  | { type: 'error'; message: string };

/** Contour levels of the landscape image (as the Paths view's). */
export const LANDSCAPE_LEVELS = 14;

/** The view box of a 2-D result: its coordinate grid, widened to every trajectory point. */
export function landscapeBox(result: LandscapeResult): ViewBox {
  const xs = [result.xs[0], result.xs.at(-1)!];
  const ys = [result.ys[0], result.ys.at(-1)!];
  for (const p of result.trajectory) {
    if (Number.isFinite(p.x)) xs.push(p.x);
    if (p.y !== null && Number.isFinite(p.y)) ys.push(p.y);
  }
  return { x: [Math.min(...xs), Math.max(...xs)], y: [Math.min(...ys), Math.max(...ys)] };
}

/**
 * The loss at (x, y) by bilinear interpolation of the grid (NaN outside it): smooth enough for
 * contour bands at any canvas size.
 */
export function gridLoss(result: LandscapeResult, x: number, y: number): number {
  const { xs, ys, losses } = result;
  const n = xs.length;
  const locate = (axis: readonly number[], v: number): [number, number] | null => {
    if (v < axis[0] || v > axis[axis.length - 1]) return null;
    let i = 0;
    while (i < axis.length - 2 && v > axis[i + 1]) i++;
    return [i, (v - axis[i]) / (axis[i + 1] - axis[i])];
  };
  const cx = locate(xs, x);
  const cy = locate(ys, y);
  if (!cx || !cy) return NaN;
  const [i, tx] = cx;
  const [j, ty] = cy;
  const at = (r: number, c: number) => losses[r * n + c];
  return (
    (1 - ty) * ((1 - tx) * at(j, i) + tx * at(j, i + 1)) +
    ty * ((1 - tx) * at(j + 1, i) + tx * at(j + 1, i + 1))
  );
}

/** RGBA pixels of the slice's contour on a size × size canvas over `box`. */
export function landscapePixels(
  result: LandscapeResult,
  box: ViewBox,
  size: number,
): Uint8ClampedArray {
  const values = sampleGrid(([x, y]) => gridLoss(result, x, y), box, size, size);
  return contourPixels(contourBands(values, LANDSCAPE_LEVELS), size, size, LANDSCAPE_LEVELS);
}

/** Canvas pixel of a landscape coordinate. */
export function toCanvas(box: ViewBox, size: number, x: number, y: number): [number, number] {
  return [
    ((x - box.x[0]) / (box.x[1] - box.x[0])) * size,
    ((box.y[1] - y) / (box.y[1] - box.y[0])) * size,
  ];
}
