import type { ExperimentSpec, ReportMetric, RunSpec, SelectMetric } from '../spec/schema.js';
import { rerunSeedsOf } from '../spec/validate-sweep.js';
import { heldOutSets } from './held-out.js';
import { BOOTSTRAP_DEFAULTS, type BootstrapSettings } from '../stats/bootstrap.js';
import { DEFAULT_ALPHA } from '../stats/verdict.js';

/**
 * The protocol in force, with every default filled in: written into summary.json and
 * results.csv so a reader knows how "best" was chosen and what was reported.
 *
 * - `tune-and-rerun` (a spec with `protocol`, DeepOBS): every configuration trains on the tune
 *   seeds, each run's best configuration by `select` is rerun on the rerun seeds, and `report`
 *   is measured on the reruns (on the tuning runs when there are no rerun seeds).
 * - `single-phase` (no `protocol`): every configuration trains on its run's seeds; the best is
 *   chosen by `select` over those seeds and reported on the same runs (with one configuration
 *   per run there is nothing to choose).
 */
export interface ResolvedProtocol {
  readonly kind: 'tune-and-rerun' | 'single-phase';
  readonly select: {
    readonly metric: SelectMetric;
    readonly reduce: 'final' | 'best';
    /** How the tune seeds' values of one configuration become its score. */
    readonly over: 'median';
  };
  /** Seeds every configuration trains on (null: each run's own seeds, single-phase). */
  readonly tuneSeeds: readonly number[] | null;
  readonly rerunSeeds: readonly number[];
  readonly report: ReportMetric;
  /** The comparisons' bootstrap and significance level. */
  readonly bootstrap: BootstrapSettings;
  readonly alpha: number;
  /** One line for humans. */
  readonly text: string;
}

export function resolveProtocol(spec: ExperimentSpec): ResolvedProtocol {
  const task = spec.task;
  const p = spec.protocol;
  const { validation: hasValidation, test: hasTest } = heldOutSets(task);
  const metric: SelectMetric =
    p?.select.metric ?? (hasValidation ? 'validation-loss' : 'final-loss');
  const reduce = p?.select.reduce ?? 'final';
  const report: ReportMetric =
    p?.report ??
    (!hasTest ? 'final-loss' : task.kind === 'classification' ? 'test-accuracy' : 'test-loss');
  const tuneSeeds = p ? [...p.tuneSeeds] : null;
  const rerunSeeds = p ? rerunSeedsOf(p) : [];
  // "final validation loss", "best validation accuracy", "final loss" or "best loss" (the metric
  // `final-loss` already says "final": not "final final loss").
  const quantity = metric.replace('-', ' ').replace(/^final /, '');
  const chosen = `${reduce === 'best' ? 'best' : 'final'} ${quantity}`;
  const text = p
    ? `each configuration trained on seed${tuneSeeds!.length === 1 ? '' : 's'} ${tuneSeeds!.join(', ')}; ` +
      `the best by ${chosen} (median over those seeds) ` +
      (rerunSeeds.length > 0
        ? `rerun on ${rerunSeeds.length} other seed${rerunSeeds.length === 1 ? '' : 's'} (${rerunSeeds.join(', ')}); `
        : 'not rerun; ') +
      `${report.replace('-', ' ')} reported`
    : `single phase: each configuration on its run's seeds; the best by ${chosen} (median over its seeds), ` +
      `${report.replace('-', ' ')} reported on the same runs`;
  return {
    kind: p ? 'tune-and-rerun' : 'single-phase',
    select: { metric, reduce, over: 'median' },
    tuneSeeds,
    rerunSeeds,
    report,
    bootstrap: BOOTSTRAP_DEFAULTS,
    alpha: DEFAULT_ALPHA,
    text,
  };
}

/** The seeds of a run under no protocol: `seeds`, or `[seed]`, or `[0]`. */
export function ownSeeds(run: RunSpec): number[] {
  return run.seeds ?? [run.seed ?? 0];
}
