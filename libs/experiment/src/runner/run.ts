import type { ExperimentSpec } from '../spec/schema.js';
import type { BackendFactory } from './backends.js';
import type { ExperimentEvent, ExperimentSummary, RunMetrics } from './events.js';
import { summarize } from './summary.js';
import { Cancelled } from './train-loop.js';
import { UnitRunner } from './unit-runner.js';
import { seedsOf, unitsOf, type RunUnit } from './units.js';

export { describeTask, runLabel } from './describe.js';
export { seedsOf } from './units.js';

/** Where a run is, between its events (`RunnerOptions.onProgress`). */
export interface RunProgress {
  readonly run: string;
  readonly seed: number;
  /** Updates done. */
  readonly step: number;
  readonly elapsedMs: number;
}

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
  /**
   * Emit a `classification-report` event (confusion matrix on the test split, and up to `samples`
   * misclassified rows, default 24, with their pixels where rows are images) at the end of every
   * classification run that did not diverge. Off by default; the lab asks for it.
   */
  readonly classificationReport?: { readonly samples?: number };
  /**
   * Told the run's updates so far and its time at every yield to the event loop (about every
   * `yieldEveryMs`), between events too: a long epoch of a dataset task has no event until its
   * evaluation, and a progress bar needs to move meanwhile. Not called during warm-ups.
   */
  readonly onProgress?: (progress: RunProgress) => void;
  /** Longest stretch of computing between two yields to the event loop, in ms. Default 50. */
  readonly yieldEveryMs?: number;
  /**
   * Emit a `closure` event for every evaluation of a closure optimizer (LBFGS's line search,
   * SAM's two points) on function tasks, with the point: what the lab's Paths view draws. Off
   * by default.
   */
  readonly closureEvaluations?: boolean;

  /**
   * Train only these units (`unitsOf(spec)` positions, in this order): a shard, or the units a
   * pool worker is handed. Default: every unit. The summary covers the units trained.
   */
  readonly units?: readonly number[];
  /** Give every run its untimed warm-up before its clock starts (`WARM_UP`); default true. */
  readonly warmUp?: boolean;
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
 * Each (run, seed) is a unit (`units.ts`) trained by a `UnitRunner` (`unit-runner.ts`): an
 * untimed warm-up, then one `trainRun` (`train-loop.ts`) over a `FunctionTask` or a `DataTask`;
 * the run releases what it made in its own `finally`, the experiment its data and backends.
 * `options.units` trains a subset (a shard); the worker pool of `@optlab/experiment/node` runs
 * units side by side and gives back the same events in this same order.
 */
export async function* runExperiment(
  spec: ExperimentSpec,
  options: RunnerOptions = {},
): AsyncGenerator<ExperimentEvent, ExperimentSummary | null> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const startedAt = new Date().toISOString();
  const units = selectUnits(spec, options.units);
  const runner = await UnitRunner.create(spec, options);
  const metrics: RunMetrics[] = [];
  yield experimentStart(spec, units);
  try {
    for (const unit of units) {
      if (options.signal?.aborted) {
        yield { type: 'cancelled', run: unit.run, seed: unit.seed, step: 0 };
        return null;
      }
      try {
        for await (const event of runner.run(unit, options.signal)) {
          if (event.type === 'end') metrics.push(event.metrics);
          yield event;
        }
      } catch (err) {
        if (err instanceof Cancelled) {
          yield { type: 'cancelled', run: unit.run, seed: unit.seed, step: err.step };
          return null;
        }
        throw err;
      }
    }
  } finally {
    await runner.dispose();
  }
  const summary = summarize(spec, metrics, { startedAt, wallTimeMs: now() - started });
  yield { type: 'summary', summary };
  return summary;
}

/** The units `indices` names (every unit by default); a position out of range is a bug. */
export function selectUnits(spec: ExperimentSpec, indices?: readonly number[]): RunUnit[] {
  const all = unitsOf(spec);
  if (!indices) return all;
  return indices.map((i) => {
    const unit = all[i];
    if (!unit) throw new RangeError(`unit ${i} does not exist: the spec has ${all.length} units`);
    return unit;
  });
}

/** The first event of an experiment: its runs and seeds, and how many units train here. */
export function experimentStart(spec: ExperimentSpec, units: readonly RunUnit[]): ExperimentEvent {
  return {
    type: 'experiment-start',
    experiment: spec.name,
    runs: spec.runs.map((r) => ({ name: r.name, seeds: seedsOf(r) })),
    total: units.length,
  };
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
