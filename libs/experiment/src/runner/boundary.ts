import { tidy, type Backend, type Tensor } from '@optlab/tensor';
import type { Dataset, Model } from '@optlab/models';
import type { BoundaryGrid } from './events.js';

/** Grid cells per side when `RunnerOptions.decisionBoundary` gives no size. */
export const DEFAULT_BOUNDARY_SIZE = 48;
/** At most this many training points travel with a run's first boundary event. */
export const MAX_BOUNDARY_POINTS = 1000;
/** Margin around the data, as a fraction of its range on each axis. */
const MARGIN = 0.1;

/**
 * The decision boundary of a classifier with two input features, sampled on a fixed square grid
 * over the (standardised, when the task asks) feature domain of the data. The grid's points are
 * uploaded once per run; each `sample` is one batched `predict` of every cell and one read back,
 * the class and its probability then computed on the host from the logits (argmax, the first
 * maximum on ties, as `accuracyFromLogits`; sigmoid for a single binary logit, softmax otherwise).
 */
export class BoundarySampler {
  readonly grid: BoundaryGrid;
  readonly #points: Tensor;

  constructor(
    backend: Backend,
    datasets: readonly Dataset[],
    readonly size: number,
  ) {
    if (!Number.isInteger(size) || size < 2 || size > 512) {
      throw new RangeError(`decisionBoundary.size must be an integer in [2, 512], got ${size}`);
    }
    this.grid = boundaryDomain(datasets, size);
    this.#points = backend.tensor(gridPoints(this.grid), [size * size, 2]);
  }

  /** Predicted class and its probability for every cell, row-major, row 0 at the top (largest y). */
  async sample(model: Model): Promise<{ predicted: number[]; confidence: number[] }> {
    const logits = tidy(() => model.predict(this.#points));
    try {
      const columns = logits.shape[1] ?? 1;
      return classify(await logits.data(), columns);
    } finally {
      logits.dispose();
    }
  }

  dispose(): void {
    this.#points.dispose();
  }
}

/** The data's bounding box on both features, widened by 10 % per side (never degenerate). */
export function boundaryDomain(datasets: readonly Dataset[], size: number): BoundaryGrid {
  const lo = [Infinity, Infinity];
  const hi = [-Infinity, -Infinity];
  for (const d of datasets) {
    for (let i = 0; i < d.n; i++) {
      for (let f = 0; f < 2; f++) {
        const v = d.x[i * 2 + f];
        if (!Number.isFinite(v)) continue;
        lo[f] = Math.min(lo[f], v);
        hi[f] = Math.max(hi[f], v);
      }
    }
  }
  const axis = (f: number): [number, number] => {
    if (!(hi[f] >= lo[f])) return [-1, 1];
    const margin = Math.max((hi[f] - lo[f]) * MARGIN, 1e-3);
    return [lo[f] - margin, hi[f] + margin];
  };
  return { size, x: axis(0), y: axis(1) };
}

/** Cell centres [size², 2], row-major, row 0 at the top (largest y), column 0 at the left. */
export function gridPoints(grid: BoundaryGrid): Float64Array {
  const { size, x, y } = grid;
  const out = new Float64Array(size * size * 2);
  for (let row = 0; row < size; row++) {
    const py = y[1] - ((row + 0.5) / size) * (y[1] - y[0]);
    for (let col = 0; col < size; col++) {
      const i = (row * size + col) * 2;
      out[i] = x[0] + ((col + 0.5) / size) * (x[1] - x[0]);
      out[i + 1] = py;
    }
  }
  return out;
}

/**
 * Class and probability per row of logits [N, columns]; probabilities rounded to 4 decimals
 * (the events are JSON). A row with a NaN logit gets class 0 and probability NaN.
 */
export function classify(
  logits: ArrayLike<number>,
  columns: number,
): { predicted: number[]; confidence: number[] } {
  const n = Math.floor(logits.length / columns);
  const predicted = new Array<number>(n);
  const confidence = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let cls: number;
    let p: number;
    if (columns === 1) {
      const z = logits[i];
      const p1 = 1 / (1 + Math.exp(-z));
      cls = z > 0 ? 1 : 0;
      p = cls === 1 ? p1 : 1 - p1;
    } else {
      const row = i * columns;
      cls = 0;
      for (let j = 1; j < columns; j++) if (logits[row + j] > logits[row + cls]) cls = j;
      const top = logits[row + cls];
      let sum = 0;
      for (let j = 0; j < columns; j++) sum += Math.exp(logits[row + j] - top);
      p = 1 / sum;
    }
    predicted[i] = cls;
    confidence[i] = Math.round(p * 1e4) / 1e4;
  }
  return { predicted, confidence };
}

/** Up to `max` training points (every k-th row), with their labels, for drawing. */
export function boundaryPoints(
  train: Dataset,
  max = MAX_BOUNDARY_POINTS,
): { x: number[]; labels: number[] } {
  const stride = Math.max(1, Math.ceil(train.n / max));
  const x: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < train.n; i += stride) {
    x.push(train.x[i * 2], train.x[i * 2 + 1]);
    labels.push(train.y[i]);
  }
  return { x, labels };
}
