import {
  bootstrapCi,
  bootstrapSettings,
  resampleMean,
  resampleMedian,
  type BootstrapOptions,
  type BootstrapSettings,
  type Interval,
} from './bootstrap.js';
import { describeSample } from './describe.js';
import { splitDiverged } from './diverged.js';

/**
 * One configuration over its seeds: how many runs, how many diverged, and the descriptive
 * statistics and bootstrap intervals of the runs that finished (see ./diverged.ts for why the
 * diverged runs are counted rather than averaged in).
 */
export interface GroupSummary {
  /** Runs in the group, diverged ones included. */
  readonly n: number;
  /** Runs whose value is NaN or ±∞. */
  readonly diverged: number;
  /** Runs with a finite value: the sample the statistics below describe. */
  readonly finite: number;
  /** The statistics below are null when no run finished. */
  readonly median: number | null;
  readonly mean: number | null;
  /** Sample standard deviation (n − 1); null with fewer than two finite values. */
  readonly std: number | null;
  /** Quartiles with NumPy's default `linear` method, and q3 − q1. */
  readonly q1: number | null;
  readonly q3: number | null;
  readonly iqr: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** Percentile bootstrap intervals; null with fewer than two finite values. */
  readonly medianCi: Interval | null;
  readonly meanCi: Interval | null;
  /** How the intervals were computed (resamples, confidence, seed). */
  readonly bootstrap: BootstrapSettings;
}

/**
 * Summarises one metric of a group of runs (one configuration over seeds): n, diverged count,
 * median, mean, sample standard deviation, quartiles and IQR, min, max, and percentile
 * bootstrap confidence intervals of the median and of the mean (10,000 resamples, 95%, seed 0
 * unless given). The same values and options always give the same summary.
 */
export function summarizeGroup(
  values: readonly number[],
  options: BootstrapOptions = {},
): GroupSummary {
  const bootstrap = bootstrapSettings(options);
  const { finite, diverged } = splitDiverged(values);
  const base = { n: values.length, diverged, finite: finite.length, bootstrap };
  if (finite.length === 0) {
    return {
      ...base,
      median: null,
      mean: null,
      std: null,
      q1: null,
      q3: null,
      iqr: null,
      min: null,
      max: null,
      medianCi: null,
      meanCi: null,
    };
  }
  const d = describeSample(finite);
  // One value gives only the degenerate interval [v, v]: no interval is more honest.
  const many = finite.length > 1;
  return {
    ...base,
    median: d.median,
    mean: d.mean,
    std: d.std,
    q1: d.q1,
    q3: d.q3,
    iqr: d.iqr,
    min: d.min,
    max: d.max,
    medianCi: many ? bootstrapCi(finite, resampleMedian, bootstrap) : null,
    meanCi: many ? bootstrapCi(finite, resampleMean, bootstrap) : null,
  };
}
