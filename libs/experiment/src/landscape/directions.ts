import { Rng } from '@optlab/tensor';
import type { FlatLayout } from '../diagnostics/flat-weights.js';

/**
 * A filter-normalised random direction (Li et al. 2018, "Visualizing the Loss Landscape of
 * Neural Nets", §4): a Gaussian direction d, rescaled filter by filter so that each filter of d
 * has the norm of the same filter of the weights θ: dᵢ ← dᵢ/‖dᵢ‖ · ‖θᵢ‖.
 *
 * A filter is one output unit. OptLab's Dense weight W is [in, out] (y = x·W + b), so a filter is
 * a column W[:, j] (PyTorch's Linear weight is [out, in], where it is a row: the same numbers).
 * There are no convolution layers in @optlab/models; a weight of rank > 2 is refused rather than
 * guessed at (its filters would be its out-channels). Vectors (biases) get a zero direction, as
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
    if (shape.length > 2) {
      throw new RangeError(
        `filter normalisation: ${layout.names[p]} has rank ${shape.length}; only Dense weights [in, out] are supported`,
      );
    }
    const [rows, cols] = shape;
    for (let k = 0; k < rows * cols; k++) d[offset + k] = rng.normal();
    for (let j = 0; j < cols; j++) {
      let dn = 0;
      let wn = 0;
      for (let i = 0; i < rows; i++) {
        const k = offset + i * cols + j;
        dn += d[k] * d[k];
        wn += weights[k] * weights[k];
      }
      const scale = dn > 0 ? Math.sqrt(wn) / Math.sqrt(dn) : 0;
      for (let i = 0; i < rows; i++) d[offset + i * cols + j] *= scale;
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
