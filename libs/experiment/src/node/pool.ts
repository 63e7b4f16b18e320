import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ExperimentEvent, ExperimentSummary, RunMetrics } from '../runner/events.js';
import { experimentStart, selectUnits } from '../runner/run.js';
import { summarize } from '../runner/summary.js';
import type { ExperimentSpec } from '../spec/schema.js';
import { EventSpool } from './event-spool.js';
import type { FromWorker, PoolWorkerData, ToWorker } from './pool-messages.js';

/** How a pool trains: the same for every experiment it runs. */
export interface PoolSettings {
  /** Worker threads at most (one unit each at a time); default: the available cores. */
  readonly jobs?: number;
  /** Give every run its untimed warm-up (`WARM_UP`); default true. */
  readonly warmUp?: boolean;
  /** Longest stretch of computing between two yields to a worker's event loop, in ms. */
  readonly yieldEveryMs?: number;
  /** Bytes of a waiting unit's events kept in memory before they go to a temporary file. */
  readonly spoolMemoryBytes?: number;
}

/** What one experiment on a pool trains. */
export interface PoolRunOptions {
  /** Train only these units (`unitsOf` positions, in this order); default every unit. */
  readonly units?: readonly number[];
  /** Stops the experiment: the run whose turn it is ends with a `cancelled` event. */
  readonly signal?: AbortSignal;
}

export interface PoolOptions extends PoolSettings, PoolRunOptions {}

/** The pool's default size: the cores Node says this process may use. */
export function defaultJobs(): number {
  return availableParallelism();
}

/** An error inside a worker (a bug, or a backend that failed), with the unit it happened in. */
export class PoolError extends Error {
  constructor(message: string, workerStack?: string) {
    super(message);
    this.name = 'PoolError';
    if (workerStack) this.stack = `${this.name}: ${message}\n  in the worker: ${workerStack}`;
  }
}

/**
 * Node-only: `runExperiment` on a pool of worker threads that is made for this experiment and
 * closed after it (`ExperimentPool` for several experiments on one pool).
 */
export async function* runExperimentInPool(
  spec: ExperimentSpec,
  options: PoolOptions = {},
): AsyncGenerator<ExperimentEvent, ExperimentSummary | null> {
  const pool = new ExperimentPool(options);
  try {
    return yield* pool.run(spec, options);
  } finally {
    await pool.close();
  }
}

/**
 * Node-only: a pool of worker threads that trains experiments, one after the other. Its threads
 * are started when first needed and live until `close`, so the experiments after the first — a
 * comparison's rerun phase after its tuning phase — pay no thread start-up, no module loading and
 * no first-run JIT warm-up again (JIT state is per thread). Measured on
 * examples/tuned-comparison.json (then 35 + 25 runs, 2 threads): a fresh pool per phase spent about
 * 1.2 s of CPU per thread and phase before its first timed step.
 *
 * `run` behaves as `runExperiment`. Up to `jobs` units train at once, each worker taking the
 * next unit in the experiment's order when it is free; every unit gets its untimed warm-up in its
 * worker before its clock starts. The events come out exactly as `runExperiment` gives them: the
 * same events in the same order (unit by unit, in `unitsOf` order), so the result files do not
 * depend on scheduling. The unit whose turn it is streams live; a unit that runs ahead waits in
 * an `EventSpool` (memory, then a temporary file) until its turn. Results are bit for bit those
 * of the sequential runner — each unit's numbers depend on its spec and seed alone — and only
 * timing fields differ: `elapsedMs`, `wallTimeMs`, `stepsPerSecond`, target times, and
 * `concurrentRuns`, which here counts the units in progress (warm-ups included) while each one
 * was timed.
 *
 * Cancelling (`signal`) stops the experiment's units in every worker; the run whose turn it was
 * ends with `cancelled` at its step, the units that ran ahead are dropped, and no summary comes,
 * as in `runExperiment`. Experiments run one at a time: `run` refuses a second while one is on.
 */
export class ExperimentPool {
  readonly #settings: PoolSettings;
  readonly #workers: Worker[] = [];
  readonly #inbox = new Inbox();
  #job = 0;
  #busy = false;
  #closed = false;

  constructor(settings: PoolSettings = {}) {
    this.#settings = settings;
  }

  /** Worker threads started so far (they are started when an experiment first needs them). */
  get threads(): number {
    return this.#workers.length;
  }

  async *run(
    spec: ExperimentSpec,
    options: PoolRunOptions = {},
  ): AsyncGenerator<ExperimentEvent, ExperimentSummary | null> {
    if (this.#closed) throw new PoolError('the pool is closed');
    if (this.#busy) throw new PoolError('the pool is already running an experiment');
    this.#busy = true;
    const job = ++this.#job;
    const started = performance.now();
    const startedAt = new Date().toISOString();
    const units = selectUnits(spec, options.units);
    const size = Math.max(1, Math.min(this.#settings.jobs ?? defaultJobs(), units.length));
    while (this.#workers.length < size) this.#start();
    const workers = this.#workers.slice(0, size);
    for (const worker of workers) post(worker, { type: 'spec', job, spec });
    const spools = units.map(() => new EventSpool(this.#settings.spoolMemoryBytes));
    const finished = units.map(() => false);
    /** The step where each cancelled unit stopped. */
    const cancelledAt: (number | undefined)[] = units.map(() => undefined);
    const metrics: (RunMetrics | null)[] = units.map(() => null);
    const timing = new ConcurrencyTracker(units.length);
    const positionOf = new Map(units.map((u, p) => [u.index, p]));
    let next = 0;
    let head = 0;
    let cancelling = false;
    const handOut = (w: number) => {
      if (cancelling || next >= units.length) return;
      const p = next++;
      timing.assigned(p);
      post(workers[w], { type: 'run', job, unit: units[p].index });
    };
    const cancel = () => {
      if (cancelling) return;
      cancelling = true;
      for (const worker of workers) post(worker, { type: 'cancel', job });
    };
    options.signal?.addEventListener('abort', cancel, { once: true });
    try {
      yield experimentStart(spec, units);
      if (options.signal?.aborted) cancel();
      workers.forEach((_, w) => handOut(w));
      while (head < units.length) {
        const { worker: w, message } = await this.#inbox.next();
        // A unit of an earlier, cancelled experiment that was still finishing: not this one's.
        if (message.job !== job) continue;
        const p = positionOf.get(message.unit)!;
        const unit = units[p];
        switch (message.type) {
          case 'failed':
            throw new PoolError(
              `run "${unit.run}" (seed ${unit.seed}) failed in a worker: ${message.message}`,
              message.stack,
            );
          case 'events':
            for (const raw of message.events) {
              const event = timing.observe(p, raw);
              if (event.type === 'end') metrics[p] = event.metrics;
              if (p === head) yield event;
              else spools[p].push(event);
            }
            break;
          case 'cancelled':
            cancelledAt[p] = message.step;
            timing.finished();
            break;
          case 'done':
            finished[p] = true;
            timing.finished();
            handOut(w);
            break;
        }
        // The head moves past every finished unit, giving out what they kept meanwhile.
        while (head < units.length && finished[head]) {
          head++;
          if (head < units.length) yield* spools[head].drain();
        }
        if (head === units.length) break;
        const stoppedAt = cancelledAt[head] ?? (cancelling && !timing.isAssigned(head) ? 0 : null);
        if (stoppedAt !== null) {
          // The unit whose turn it is was cancelled (or never started): the experiment stops there.
          const u = units[head];
          yield { type: 'cancelled', run: u.run, seed: u.seed, step: stoppedAt };
          return null;
        }
      }
    } finally {
      options.signal?.removeEventListener('abort', cancel);
      // Stopped early (cancelled, failed, or the caller stopped reading): the workers drop the rest.
      if (head < units.length) cancel();
      for (const spool of spools) spool.dispose();
      this.#busy = false;
    }
    const summary = summarize(spec, metrics as RunMetrics[], {
      startedAt,
      wallTimeMs: performance.now() - started,
    });
    yield { type: 'summary', summary };
    return summary;
  }

  /** Stops every worker thread; the pool cannot run experiments afterwards. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#inbox.close();
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }

  #start(): void {
    const worker = startWorker({
      warmUp: this.#settings.warmUp ?? true,
      yieldEveryMs: this.#settings.yieldEveryMs,
    });
    this.#inbox.listen(worker, this.#workers.length);
    this.#workers.push(worker);
  }
}

function post(worker: Worker, message: ToWorker): void {
  worker.postMessage(message);
}

/**
 * The worker's entry and how to load it. Built (dist/): `pool-worker.js` beside this file, with
 * the process's own Node options. From the TypeScript sources (vitest, or node with the source
 * loader): `pool-worker.ts`, loaded through tools/source-loader with the `@optlab/source`
 * condition, which only exists in the repository — exactly where sources are run.
 */
function startWorker(data: PoolWorkerData): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return new Worker(new URL('./pool-worker.ts', here), {
      workerData: data,
      execArgv: [
        '--conditions=@optlab/source',
        '--import',
        new URL('../../../../tools/source-loader/register.mjs', here).href,
      ],
    });
  }
  return new Worker(new URL('./pool-worker.js', here), { workerData: data });
}

/** Messages from every worker, one at a time, in arrival order; a worker's crash is an error. */
class Inbox {
  #queue: { worker: number; message: FromWorker }[] = [];
  #failure: Error | null = null;
  #wake: (() => void) | null = null;
  #closed = false;

  listen(worker: Worker, w: number): void {
    worker.on('message', (message: FromWorker) => this.#put({ worker: w, message }));
    worker.on('error', (err: Error) =>
      this.#fail(new PoolError(`a worker thread failed: ${err.message}`, err.stack)),
    );
    worker.on('exit', (code) => {
      if (!this.#closed) this.#fail(new PoolError(`a worker thread exited (code ${code})`));
    });
  }

  async next(): Promise<{ worker: number; message: FromWorker }> {
    for (;;) {
      const item = this.#queue.shift();
      if (item) return item;
      if (this.#failure) throw this.#failure;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  close(): void {
    this.#closed = true;
  }

  #put(item: { worker: number; message: FromWorker }): void {
    this.#queue.push(item);
    this.#wake?.();
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#wake?.();
  }
}

/**
 * How many units were in progress while each one was timed. A unit is in progress from the
 * moment it is handed to a worker (its warm-up shares the machine too) until its worker is done;
 * it is timed from its `start` event to its `end` event. `concurrentRuns` of a unit is the
 * largest number in progress at any moment of its timing, itself included.
 */
class ConcurrencyTracker {
  #inProgress = 0;
  readonly #assigned: boolean[];
  readonly #timed = new Set<number>();
  readonly #most: number[];

  constructor(units: number) {
    this.#assigned = new Array<boolean>(units).fill(false);
    this.#most = new Array<number>(units).fill(0);
  }

  isAssigned(p: number): boolean {
    return this.#assigned[p];
  }

  assigned(p: number): void {
    this.#assigned[p] = true;
    this.#inProgress++;
    for (const t of this.#timed) this.#most[t] = Math.max(this.#most[t], this.#inProgress);
  }

  finished(): void {
    this.#inProgress--;
  }

  /** The event as the pool gives it out: an `end` gets the unit's `concurrentRuns`. */
  observe(p: number, event: ExperimentEvent): ExperimentEvent {
    if (event.type === 'start') {
      this.#timed.add(p);
      this.#most[p] = this.#inProgress;
    } else if (event.type === 'end') {
      this.#timed.delete(p);
      return { ...event, metrics: { ...event.metrics, concurrentRuns: this.#most[p] } };
    }
    return event;
  }
}
