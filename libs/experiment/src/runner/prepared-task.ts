import type { Backend, Tensor } from '@optlab/tensor';
import {
  createFunction,
  loadDataset,
  ModelsError,
  standardize,
  trainTestSplit,
  type Dataset,
  type DatasetSpec,
  type TestFunction,
} from '@optlab/models';
import { leastSquares, type LeastSquares } from '../metrics/least-squares.js';
import type { ClassificationTaskSpec, ExperimentSpec, RegressionTaskSpec } from '../spec/schema.js';
import { optionsOf } from '../spec/options-check.js';

/**
 * The data side of an experiment, prepared once and shared by every run: the dataset (loaded,
 * split and standardised on the host), or the test function and its start point. Runs differ
 * only in what the spec compares (optimizer, schedule, backend, seed).
 */
export type PreparedTask = PreparedFunction | PreparedData;

export interface PreparedFunction {
  readonly kind: 'function';
  readonly fn: TestFunction;
  readonly start: readonly number[];
  /** Shape of the trained parameter: [dim], or [rows, cols] for a matrix start point. */
  readonly shape: readonly number[];
}

export interface PreparedData {
  readonly kind: 'regression' | 'classification';
  readonly train: Dataset;
  /** Held out from training to choose configurations on (`validationFraction`). */
  readonly validation: Dataset | null;
  readonly test: Dataset | null;
  /**
   * Linear regression: the least-squares solution [b, w…] of the training data, or why it has
   * none (rank deficient: too few rows, collinear columns); null for other models.
   */
  readonly leastSquares: LeastSquares | null;
  /** The data uploaded to each backend, once per backend. */
  tensors(backend: Backend): DataTensors;
  dispose(): void;
}

export interface DataTensors {
  readonly x: Tensor;
  readonly y: Tensor;
  readonly testX: Tensor | null;
  readonly testY: Tensor | null;
  readonly validationX: Tensor | null;
  readonly validationY: Tensor | null;
}

/** The seed of the train/test split: fixed, so every run and seed sees the same split. */
export const SPLIT_SEED = 0;

/**
 * The seed of the validation split, taken from what the test split leaves for training: fixed
 * too, and other than the test split's, so the two held-out sets are drawn independently.
 */
export const VALIDATION_SPLIT_SEED = 1;

/** Datasets whose task is an option (a CSV's label column may be classes or a target). */
const TASK_IS_AN_OPTION = new Set(['csv']);

/**
 * The dataset a task names, as `loadDataset` takes it. Where the dataset's task is an option, the
 * task's kind is its default, so a regression task reads a CSV's label column as a target
 * (validation refuses a dataset `task` that disagrees with the kind).
 */
export function datasetSpecOf(task: RegressionTaskSpec | ClassificationTaskSpec): DatasetSpec {
  const options = optionsOf(task.dataset);
  const kindDecides = TASK_IS_AN_OPTION.has(task.dataset.type) && options.task === undefined;
  return { kind: task.dataset.type, ...options, ...(kindDecides ? { task: task.kind } : {}) };
}

export async function prepareTask(spec: ExperimentSpec): Promise<PreparedTask> {
  const task = spec.task;
  if (task.kind === 'function') {
    const fn = createFunction({ kind: task.function.type, ...optionsOf(task.function) });
    const start = task.start === undefined ? [...fn.start] : task.start.flat();
    const shape =
      task.start !== undefined && Array.isArray(task.start[0])
        ? [task.start.length, (task.start[0] as number[]).length]
        : [start.length];
    return { kind: 'function', fn, start, shape };
  }
  // A dataset with its own test set (MNIST's t10k files) is tested on it, not split.
  const {
    test: ownTest,
    validation: ownValidation,
    ...data
  } = await loadDataset(datasetSpecOf(task));
  let train: Dataset = data;
  let test: Dataset | null = ownTest ?? null;
  if (ownTest && task.testFraction > 0) {
    throw new ModelsError(
      `task.testFraction: the ${task.dataset.type} dataset brings its own test set: set testFraction to 0`,
    );
  }
  if (task.testFraction > 0) {
    const split = trainTestSplit(data, {
      testFraction: task.testFraction,
      seed: SPLIT_SEED,
      stratify: task.kind === 'classification',
    });
    train = split.train;
    test = split.test;
  }
  // A dataset with its own validation set (a synthetic problem draws one) validates on it.
  let validation: Dataset | null = ownValidation ?? null;
  if (ownValidation && task.validationFraction > 0) {
    throw new ModelsError(
      `task.validationFraction: the ${task.dataset.type} dataset brings its own validation set: set validationFraction to 0`,
    );
  }
  if (task.validationFraction > 0) {
    const split = trainTestSplit(train, {
      testFraction: task.validationFraction,
      seed: VALIDATION_SPLIT_SEED,
      stratify: task.kind === 'classification',
    });
    train = split.train;
    validation = split.test;
  }
  if (task.standardize) {
    // Standardised with the training rows' statistics only; the held-out sets follow them.
    const s = standardize(train, test ?? undefined);
    train = s.train;
    test = s.test ?? null;
    validation = validation ? s.scaler.transform(validation) : null;
  }
  const isLinear = task.kind === 'regression' && task.model.type === 'linear-regression';
  const uploaded = new Map<Backend, DataTensors>();
  const y = (d: Dataset) => (d.task === 'regression' ? [d.n, 1] : [d.n]);
  return {
    kind: task.kind,
    train,
    validation,
    test,
    leastSquares: isLinear ? leastSquares(train.x, train.y, train.n) : null,
    tensors(backend) {
      let t = uploaded.get(backend);
      if (!t) {
        t = {
          x: backend.tensor(train.x, [train.n, train.features]),
          y: backend.tensor(train.y, y(train)),
          testX: test ? backend.tensor(test.x, [test.n, test.features]) : null,
          testY: test ? backend.tensor(test.y, y(test)) : null,
          validationX: validation
            ? backend.tensor(validation.x, [validation.n, validation.features])
            : null,
          validationY: validation ? backend.tensor(validation.y, y(validation)) : null,
        };
        uploaded.set(backend, t);
      }
      return t;
    },
    dispose() {
      for (const t of uploaded.values()) {
        for (const tensor of [t.x, t.y, t.testX, t.testY, t.validationX, t.validationY]) {
          if (tensor && !tensor.isDisposed) tensor.dispose();
        }
      }
      uploaded.clear();
    },
  };
}
