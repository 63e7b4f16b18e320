import type { Backend } from '@optlab/tensor';
import type { ExperimentSpec } from '../spec/schema.js';
import { BackendPool, createBackend, type BackendFactory } from './backends.js';
import { DEFAULT_BOUNDARY_SIZE } from './boundary.js';
import { DEFAULT_REPORT_SAMPLES } from './classification-report.js';
import { DataTask } from './data-task.js';
import { describeTask, runLabel } from './describe.js';
import type { ExperimentEvent } from './events.js';
import type { RunnerOptions } from './run.js';
import { FunctionTask } from './function-task.js';
import { prepareTask, type PreparedTask } from './prepared-task.js';
import { Cancelled, trainRun, type RunSetup } from './train-loop.js';
import type { TrainingTask } from './training-task.js';
import type { RunUnit } from './units.js';

export interface UnitRunnerOptions {
  /** How backends are made (tests inject one); default `createBackend`. */
  readonly backendFactory?: BackendFactory;
  /** Milliseconds clock for the runs' times; default `performance.now`. */
  readonly now?: () => number;
  /** Emit `boundary` events on a `size` × `size` grid (see `RunnerOptions.decisionBoundary`). */
  readonly decisionBoundary?: { readonly size?: number };
  /** Told the updates so far between events (see `RunnerOptions.onProgress`). */
  readonly onProgress?: RunnerOptions['onProgress'];
  /** Emit `classification-report` events (see `RunnerOptions.classificationReport`). */
  readonly classificationReport?: { readonly samples?: number };
  /** Longest stretch of computing between two yields to the event loop, in ms. Default 50. */
  readonly yieldEveryMs?: number;
  /** Give every run its untimed warm-up (`WARM_UP`); default true. */
  readonly warmUp?: boolean;
  /** Emit `closure` events for closure optimizers on function tasks (`RunnerOptions.closureEvaluations`). */
  readonly closureEvaluations?: boolean;
}

/**
 * The untimed warm-up every run gets before its wall clock starts: the same run (same task,
 * optimizer, schedule and seed) on a throwaway copy, whose events are dropped. Without it the
 * first run of a thread pays for JIT compilation (and a GPU backend for compiling its kernels)
 * inside its timing: four identical SGD runs took 799/393/383/345 ms. How long it trains:
 *
 * - `firstMs` of training for the first run in a thread, which compiles the model's and the
 *   backend's code. Measured on simple-nn with four identical SGD runs (CPU time per run, median
 *   of 6 processes, on a loaded 2-core machine): without a warm-up the first run cost 645 ms and
 *   the others about 440 ms (1.47×); after 250 ms of warm-up 540 ms (1.23×); after 500 ms
 *   495 ms (1.12×);
 * - `newProgramMs` for the first run of another program (backend, optimizer, schedule, task),
 *   whose model code is compiled by then but whose optimizer is not;
 * - `steps` updates for a program already run, to bring its buffers and caches back.
 *
 * A warm-up is measured in wall time, so on a busy machine it does less work. It changes no
 * result: it draws from no shared random stream and leaves nothing behind (its task and its
 * optimizer are disposed).
 */
export const WARM_UP = { firstMs: 500, newProgramMs: 150, steps: 3 } as const;

/** Programs warmed up in this thread (JIT state is per thread, so this is too). */
const warmedPrograms = new Set<string>();

/**
 * Trains single units of one experiment, any subset in any order: the data (or function) is
 * prepared once and each backend made once, and every unit gets its warm-up. The sequential
 * runner drives one over all units; a pool worker drives one over the units it is handed.
 */
export class UnitRunner {
  readonly #pool: BackendPool;
  readonly #now: () => number;

  private constructor(
    readonly spec: ExperimentSpec,
    private readonly prepared: PreparedTask,
    private readonly options: UnitRunnerOptions,
  ) {
    this.#pool = new BackendPool(options.backendFactory ?? createBackend);
    this.#now = options.now ?? (() => performance.now());
  }

  static async create(spec: ExperimentSpec, options: UnitRunnerOptions = {}): Promise<UnitRunner> {
    return new UnitRunner(spec, await prepareTask(spec), options);
  }

  /**
   * The events of one unit, `start` to `end`. Throws `Cancelled` (from `trainRun`) when `signal`
   * aborts during the run. The run's clock starts after its backend exists and its warm-up is
   * done.
   */
  async *run(unit: RunUnit, signal?: AbortSignal): AsyncGenerator<ExperimentEvent> {
    const run = this.spec.runs[unit.runIndex];
    const backend = await this.#pool.get({ backend: run.backend, gpuMode: run.gpuMode });
    if (this.options.warmUp ?? true) await this.#warmUp(unit, backend, signal);
    const now = this.#now;
    yield* trainRun(
      {
        spec: this.spec,
        run,
        runIndex: unit.runIndex,
        seed: unit.seed,
        label: runLabel(run),
        backend,
        now,
        t0: now(),
        signal,
        yieldEveryMs: this.options.yieldEveryMs ?? 50,
        closureEvaluations: this.options.closureEvaluations,
        ...(this.options.onProgress
          ? {
              onProgress: (step: number, elapsedMs: number) =>
                this.options.onProgress!({ run: unit.run, seed: unit.seed, step, elapsedMs }),
            }
          : {}),
      },
      this.#task(unit, backend, true),
    );
  }

  /** Throws `Cancelled` at step 0 (the run has made no update) when `signal` aborts. */
  async #warmUp(unit: RunUnit, backend: Backend, signal?: AbortSignal): Promise<void> {
    const run = this.spec.runs[unit.runIndex];
    const program = [
      run.backend,
      run.gpuMode ?? '',
      run.optimizer.type,
      run.schedule?.type ?? '',
      describeTask(this.spec),
    ].join('|');
    const budget = (ms: number) => ({ steps: Number.POSITIVE_INFINITY, ms });
    const stopAfter =
      warmedPrograms.size === 0
        ? budget(WARM_UP.firstMs)
        : !warmedPrograms.has(program)
          ? budget(WARM_UP.newProgramMs)
          : { steps: WARM_UP.steps, ms: Number.POSITIVE_INFINITY };
    const clock = () => performance.now();
    const setup: RunSetup = {
      spec: this.spec,
      run,
      runIndex: unit.runIndex,
      seed: unit.seed,
      label: runLabel(run),
      backend,
      now: clock,
      t0: clock(),
      signal,
      yieldEveryMs: this.options.yieldEveryMs ?? 50,
      stopAfter,
    };
    try {
      for await (const _event of trainRun(setup, this.#task(unit, backend, false))) {
        // A warm-up's events are not the run's: dropped.
      }
    } catch (err) {
      if (err instanceof Cancelled) throw new Cancelled(0);
      throw err;
    }
    warmedPrograms.add(program);
  }

  #task(unit: RunUnit, backend: Backend, withBoundary: boolean): TrainingTask {
    const { prepared, spec } = this;
    const run = spec.runs[unit.runIndex];
    const boundary = withBoundary ? this.options.decisionBoundary : undefined;
    return prepared.kind === 'function'
      ? new FunctionTask(backend, prepared, spec.training.steps ?? 0)
      : new DataTask(backend, spec, prepared, {
          run: unit.run,
          seed: unit.seed,
          boundarySize: boundary ? (boundary.size ?? DEFAULT_BOUNDARY_SIZE) : null,
          batchSize: run.training?.batchSize,
          init: run.model?.init,
          ...(withBoundary && this.options.classificationReport
            ? { reportSamples: this.options.classificationReport.samples ?? DEFAULT_REPORT_SAMPLES }
            : {}),
        });
  }

  /** Frees the prepared data and every backend. */
  async dispose(): Promise<void> {
    if (this.prepared.kind !== 'function') this.prepared.dispose();
    await this.#pool.dispose();
  }
}
