/**
 * Sweeps and the tuning protocol in the lab: the same `runComparison` the CLI runs (sweeps
 * expanded by `expandSweeps`, tune then rerun the best), with each phase's trainings handed to
 * run workers — one worker per configuration, at most `concurrency` at a time. The workers run
 * `runExperiment` on their configuration alone, so the numbers are the CLI's.
 */
import {
  runComparison,
  type ComparisonTiming,
  type ExperimentEvent,
  type ExperimentSpec,
  type ExperimentSummary,
  type PhaseExecutor,
  type RunMetrics,
} from '@optlab/experiment';
import type { FromWorker, ToWorker } from './worker-protocol.js';
import type { WorkerFactory } from './lab.svelte.js';

/** A spec the lab runs as a comparison: some run sweeps, or the spec states a protocol. */
export function isSweepSpec(spec: Record<string, unknown>): boolean {
  const runs = Array.isArray(spec['runs']) ? (spec['runs'] as unknown[]) : [];
  return (
    spec['protocol'] !== undefined ||
    runs.some((r) => typeof r === 'object' && r !== null && 'sweep' in r)
  );
}

export interface SweepProgress {
  /** Trainings (configuration × seed) finished, of `total` over both phases. */
  readonly done: number;
  readonly total: number;
}

/**
 * Runs one phase's runs on workers; yields an `end` event per (configuration, seed) as each
 * worker finishes (what `runComparison` collects), and `cancelled` when `signal` aborts (every
 * worker is terminated). A worker's error fails the phase with its message.
 */
export function workerExecutor(
  startWorker: WorkerFactory,
  concurrency: number,
  signal: AbortSignal,
): PhaseExecutor {
  return async function* execute(
    spec: ExperimentSpec,
  ): AsyncGenerator<ExperimentEvent, ExperimentSummary | null> {
    // A phase's runs carry their seeds; the worker validates the spec again, and the schema
    // refuses run seeds beside a protocol, which has done its part once the phase exists.
    const { protocol: _protocol, ...plain } = spec;
    const waiting = spec.runs.map((_, i) => i);
    const ready: ExperimentEvent[] = [];
    const live = new Set<ReturnType<WorkerFactory>>();
    let failure: string | null = null;
    let wake: (() => void) | null = null;
    const notify = () => {
      wake?.();
      wake = null;
    };
    const abort = () => notify();
    signal.addEventListener('abort', abort);
    const release = (worker: ReturnType<WorkerFactory>) => {
      worker.terminate();
      live.delete(worker);
      notify();
    };
    const launch = (runIndex: number) => {
      const worker = startWorker();
      live.add(worker);
      worker.onmessage = (event: MessageEvent<FromWorker>) => {
        const m = event.data;
        if (m.type === 'finished') {
          for (const metrics of m.seeds ?? []) {
            ready.push({ type: 'end', run: metrics.run, seed: metrics.seed, metrics });
          }
          if (m.status === 'stopped') failure ??= `${spec.runs[runIndex].name} stopped`;
          release(worker);
        } else if (m.type === 'error') {
          failure ??= `${spec.runs[runIndex].name}: ${m.message}`;
          release(worker);
        }
      };
      worker.onerror = (event: ErrorEvent) => {
        failure ??= `${spec.runs[runIndex].name}: ${event.message || 'the run worker failed'}`;
        release(worker);
      };
      worker.postMessage({
        type: 'start',
        spec: plain as unknown as Record<string, unknown>,
        runIndex,
        boundary: false,
      } satisfies ToWorker);
    };
    try {
      for (;;) {
        if (signal.aborted) {
          yield { type: 'cancelled', run: null, seed: null, step: null };
          return null;
        }
        if (failure !== null) throw new Error(failure);
        while (live.size < concurrency && waiting.length > 0) launch(waiting.shift()!);
        const next = ready.shift();
        if (next) {
          yield next;
          continue;
        }
        if (live.size === 0 && waiting.length === 0) return null;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      signal.removeEventListener('abort', abort);
      for (const worker of live) worker.terminate();
    }
  };
}

/**
 * `runComparison`'s summary computed by a worker (`summarize`): the analysis bootstraps every
 * configuration's metrics, about 2 s of a 100 × 5 sweep (4 s on a busy machine) that on the
 * page's thread was one frozen frame after the last training. Rejects on the worker's error, or
 * when `signal` aborts (the worker is terminated).
 */
export function workerSummarizer(startWorker: WorkerFactory, signal: AbortSignal) {
  return (
    spec: ExperimentSpec,
    tune: readonly RunMetrics[],
    rerun: readonly RunMetrics[],
    timing: ComparisonTiming,
  ): Promise<ExperimentSummary> =>
    new Promise((resolve, reject) => {
      const worker = startWorker();
      const done = () => {
        signal.removeEventListener('abort', abort);
        worker.terminate();
      };
      const abort = () => {
        done();
        reject(new Error('stopped'));
      };
      if (signal.aborted) return abort();
      signal.addEventListener('abort', abort);
      worker.onmessage = (event: MessageEvent<FromWorker>) => {
        const m = event.data;
        if (m.type === 'summary') {
          done();
          resolve(m.summary);
        } else if (m.type === 'error') {
          done();
          reject(new Error(`the comparison's analysis failed: ${m.message}`));
        }
      };
      worker.onerror = (event: ErrorEvent) => {
        done();
        reject(
          new Error(`the comparison's analysis failed: ${event.message || 'its worker failed'}`),
        );
      };
      worker.postMessage({
        type: 'summarize',
        spec: spec as unknown as Record<string, unknown>,
        tune,
        rerun,
        timing,
      } satisfies ToWorker);
    });
}

/**
 * The comparison of `spec` on workers: progress as trainings finish, the summary (with its
 * `analysis`) at the end, or null when cancelled.
 */
export async function runSweep(
  spec: ExperimentSpec,
  startWorker: WorkerFactory,
  options: {
    concurrency: number;
    signal: AbortSignal;
    onProgress: (progress: SweepProgress) => void;
  },
): Promise<ExperimentSummary | null> {
  const execute = workerExecutor(startWorker, Math.max(1, options.concurrency), options.signal);
  let total = 0;
  let done = 0;
  const summarize = workerSummarizer(startWorker, options.signal);
  try {
    for await (const event of runComparison(spec, { execute, summarize })) {
      if (event.type === 'experiment-start') total = event.total;
      if (event.type === 'end') {
        done += 1;
        options.onProgress({ done, total });
      }
      if (event.type === 'summary') return event.summary;
      if (event.type === 'cancelled') return null;
    }
  } catch (error) {
    // Stopped while the analysis was computed: cancelled, like a stop during training.
    if (options.signal.aborted) return null;
    throw error;
  }
  return null;
}
