import { Rng } from '@optlab/tensor';
import { ModelsError } from '../options.js';
import { subset, type Dataset } from './dataset.js';

export interface SplitOptions {
  /** Fraction of rows held out for testing, in (0, 1). Default 0.25 (scikit-learn's). */
  testFraction?: number;
  seed?: number;
  /** Keep each class's share equal in both parts (classification only). Default false. */
  stratify?: boolean;
}

/**
 * A seeded train/test split. Unstratified: a random permutation, the first ⌈n·testFraction⌉ rows
 * go to test. Stratified: within each class, round(count·testFraction) rows go to test, so each
 * class keeps its share in both parts; then each part is shuffled.
 */
export function trainTestSplit(
  data: Dataset,
  options: SplitOptions = {},
): { train: Dataset; test: Dataset } {
  const { testFraction = 0.25, seed = 0, stratify = false } = options;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new ModelsError(`trainTestSplit: testFraction must be in (0, 1), got ${testFraction}`);
  }
  if (stratify && data.task !== 'classification') {
    throw new ModelsError('trainTestSplit: stratify needs a classification dataset');
  }
  const rng = new Rng(seed);
  let train: number[] = [];
  let test: number[] = [];
  if (!stratify) {
    const order = rng.permutation(data.n);
    const nTest = Math.ceil(data.n * testFraction);
    test = Array.from(order.subarray(0, nTest));
    train = Array.from(order.subarray(nTest));
  } else {
    const byClass: number[][] = Array.from({ length: data.classes }, () => []);
    for (let i = 0; i < data.n; i++) byClass[data.y[i]].push(i);
    for (const rows of byClass) {
      const order = rng.permutation(rows.length);
      const nTest = Math.round(rows.length * testFraction);
      order.forEach((k, i) => (i < nTest ? test : train).push(rows[k]));
    }
    train = shuffled(train, rng);
    test = shuffled(test, rng);
  }
  if (train.length === 0 || test.length === 0) {
    throw new ModelsError(
      `trainTestSplit: ${data.n} rows with testFraction ${testFraction} leave an empty part`,
    );
  }
  return {
    train: subset(data, train, `${data.name} [train]`),
    test: subset(data, test, `${data.name} [test]`),
  };
}

function shuffled(rows: number[], rng: Rng): number[] {
  return Array.from(rng.permutation(rows.length), (k) => rows[k]);
}
