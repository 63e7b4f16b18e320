import type { ExperimentSummary, RunMetrics } from '../runner/events.js';

/**
 * The runs whose divergence is a failed result. An experiment reports every run, so all of its
 * diverged runs count. A comparison reports each run's chosen configuration on its reported seeds
 * (`analysis.groups[].reported`); a tuning configuration that diverged is part of the search — a
 * learning rate found too high, shown in the sensitivity table — and does not count, unless it is
 * the one reported (every configuration of its run diverged). A comparison's summary status, and so
 * the CLI's exit status 1, follow this (runner/protocol.ts `comparisonSummary`).
 */
export function divergedResults(summary: ExperimentSummary): RunMetrics[] {
  const diverged = summary.runs.filter((m) => m.status === 'diverged');
  const analysis = summary.analysis;
  if (!analysis) return diverged;
  const reported = new Map(analysis.groups.map((g) => [g.best, new Set(g.reported.seeds)]));
  return diverged.filter((m) => reported.get(m.run)?.has(m.seed) === true);
}

/** Diverged runs of a comparison's search that are not reported results (see above). */
export function divergedInSearch(summary: ExperimentSummary): RunMetrics[] {
  const failed = new Set(divergedResults(summary));
  return summary.runs.filter((m) => m.status === 'diverged' && !failed.has(m));
}
