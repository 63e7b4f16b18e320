import { aggregateRuns } from '../metrics/aggregate.js';
import type { ExperimentSpec } from '../spec/schema.js';
import type { ExperimentSummary, RunMetrics } from './events.js';
import { describeTask } from './describe.js';

/**
 * The summary of an experiment from its runs' final metrics (in unit order) and its timing.
 * One place: the sequential runner, the worker pool and `optlab merge` all build it here, so a
 * summary does not depend on how its runs were scheduled.
 */
export function summarize(
  spec: ExperimentSpec,
  metrics: readonly RunMetrics[],
  timing: { readonly startedAt: string; readonly wallTimeMs: number },
): ExperimentSummary {
  return {
    experiment: spec.name,
    task: describeTask(spec),
    targetLoss: spec.training.targetLoss ?? null,
    status: metrics.some((m) => m.status === 'diverged') ? 'diverged' : 'done',
    startedAt: timing.startedAt,
    wallTimeMs: timing.wallTimeMs,
    runs: [...metrics],
    aggregates: aggregateRuns(metrics),
  };
}
