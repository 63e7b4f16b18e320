import type { Backend, Tensor } from '@optlab/tensor';
import type { Task } from '../models/model.js';

/**
 * A dataset held on the host, in double precision: `x` is row-major [n, features], `y` has one
 * value per row (a class index 0…classes−1 for classification, the target for regression).
 * Host arrays keep datasets independent of backends; `toTensors` uploads them.
 */
export interface Dataset {
  /** For humans, e.g. `moons(n=200, noise=0.1, seed=0)` or `iris`. */
  readonly name: string;
  readonly task: Task;
  /** Rows. */
  readonly n: number;
  readonly features: number;
  /** Number of classes; 0 for regression. */
  readonly classes: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly featureNames?: readonly string[];
  /**
   * Where each row is an image: its shape [C, H, W] (rows hold it flattened row-major). A `cnn`
   * takes it as its input shape; views draw such rows as pictures (the lab's sample grids).
   */
  readonly imageShape?: readonly number[];
  readonly classNames?: readonly string[];
  /**
   * The dataset's own test set (MNIST's t10k files), where it has one: the runner tests on it
   * instead of splitting rows off the training data.
   */
  readonly test?: Dataset;
  /**
   * A validation set of its own (a synthetic problem draws one independently), which the runner
   * validates on instead of splitting rows off the training data.
   */
  readonly validation?: Dataset;
}

/** The tensors a model takes: x [n, features]; y [n, 1] for regression, [n] for classification. */
export interface DatasetTensors {
  x: Tensor;
  y: Tensor;
}

/**
 * Uploads a dataset, or the rows `indices` of it (a minibatch), to a backend. For repeated
 * minibatches of a dataset already on the device, prefer `backend.gather` on the full tensors.
 */
export function toTensors(
  backend: Backend,
  data: Dataset,
  indices?: ArrayLike<number>,
): DatasetTensors {
  const part = indices === undefined ? data : subset(data, indices);
  const x = backend.tensor(part.x, [part.n, part.features]);
  const y = backend.tensor(part.y, data.task === 'regression' ? [part.n, 1] : [part.n]);
  return { x, y };
}

/** The rows at `indices`, in that order. */
export function subset(data: Dataset, indices: ArrayLike<number>, name = data.name): Dataset {
  const f = data.features;
  const x = new Float64Array(indices.length * f);
  const y = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (!Number.isInteger(r) || r < 0 || r >= data.n) {
      throw new RangeError(`${data.name}: row index ${r} is out of range [0, ${data.n})`);
    }
    x.set(data.x.subarray(r * f, r * f + f), i * f);
    y[i] = data.y[r];
  }
  return { ...data, name, n: indices.length, x, y };
}

/** Rows per class, for checks and displays. */
export function classCounts(data: Dataset): number[] {
  const counts = new Array<number>(data.classes).fill(0);
  for (let i = 0; i < data.n; i++) counts[data.y[i]]++;
  return counts;
}
