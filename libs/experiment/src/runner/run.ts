import { aggregateRuns } from '../metrics/aggregate.js';
import { optionsOf } from '../spec/options-check.js';
import type { ExperimentSpec, RunSpec } from '../spec/schema.js';
import { BackendPool, createBackend, type BackendFactory } from './backends.js';
import { DEFAULT_BOUNDARY_SIZE } from './boundary.js';
import { DataTask } from './data-task.js';
import type { ExperimentEvent, ExperimentSummary, RunMetrics } from './events.js';
import { FunctionTask } from './function-task.js';
import { prepareTask } from './prepared-task.js';
import { Cancelled, trainRun } from './train-loop.js';
import type { TrainingTask } from './training-task.js';

export interface RunnerOptions {
  /** Stops the experiment: the run in progress ends with a `cancelled` event. */
  readonly signal?: AbortSignal;
  /** How backends are made (tests inject one); default `createBackend`. */
  readonly backendFactory?: BackendFactory;
  /**
   * Milliseconds clock; default `performance.now`. A consumer that pauses the run (by not pulling
   * events) passes a `PausableClock`'s `now` so that paused time is not counted as training time.
   */
  readonly now?: () => number;
  /**
   * Emit `boundary` events (the decision boundary on a `size` × `size` grid, default 48) for
   * classification tasks with exactly two features. Off by default: the CLI's metrics files and
   * timings stay as they are; the lab asks for it.
   */
  readonly decisionBoundary?: { readonly size?: number };
  /** Longest stretch of computing between two yields to the event loop, in ms. Default 50. */
  readonly yieldEveryMs?: number;
  /**
   * Emit a `closure` event for every evaluation of a closure optimizer (LBFGS's line search,
   * SAM's two points) on function tasks, with the point: what the lab's Paths view draws. Off
   * by default.
   */
  readonly closureEvaluations?: boolean;
}

/** The seeds of a run: `seeds`, or `[seed]`, or `[0]`. */
export function seedsOf(run: RunSpec): number[] {
  return run.seeds ?? [run.seed ?? 0];
}

/**
 * Runs every (run, seed) of a validated spec one after the other and yields their events as they
 * happen. It uses no Node API: the CLI drives it in Node and the lab in a Web Worker.
 *
 * Fairness: the dataset (and its split) is prepared once for the whole spec; the initial
 * weights and the data order come from the seed alone, so runs with the same seed start from
 * the same weights and see the same minibatches, on every backend.
 *
 * Divergence: a loss or parameter that becomes NaN/±Inf, or a loss above 10⁶ × max(|initial
 * loss|, 1) (`divergence.ts`), ends that run with `diverged` at the step where it was seen (the
 * CPU backends check every step; a GPU backend, where reading back stalls, at each evaluation);
 * the other runs go on.
 *
 * Each (run, seed) is one `trainRun` (`train-loop.ts`) over a `FunctionTask` or a `DataTask`;
 * the run releases what it made in its own `finally`, the experiment its data and backends.
 */
export async function* runExperiment(
  spec: ExperimentSpec,
  options: RunnerOptions = {},
): AsyncGenerator<ExperimentEvent, ExperimentSummary | null> {
  const now = options.now ?? (() => performance.now());
  const pool = new BackendPool(options.backendFactory ?? createBackend);
  const started = now();
  const startedAt = new Date().toISOString();
  const prepared = await prepareTask(spec);
  const metrics: RunMetrics[] = [];
  const pairs = spec.runs.flatMap((run, runIndex) =>
    seedsOf(run).map((seed) => ({ run, runIndex, seed })),
  );
  yield {
    type: 'experiment-start',
    experiment: spec.name,
    runs: spec.runs.map((r) => ({ name: r.name, seeds: seedsOf(r) })),
    total: pairs.length,
  };
  try {
    for (const { run, runIndex, seed } of pairs) {
      const t0 = now();
      if (options.signal?.aborted) {
        yield { type: 'cancelled', run: run.name, seed, step: 0 };
        return null;
      }
      const backend = await pool.get({ backend: run.backend, gpuMode: run.gpuMode });
      const task: TrainingTask =
        prepared.kind === 'function'
          ? new FunctionTask(backend, prepared, spec.training.steps ?? 0)
          : new DataTask(backend, spec, prepared, {
              run: run.name,
              seed,
              boundarySize: options.decisionBoundary
                ? (options.decisionBoundary.size ?? DEFAULT_BOUNDARY_SIZE)
                : null,
              batchSize: run.training?.batchSize,
              init: run.model?.init,
            });
      const events = trainRun(
        {
          spec,
          run,
          runIndex,
          seed,
          label: runLabel(run),
          backend,
          now,
          t0,
          signal: options.signal,
          yieldEveryMs: options.yieldEveryMs ?? 50,
          closureEvaluations: options.closureEvaluations,
        },
        task,
      );
      try {
        for await (const event of events) {
          if (event.type === 'end') metrics.push(event.metrics);
          yield event;
        }
      } catch (err) {
        if (err instanceof Cancelled) {
          yield { type: 'cancelled', run: run.name, seed, step: err.step };
          return null;
        }
        throw err;
      }
    }
  } finally {
    if (prepared.kind !== 'function') prepared.dispose();
    await pool.dispose();
  }
  const summary: ExperimentSummary = {
    experiment: spec.name,
    task: describeTask(spec),
    targetLoss: spec.training.targetLoss ?? null,
    status: metrics.some((m) => m.status === 'diverged') ? 'diverged' : 'done',
    startedAt,
    wallTimeMs: now() - started,
    runs: metrics,
    aggregates: aggregateRuns(metrics),
  };
  yield { type: 'summary', summary };
  return summary;
}

/** Runs a spec to the end and returns its summary (events are dropped). */
export async function runToSummary(
  spec: ExperimentSpec,
  options: RunnerOptions = {},
): Promise<{ summary: ExperimentSummary | null; events: ExperimentEvent[] }> {
  const events: ExperimentEvent[] = [];
  let summary: ExperimentSummary | null = null;
  for await (const e of runExperiment(spec, options)) {
    events.push(e);
    if (e.type === 'summary') summary = e.summary;
  }
  return { summary, events };
}

export function describeTask(spec: ExperimentSpec): string {
  const t = spec.task;
  if (t.kind === 'function') return `function ${t.function.type}`;
  return `${t.kind}: ${t.model.type} on ${t.dataset.type}`;
}

/** `Adam(lr=0.01) + StepLR(stepSize=10, gamma=0.5)`: what a run compares, in one line. */
export function runLabel(run: RunSpec): string {
  const show = (c: { type: string } & Record<string, unknown>) => {
    const args = Object.entries(optionsOf(c)).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    return args.length > 0 ? `${c.type}(${args.join(', ')})` : c.type;
  };
  let optimizer = show(run.optimizer);
  if (run.fallback)
    optimizer += ` | ${show({ type: run.fallback.type ?? 'AdamW', ...run.fallback })}`;
  if (run.paramGroups) optimizer += ` [${run.paramGroups.length} paramGroups]`;
  if (run.lookahead) optimizer = `Lookahead(${optimizer}${lookaheadArgs(run.lookahead)})`;
  const parts = [optimizer];
  if (run.clipGradValue) parts.push(`clipGradValue(${run.clipGradValue.clipValue})`);
  if (run.clipGradNorm) {
    const n = run.clipGradNorm.normType;
    parts.push(`clipGradNorm(${run.clipGradNorm.maxNorm}${n === undefined ? '' : `, ${n}`})`);
  }
  if (run.schedule) parts.push(show(run.schedule));
  return parts.join(' + ');
}

function lookaheadArgs(l: NonNullable<RunSpec['lookahead']>): string {
  const args = Object.entries(l).filter(([, v]) => v !== undefined);
  return args.map(([k, v]) => `, ${k}=${v}`).join('');
}
