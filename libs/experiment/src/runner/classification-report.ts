import type { Dataset, Model } from '@optlab/models';
import type { Tensor } from '@optlab/tensor';

/** Misclassified samples a report carries when the consumer gives no number. */
export const DEFAULT_REPORT_SAMPLES = 24;
/** Most misclassified samples a report may carry (each image travels with its pixels). */
export const MAX_REPORT_SAMPLES = 256;

/** One misclassified row of the evaluated split. */
export interface MisclassifiedSample {
  /** Row of the split (0-based). */
  readonly index: number;
  readonly label: number;
  readonly predicted: number;
  /** Softmax probability of the predicted class (sigmoid for one binary logit), 4 decimals. */
  readonly confidence: number;
  /** The row's features when its rows are images (`imageShape`), as the model saw them. */
  readonly pixels?: readonly number[];
}

/**
 * What a classifier gets right and wrong at the end of a run, on the test split (the training
 * data where there is none): the confusion matrix and the first misclassified rows, with their
 * pixels where the rows are images. Small by construction: classes² counts and at most
 * `samples` rows, never the split itself.
 */
export interface ClassificationReport {
  readonly split: 'test' | 'train';
  /** Rows evaluated. */
  readonly rows: number;
  readonly classes: number;
  readonly classNames: readonly string[];
  /** Row-major classes × classes counts: row = true class, column = predicted class. */
  readonly confusion: readonly number[];
  /** How many rows were misclassified in all (`misclassified` holds the first few). */
  readonly misclassifiedCount: number;
  readonly misclassified: readonly MisclassifiedSample[];
  /** Shape of one image when the rows are images (e.g. [28, 28]), else null. */
  readonly imageShape: readonly number[] | null;
}

/** The predicted class and its probability from one row of logits. */
function predictionOf(logits: ArrayLike<number>, row: number, columns: number): [number, number] {
  if (columns === 1) {
    const p = 1 / (1 + Math.exp(-logits[row]));
    return p > 0.5 ? [1, p] : [0, 1 - p];
  }
  const at = row * columns;
  let best = 0;
  for (let j = 1; j < columns; j++) if (logits[at + j] > logits[at + best]) best = j;
  let sum = 0;
  for (let j = 0; j < columns; j++) sum += Math.exp(logits[at + j] - logits[at + best]);
  return [best, 1 / sum];
}

/**
 * The report of `model` on `data` (whose tensors on the model's backend are `x`), from one
 * forward pass: the argmax of the logits is the prediction, as `accuracyFromLogits` scores it.
 */
export async function classificationReport(
  model: Model,
  x: Tensor,
  data: Dataset,
  split: 'test' | 'train',
  samples = DEFAULT_REPORT_SAMPLES,
): Promise<ClassificationReport> {
  if (!Number.isInteger(samples) || samples < 0 || samples > MAX_REPORT_SAMPLES) {
    throw new RangeError(
      `classificationReport.samples must be an integer in [0, ${MAX_REPORT_SAMPLES}], got ${samples}`,
    );
  }
  const logitsT = model.predict(x);
  let logits: ArrayLike<number>;
  let columns: number;
  try {
    logits = await logitsT.data();
    columns = logitsT.shape[1];
  } finally {
    logitsT.dispose();
  }
  const classes = data.classes;
  const confusion = new Array<number>(classes * classes).fill(0);
  const misclassified: MisclassifiedSample[] = [];
  let misclassifiedCount = 0;
  const image = data.imageShape ?? null;
  const f = data.features;
  for (let i = 0; i < data.n; i++) {
    const label = data.y[i];
    const [predicted, confidence] = predictionOf(logits, i, columns);
    confusion[label * classes + predicted]++;
    if (predicted === label) continue;
    misclassifiedCount++;
    if (misclassified.length < samples) {
      misclassified.push({
        index: i,
        label,
        predicted,
        confidence: Math.round(confidence * 1e4) / 1e4,
        ...(image ? { pixels: Array.from(data.x.subarray(i * f, i * f + f)) } : {}),
      });
    }
  }
  return {
    split,
    rows: data.n,
    classes,
    classNames: data.classNames ?? Array.from({ length: classes }, (_, c) => String(c)),
    confusion,
    misclassifiedCount,
    misclassified,
    imageShape: image,
  };
}
