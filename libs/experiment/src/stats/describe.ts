import { mean, sampleStandardDeviation } from 'simple-statistics';
import { quantileSorted } from '../metrics/spread.js';

/**
 * Descriptive statistics of a sample of finite values, as NumPy computes them: quantiles with
 * NumPy's default `linear` method (Hyndman & Fan type 7, `numpy.quantile(x, q)`), the sample
 * standard deviation with Bessel's correction (`numpy.std(x, ddof=1)`).
 */
export interface Description {
  readonly n: number;
  readonly median: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1 in the denominator); null for a single value. */
  readonly std: number | null;
  /** First quartile (25th percentile, linear method). */
  readonly q1: number;
  /** Third quartile (75th percentile, linear method). */
  readonly q3: number;
  /** Interquartile range, q3 − q1. */
  readonly iqr: number;
  readonly min: number;
  readonly max: number;
}

/** Describes a non-empty sample of finite values; throws a RangeError naming the bad value. */
export function describeSample(values: readonly number[]): Description {
  if (values.length === 0) throw new RangeError('describeSample: the sample is empty');
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new RangeError(
      `describeSample: values[${bad}] is ${values[bad]}; describe only finite values (see splitDiverged)`,
    );
  }
  const sorted = Float64Array.from(values).sort();
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  return {
    n: values.length,
    median: quantileSorted(sorted, 0.5),
    mean: mean(values),
    std: values.length > 1 ? sampleStandardDeviation(values) : null,
    q1,
    q3,
    iqr: q3 - q1,
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}
