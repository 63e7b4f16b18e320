/**
 * The benchmark view's work list and rows. A benchmark runs its (experiment, run) pairs ONE AT A
 * TIME, unlike the compare view: wall times measured while other runs share the CPU would say
 * more about the scheduler than about the optimizers. Each pair trains in a worker through the
 * runner; with several seeds the row shows the runner's median and spread.
 */
import type { RunAggregate, RunMetrics } from '@optlab/experiment';
import { isRecord } from './draft.js';

export interface BenchmarkJob {
  readonly experiment: string;
  readonly spec: Record<string, unknown>;
  readonly runIndex: number;
  readonly run: string;
  readonly optimizer: string;
  readonly backend: string;
}

export interface Spread {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface BenchmarkRow extends BenchmarkJob {
  status: 'queued' | 'running' | 'done' | 'diverged' | 'stopped' | 'error';
  device?: string;
  error?: string;
  finalLoss?: number | Spread;
  bestLoss?: number | Spread;
  seconds?: number | Spread;
  stepsPerSecond?: number | Spread;
  epochsToConverge?: number | Spread;
}

/** The experiments of a suite document, or the document itself when it is one experiment. */
export function experimentsOf(document: Record<string, unknown>): Record<string, unknown>[] {
  if (Array.isArray(document['experiments'])) return document['experiments'].filter(isRecord);
  return [document];
}

/**
 * One job per (experiment, run); with `alsoGpu`, each CPU run gets a GPU twin (same spec and
 * seed) so CPU and GPU times of the same workload sit side by side.
 */
export function benchmarkJobs(
  document: Record<string, unknown>,
  alsoGpu: string | null,
): BenchmarkJob[] {
  const jobs: BenchmarkJob[] = [];
  for (const original of experimentsOf(document)) {
    const runs = (Array.isArray(original['runs']) ? original['runs'] : []).filter(isRecord);
    const twins = alsoGpu
      ? runs
          .filter((r) => r['backend'] !== 'gpu')
          .map((r): Record<string, unknown> => ({
            ...r,
            name: `${String(r['name'])} (gpu ${alsoGpu})`,
            backend: 'gpu',
            gpuMode: alsoGpu,
          }))
      : [];
    const spec = { ...original, runs: [...runs, ...twins] };
    spec.runs.forEach((run: Record<string, unknown>, runIndex) => {
      const config = run['optimizer'];
      const optimizer = isRecord(config) ? String(config['type']) : '?';
      jobs.push({
        experiment: String(original['name'] ?? 'experiment'),
        spec,
        runIndex,
        run: String(run['name']),
        optimizer,
        backend:
          run['backend'] === 'gpu'
            ? `gpu ${String(run['gpuMode'] ?? '')}`.trim()
            : String(run['backend'] ?? 'cpu'),
      });
    });
  }
  return jobs;
}

/** The numbers a row shows, as the runner reports them for one seed and over the seeds. */
type RowMetric = 'finalLoss' | 'bestLoss' | 'wallTimeMs' | 'stepsPerSecond' | 'epochsToConverge';

function spreadOrNumber(
  aggregate: RunAggregate[RowMetric] | undefined,
  metric: number | undefined,
  scale = 1,
): number | Spread | undefined {
  if (aggregate && aggregate.n > 1) {
    const s = aggregate;
    return { n: s.n, median: s.median * scale, min: s.min * scale, max: s.max * scale };
  }
  return metric === undefined ? undefined : metric * scale;
}

/** Fills a row from the worker's `finished` message (RunMetrics and, with seeds, RunAggregate). */
export function finishRow(
  row: BenchmarkRow,
  metrics: Pick<RunMetrics, RowMetric> | undefined,
  aggregate: Partial<Pick<RunAggregate, RowMetric>> | undefined,
): BenchmarkRow {
  const a = aggregate ?? {};
  return {
    ...row,
    finalLoss: spreadOrNumber(a.finalLoss, metrics?.finalLoss),
    bestLoss: spreadOrNumber(a.bestLoss, metrics?.bestLoss),
    seconds: spreadOrNumber(a.wallTimeMs, metrics?.wallTimeMs, 1 / 1000),
    stepsPerSecond: spreadOrNumber(a.stepsPerSecond, metrics?.stepsPerSecond),
    epochsToConverge: spreadOrNumber(a.epochsToConverge, metrics?.epochsToConverge),
  };
}

/** A plain number (median for a spread), for sorting and bars. */
export function centre(value: number | Spread | undefined): number {
  if (value === undefined) return NaN;
  return typeof value === 'number' ? value : value.median;
}
