import { aggregateRuns } from '../metrics/aggregate.js';
import { analyzeComparison, selectBest } from '../protocol/analysis.js';
import { divergedResults } from '../protocol/reported-runs.js';
import { ownSeeds, resolveProtocol } from '../protocol/resolve.js';
import type { ExperimentSpec } from '../spec/schema.js';
import { trainingsOf } from '../spec/validate-sweep.js';
import { expandSweeps, specOfConfigurations, type Configuration } from '../sweep/expand.js';
import type { ExperimentEvent, ExperimentSummary, RunMetrics } from './events.js';
import { describeTask, runExperiment, type RunnerOptions } from './run.js';

/**
 * Runs the trainings of one phase and yields their events (`runExperiment` by default). The
 * parallel pool replaces it; whatever it is, it must give the same metrics for the same spec.
 */
export type PhaseExecutor = (
  spec: ExperimentSpec,
  options: RunnerOptions,
) => AsyncGenerator<ExperimentEvent, ExperimentSummary | null>;

export interface ComparisonOptions extends RunnerOptions {
  readonly execute?: PhaseExecutor;
  /**
   * Run the tuning phase only (`units` are then positions in `tuningSpec(spec)`), and summarise
   * it alone: a shard of a comparison (`optlab run --shard`) trains its share of phase 1, and
   * `optlab merge` makes the selection once every shard is in.
   */
  readonly tuneOnly?: boolean;
  /**
   * Phase 1's final metrics, trained already (every unit of `tuningSpec(spec)`, in order — the
   * merged shards): phase 1 is not run again; its configurations are chosen from these, and only
   * the rerun phase trains.
   */
  readonly tuned?: readonly RunMetrics[];
  /**
   * Computes the summary from both phases' final metrics (`comparisonSummary` by default; a
   * replacement must give the same). The lab hands it to a worker: the analysis bootstraps an
   * interval for every metric of every configuration, seconds for a 100 × 5 sweep, which on the
   * page's own thread froze the page that long after the last training.
   */
  readonly summarize?: (
    spec: ExperimentSpec,
    tune: readonly RunMetrics[],
    rerun: readonly RunMetrics[],
    timing: ComparisonTiming,
  ) => ExperimentSummary | Promise<ExperimentSummary>;
}

/** When a comparison started (ISO time) and how long it took. */
export interface ComparisonTiming {
  readonly startedAt: string;
  readonly wallTimeMs: number;
}

/**
 * The plain spec of a comparison's tuning phase: every configuration of every sweep, each on the
 * protocol's tune seeds (or, without a protocol, on its run's own seeds). A spec without sweeps or
 * protocol is its own tuning phase, unit for unit.
 */
export function tuningSpec(spec: ExperimentSpec): ExperimentSpec {
  const tuneSeeds = resolveProtocol(spec).tuneSeeds;
  return specOfConfigurations(
    spec,
    expandSweeps(spec).configurations,
    () => tuneSeeds ?? undefined,
  );
}

/** Whether a comparison has a second phase (each run's best configuration rerun on seeds). */
export function hasRerunPhase(spec: ExperimentSpec): boolean {
  return resolveProtocol(spec).rerunSeeds.length > 0;
}

/** Each run's best configuration by the protocol's selection metric on phase 1's metrics. */
export function selectedConfigurations(
  spec: ExperimentSpec,
  tune: readonly RunMetrics[],
): Configuration[] {
  const protocol = resolveProtocol(spec);
  return expandSweeps(spec).groups.map(
    (g) => g.configurations[selectBest(g, tune, protocol).index],
  );
}

/**
 * The summary of a comparison from both phases' final metrics (in their unit order) and its
 * timing: one place for the runner and `optlab merge`, so a merged summary is the runner's.
 */
export function comparisonSummary(
  spec: ExperimentSpec,
  tune: readonly RunMetrics[],
  rerun: readonly RunMetrics[],
  timing: ComparisonTiming,
): ExperimentSummary {
  const metrics = [...tune, ...rerun];
  const summary: ExperimentSummary = {
    experiment: spec.name,
    task: describeTask(spec),
    targetLoss: spec.training.targetLoss ?? null,
    status: 'done',
    startedAt: timing.startedAt,
    wallTimeMs: timing.wallTimeMs,
    runs: metrics,
    aggregates: aggregateRuns(metrics),
    analysis: analyzeComparison(
      expandSweeps(spec),
      resolveProtocol(spec),
      tune as RunMetrics[],
      rerun as RunMetrics[],
    ),
  };
  // Diverged only when a reported result did: a tuning configuration that diverged is part of
  // the search (each run keeps its own status), not a failed comparison.
  return divergedResults(summary).length > 0 ? { ...summary, status: 'diverged' } : summary;
}

/**
 * A spec as a comparison: its sweeps expanded (`expandSweeps`), then the protocol's phases, each
 * a spec of plain runs handed to the executor:
 *
 * 1. tune — every configuration on the tune seeds (or, without a protocol, on its run's seeds);
 * 2. rerun — each run's best configuration by the selection metric, on the rerun seeds (only
 *    with a protocol and rerun seeds: phase 2 depends on phase 1's results).
 *
 * Events pass through as the executor yields them, under one `experiment-start` (listing the
 * tuning runs; `total` counts both phases) and one `summary` at the end, whose `analysis` holds
 * the protocol, each run's budget and choice, the statistics and the verdicts. A spec without
 * sweeps or protocol gives exactly `runExperiment`'s events, with the analysis added to the
 * summary.
 */
export async function* runComparison(
  spec: ExperimentSpec,
  options: ComparisonOptions = {},
): AsyncGenerator<ExperimentEvent, ExperimentSummary | null> {
  const execute = options.execute ?? runExperiment;
  const now = options.now ?? (() => performance.now());
  const started = now();
  const startedAt = new Date().toISOString();
  const tuneSpec = tuningSpec(spec);
  const protocol = resolveProtocol(spec);
  yield {
    type: 'experiment-start',
    experiment: spec.name,
    runs: tuneSpec.runs.map((r) => ({ name: r.name, seeds: ownSeeds(r) })),
    total: trainingsOf(spec),
  };
  let tune: RunMetrics[] = [];
  if (options.tuned) tune = [...options.tuned];
  else {
    const tuned = yield* phase(execute(tuneSpec, options), tune);
    if (!tuned) return null;
  }
  const rerun: RunMetrics[] = [];
  if (protocol.rerunSeeds.length > 0 && !options.tuneOnly) {
    const winners = selectedConfigurations(spec, tune);
    const rerunSpec = specOfConfigurations(spec, winners, () => protocol.rerunSeeds);
    const done = yield* phase(execute(rerunSpec, { ...options, units: undefined }), rerun);
    if (!done) return null;
  }
  const summary = await (options.summarize ?? comparisonSummary)(spec, tune, rerun, {
    startedAt,
    wallTimeMs: now() - started,
  });
  yield { type: 'summary', summary };
  return summary;
}

/**
 * Passes one phase's events through but its own start and summary, collecting the final
 * metrics; false when it was cancelled.
 */
async function* phase(
  events: AsyncGenerator<ExperimentEvent, ExperimentSummary | null>,
  into: RunMetrics[],
): AsyncGenerator<ExperimentEvent, boolean> {
  for await (const event of events) {
    if (event.type === 'experiment-start' || event.type === 'summary') continue;
    if (event.type === 'end') into.push(event.metrics);
    yield event;
    if (event.type === 'cancelled') return false;
  }
  return true;
}
