import { ModelsError } from '../options.js';
import type { Dataset } from './dataset.js';

/**
 * Per-feature standardisation (x − mean) / std, fitted on the training data only and applied
 * unchanged to the test data, so nothing about the test set leaks into training. As
 * scikit-learn's StandardScaler: the population std (ddof 0), and a constant feature (std 0)
 * is only centred.
 */
export class Standardizer {
  private constructor(
    readonly mean: Float64Array,
    readonly std: Float64Array,
  ) {}

  /** Fits the mean and std of every feature of `data`. */
  static fit(data: Dataset): Standardizer {
    const f = data.features;
    if (data.n === 0) throw new ModelsError(`Standardizer: ${data.name} has no rows to fit`);
    const mean = new Float64Array(f);
    const std = new Float64Array(f);
    for (let i = 0; i < data.n; i++) for (let j = 0; j < f; j++) mean[j] += data.x[i * f + j];
    for (let j = 0; j < f; j++) mean[j] /= data.n;
    for (let i = 0; i < data.n; i++) {
      for (let j = 0; j < f; j++) std[j] += (data.x[i * f + j] - mean[j]) ** 2;
    }
    for (let j = 0; j < f; j++) {
      std[j] = Math.sqrt(std[j] / data.n);
      if (std[j] === 0) std[j] = 1;
    }
    return new Standardizer(mean, std);
  }

  /** A copy of `data` with standardised features (labels untouched). */
  transform(data: Dataset): Dataset {
    const f = this.mean.length;
    if (data.features !== f) {
      throw new ModelsError(
        `Standardizer: fitted on ${f} features, ${data.name} has ${data.features}`,
      );
    }
    const x = new Float64Array(data.x.length);
    for (let i = 0; i < data.n; i++) {
      for (let j = 0; j < f; j++) x[i * f + j] = (data.x[i * f + j] - this.mean[j]) / this.std[j];
    }
    return { ...data, x };
  }
}

/** Fits on `train` and applies to both: the usual preprocessing of a split. */
export function standardize(
  train: Dataset,
  test?: Dataset,
): { train: Dataset; test?: Dataset; scaler: Standardizer } {
  const scaler = Standardizer.fit(train);
  return {
    train: scaler.transform(train),
    test: test ? scaler.transform(test) : undefined,
    scaler,
  };
}
