import { Rng } from '@optlab/tensor';
import { quantileSorted } from '../metrics/spread.js';

/**
 * Percentile bootstrap confidence intervals (Efron & Tibshirani 1993, ch. 13), seeded so that
 * the same values and seed give the same interval, bit for bit.
 *
 * Each resample draws n indices uniformly with replacement from OptLab's seeded generator
 * (`Rng` of @optlab/tensor: xoroshiro128+ from pure-rand); the interval is the pair of
 * percentiles (1 − c)/2 and (1 + c)/2 of the resampled statistics, with NumPy's `linear`
 * percentile method. The resampling stream differs from NumPy's, so the intervals agree with
 * `scipy.stats.bootstrap(..., method='percentile')` only up to Monte Carlo error.
 */
export interface BootstrapOptions {
  /** Number of resamples, an integer from 100 to 1,000,000 (default 10,000). */
  readonly resamples?: number;
  /** Confidence level, strictly between 0 and 1 (default 0.95). */
  readonly confidence?: number;
  /** Seed of the resampling stream, an integer from 0 to 2^31 − 1 (default 0). */
  readonly seed?: number;
}

/** The bootstrap settings in force, written beside every interval so it can be reproduced. */
export interface BootstrapSettings {
  readonly resamples: number;
  readonly confidence: number;
  readonly seed: number;
}

export const BOOTSTRAP_DEFAULTS: BootstrapSettings = {
  resamples: 10_000,
  confidence: 0.95,
  seed: 0,
};

/** Limits on `resamples`: below 100 the tail percentiles rest on a handful of draws. */
export const BOOTSTRAP_RESAMPLES_RANGE = { min: 100, max: 1_000_000 } as const;

/** A confidence interval [low, high]. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

/**
 * A statistic of one resample. It may reorder `sample` (a scratch buffer reused between
 * resamples) but must not keep it.
 */
export type SampleStatistic = (sample: Float64Array) => number;

/** The median (sorts the buffer in place). */
export const resampleMedian: SampleStatistic = (sample) => quantileSorted(sample.sort(), 0.5);

/** The arithmetic mean. */
export const resampleMean: SampleStatistic = (sample) => {
  let sum = 0;
  for (let i = 0; i < sample.length; i++) sum += sample[i];
  return sum / sample.length;
};

/** Fills in the defaults and checks every option; throws a RangeError naming the option. */
export function bootstrapSettings(options: BootstrapOptions = {}): BootstrapSettings {
  const s = { ...BOOTSTRAP_DEFAULTS, ...stripUndefined(options) };
  const { min, max } = BOOTSTRAP_RESAMPLES_RANGE;
  if (!Number.isInteger(s.resamples) || s.resamples < min || s.resamples > max) {
    throw new RangeError(
      `bootstrap: resamples must be an integer from ${min} to ${max}, got ${s.resamples}`,
    );
  }
  if (!(s.confidence > 0 && s.confidence < 1)) {
    throw new RangeError(
      `bootstrap: confidence must be strictly between 0 and 1, got ${s.confidence}`,
    );
  }
  // The spec's seed range: Rng keeps only 32 bits, so a wider seed would silently alias.
  if (!Number.isInteger(s.seed) || s.seed < 0 || s.seed > 2 ** 31 - 1) {
    throw new RangeError(`bootstrap: seed must be an integer from 0 to 2147483647, got ${s.seed}`);
  }
  return s;
}

/**
 * The percentile bootstrap interval of `statistic` over `values` (at least one value; a single
 * value gives the degenerate interval [v, v]).
 */
export function bootstrapCi(
  values: readonly number[],
  statistic: SampleStatistic,
  options: BootstrapOptions = {},
): Interval {
  const s = bootstrapSettings(options);
  if (values.length === 0) throw new RangeError('bootstrapCi: the sample is empty');
  const rng = new Rng(s.seed);
  const scratch = new Float64Array(values.length);
  const stats = new Float64Array(s.resamples);
  for (let r = 0; r < s.resamples; r++) {
    resampleInto(scratch, values, rng);
    stats[r] = statistic(scratch);
  }
  return percentileInterval(stats, s.confidence);
}

/**
 * The percentile bootstrap interval of statistic(a) − statistic(b), resampling the two groups
 * independently (each resample draws a's indices, then b's, from one seeded stream). When both
 * resampled statistics are the same infinity (both groups' medians diverged) the difference
 * counts as 0: they tie, as they do in the rank test.
 */
export function bootstrapDifferenceCi(
  a: readonly number[],
  b: readonly number[],
  statistic: SampleStatistic,
  options: BootstrapOptions = {},
): Interval {
  const s = bootstrapSettings(options);
  if (a.length === 0 || b.length === 0) {
    throw new RangeError(`bootstrapDifferenceCi: group ${a.length === 0 ? 'a' : 'b'} is empty`);
  }
  const rng = new Rng(s.seed);
  const scratchA = new Float64Array(a.length);
  const scratchB = new Float64Array(b.length);
  const stats = new Float64Array(s.resamples);
  for (let r = 0; r < s.resamples; r++) {
    resampleInto(scratchA, a, rng);
    const sa = statistic(scratchA);
    resampleInto(scratchB, b, rng);
    stats[r] = difference(sa, statistic(scratchB));
  }
  return percentileInterval(stats, s.confidence);
}

/** x − y, with equal values (the same infinity included) differing by exactly 0. */
export function difference(x: number, y: number): number {
  return x === y ? 0 : x - y;
}

function resampleInto(out: Float64Array, values: readonly number[], rng: Rng): void {
  const last = values.length - 1;
  for (let i = 0; i < out.length; i++) out[i] = values[rng.int(0, last)];
}

function percentileInterval(stats: Float64Array, confidence: number): Interval {
  stats.sort();
  const tail = (1 - confidence) / 2;
  return { low: quantileSorted(stats, tail), high: quantileSorted(stats, 1 - tail) };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
