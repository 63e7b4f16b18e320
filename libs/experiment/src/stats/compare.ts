import {
  bootstrapDifferenceCi,
  bootstrapSettings,
  difference,
  resampleMedian,
  type BootstrapOptions,
  type BootstrapSettings,
  type Interval,
} from './bootstrap.js';
import { divergedAsWorst, splitDiverged, type Direction } from './diverged.js';
import { mannWhitneyU, type MannWhitneyResult } from './mann-whitney.js';

export interface ComparisonOptions extends BootstrapOptions {
  /** Which way the metric improves; decides which infinity a diverged run becomes. */
  readonly direction: Direction;
}

/** One side of a comparison. */
export interface ComparedGroup {
  readonly n: number;
  readonly diverged: number;
  /** Median with diverged runs as the worst value: ±∞ when half or more diverged. */
  readonly median: number;
}

/** Two groups of runs (two optimizers, each over its seeds) compared on one metric. */
export interface GroupComparison {
  readonly direction: Direction;
  readonly a: ComparedGroup;
  readonly b: ComparedGroup;
  /** Two-sided Mann–Whitney U test of a against b (U is a's). */
  readonly test: MannWhitneyResult;
  /** median(a) − median(b); 0 when both are the same infinity. */
  readonly medianDifference: number;
  /**
   * Percentile bootstrap interval of median(a) − median(b), the groups resampled independently.
   * An end is ±∞ when, in enough resamples, half or more of a group's runs diverged: the
   * difference is then unbounded on that side.
   */
  readonly medianDifferenceCi: Interval;
  readonly bootstrap: BootstrapSettings;
}

/**
 * Compares group a with group b on one metric: the Mann–Whitney U test and the bootstrap
 * interval of the difference of medians, both with diverged runs (NaN, ±∞) counted as the
 * worst value of the metric, so that an optimizer that diverges more ranks worse.
 */
export function compareGroups(
  a: readonly number[],
  b: readonly number[],
  options: ComparisonOptions,
): GroupComparison {
  const { direction } = options;
  if (direction !== 'lower' && direction !== 'higher') {
    throw new RangeError(
      `compareGroups: direction must be 'lower' or 'higher', got ${String(direction)}`,
    );
  }
  const bootstrap = bootstrapSettings(options);
  if (a.length === 0 || b.length === 0) {
    throw new RangeError(`compareGroups: group ${a.length === 0 ? 'a' : 'b'} is empty`);
  }
  const wa = divergedAsWorst(a, direction);
  const wb = divergedAsWorst(b, direction);
  const median = (values: readonly number[]) => resampleMedian(Float64Array.from(values));
  const side = (values: readonly number[], worst: readonly number[]): ComparedGroup => ({
    n: values.length,
    diverged: splitDiverged(values).diverged,
    median: median(worst),
  });
  const ga = side(a, wa);
  const gb = side(b, wb);
  return {
    direction,
    a: ga,
    b: gb,
    test: mannWhitneyU(wa, wb),
    medianDifference: difference(ga.median, gb.median),
    medianDifferenceCi: bootstrapDifferenceCi(wa, wb, resampleMedian, bootstrap),
    bootstrap,
  };
}
