/**
 * Statistics for comparing optimizers over seeds: group summaries with bootstrap confidence
 * intervals, the Mann–Whitney U test (SciPy-compatible), and a plain verdict. Pure functions,
 * no Node APIs, deterministic for a given seed. See docs/decisions/0011-statistics.md.
 */
export { isDiverged, splitDiverged, worstValue, divergedAsWorst } from './diverged.js';
export type { Direction } from './diverged.js';
export { describeSample } from './describe.js';
export type { Description } from './describe.js';
export {
  BOOTSTRAP_DEFAULTS,
  BOOTSTRAP_RESAMPLES_RANGE,
  bootstrapSettings,
  bootstrapCi,
  bootstrapDifferenceCi,
  resampleMedian,
  resampleMean,
} from './bootstrap.js';
export type {
  BootstrapOptions,
  BootstrapSettings,
  Interval,
  SampleStatistic,
} from './bootstrap.js';
export { averageRanks } from './ranks.js';
export { normalSf } from './normal.js';
export { mannWhitneyU } from './mann-whitney.js';
export type { MannWhitneyResult } from './mann-whitney.js';
export { summarizeGroup } from './summary.js';
export type { GroupSummary } from './summary.js';
export { compareGroups } from './compare.js';
export type { ComparisonOptions, ComparedGroup, GroupComparison } from './compare.js';
export { verdict, smallestPossibleP, MIN_SEEDS_PER_GROUP, DEFAULT_ALPHA } from './verdict.js';
export type { Verdict, VerdictInput, VerdictOutcome } from './verdict.js';
