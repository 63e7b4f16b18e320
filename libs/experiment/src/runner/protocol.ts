import { aggregateRuns } from '../metrics/aggregate.js';
import { analyzeComparison, selectBest } from '../protocol/analysis.js';
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
  const expansion = expandSweeps(spec);
  const protocol = resolveProtocol(spec);
  const tuneSeeds = protocol.tuneSeeds;
  const tuneSpec = specOfConfigurations(
    spec,
    expansion.configurations,
    () => tuneSeeds ?? undefined,
  );
  yield {
    type: 'experiment-start',
    experiment: spec.name,
    runs: tuneSpec.runs.map((r) => ({ name: r.name, seeds: ownSeeds(r) })),
    total: trainingsOf(spec),
  };
  const tune: RunMetrics[] = [];
  const tuned = yield* phase(execute(tuneSpec, options), tune);
  if (!tuned) return null;
  const rerun: RunMetrics[] = [];
  if (protocol.rerunSeeds.length > 0) {
    const winners: Configuration[] = expansion.groups.map(
      (g) => g.configurations[selectBest(g, tune, protocol).index],
    );
    const rerunSpec = specOfConfigurations(spec, winners, () => protocol.rerunSeeds);
    const done = yield* phase(execute(rerunSpec, options), rerun);
    if (!done) return null;
  }
  const metrics = [...tune, ...rerun];
  const summary: ExperimentSummary = {
    experiment: spec.name,
    task: describeTask(spec),
    targetLoss: spec.training.targetLoss ?? null,
    status: metrics.some((m) => m.status === 'diverged') ? 'diverged' : 'done',
    startedAt,
    wallTimeMs: now() - started,
    runs: metrics,
    aggregates: aggregateRuns(metrics),
    analysis: analyzeComparison(expansion, protocol, tune, rerun),
  };
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
