import { Rng } from '@optlab/tensor';
import type { FlatLayout } from '../diagnostics/flat-weights.js';

/**
 * A filter-normalised random direction (Li et al. 2018, "Visualizing the Loss Landscape of
 * Neural Nets", §4): a Gaussian direction d, rescaled filter by filter so that each filter of d
 * has the norm of the same filter of the weights θ: dᵢ ← dᵢ/‖dᵢ‖ · ‖θᵢ‖.
 *
 * A filter is one output unit. OptLab's Dense weight W is [in, out] (y = x·W + b), so a filter is
 * a column W[:, j] (PyTorch's Linear weight is [out, in], where it is a row: the same numbers).
 * A Conv2d weight is [O, C, kh, kw], as PyTorch's: a filter is an out-channel, the block W[o].
 * Other ranks are refused rather than guessed at. Vectors (biases) get a zero direction, as
 * Li et al.'s code does with `ignore='biasbn'` (net_plotter.py, normalize_directions_for_weights):
 * the slice moves the weight matrices only, and biases stay at the trained values.
 *
 * The Gaussian numbers come from a generator of their own (`seed`), drawn parameter by parameter
 * in order, so a direction is reproducible and independent of training.
 */
export function filterNormalizedDirection(
  layout: FlatLayout,
  weights: Float64Array,
  rng: Rng,
): Float64Array {
  const d = new Float64Array(layout.total);
  layout.shapes.forEach((shape, p) => {
    const offset = layout.offsets[p];
    if (shape.length <= 1) return; // biases and other vectors: zero
    if (shape.length !== 2 && shape.length !== 4) {
      throw new RangeError(
        `filter normalisation: ${layout.names[p]} has rank ${shape.length}; only Dense weights [in, out] and Conv2d weights [out, in, kh, kw] are supported`,
      );
    }
    const size = shape.reduce((a, b) => a * b, 1);
    // The filter of element k: a Dense column (k mod out), or a Conv2d out-channel (a block).
    const filters = shape.length === 2 ? shape[1] : shape[0];
    const block = size / shape[0];
    const filterOf =
      shape.length === 2 ? (k: number) => k % filters : (k: number) => Math.floor(k / block);
    for (let k = 0; k < size; k++) d[offset + k] = rng.normal();
    const dn = new Float64Array(filters);
    const wn = new Float64Array(filters);
    for (let k = 0; k < size; k++) {
      const f = filterOf(k);
      dn[f] += d[offset + k] * d[offset + k];
      wn[f] += weights[offset + k] * weights[offset + k];
    }
    for (let k = 0; k < size; k++) {
      const f = filterOf(k);
      d[offset + k] *= dn[f] > 0 ? Math.sqrt(wn[f]) / Math.sqrt(dn[f]) : 0;
    }
  });
  return d;
}

/**
 * The least-squares coordinates (a, b) of `point − center` in the plane spanned by d₁ and d₂:
 * the minimiser of ‖point − center − a·d₁ − b·d₂‖, from the 2×2 normal equations. A point in
 * the plane gets its coordinates back exactly (to rounding).
 */
export function projectOntoPlane(
  point: Float64Array,
  center: Float64Array,
  d1: Float64Array,
  d2: Float64Array,
): [number, number] {
  let g11 = 0;
  let g12 = 0;
  let g22 = 0;
  let r1 = 0;
  let r2 = 0;
  for (let i = 0; i < point.length; i++) {
    const x = point[i] - center[i];
    g11 += d1[i] * d1[i];
    g12 += d1[i] * d2[i];
    g22 += d2[i] * d2[i];
    r1 += d1[i] * x;
    r2 += d2[i] * x;
  }
  const det = g11 * g22 - g12 * g12;
  if (!(Math.abs(det) > 0)) throw new RangeError('projection: the two directions are parallel');
  return [(g22 * r1 - g12 * r2) / det, (g11 * r2 - g12 * r1) / det];
}
