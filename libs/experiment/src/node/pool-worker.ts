/**
 * Node-only: the entry of a worker thread of the experiment pool (`pool.ts`). For each job (a
 * spec) it prepares the spec's data once, then trains the units it is handed one at a time with a
 * `UnitRunner` (warm-up included) and posts their events back in small batches. The thread lives
 * as long as the pool, across jobs, so its JIT state does too: a comparison's second phase pays
 * no thread start-up, no module loading and no first-run warm-up again. Nothing here decides an
 * order: the pool does.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ExperimentEvent } from '../runner/events.js';
import { Cancelled } from '../runner/train-loop.js';
import { UnitRunner } from '../runner/unit-runner.js';
import { unitsOf, type RunUnit } from '../runner/units.js';
import type { FromWorker, PoolWorkerData, ToWorker } from './pool-messages.js';

/** Events per message at most, and the longest an event waits in a batch (ms). */
const BATCH_EVENTS = 256;
const BATCH_MS = 50;

interface Job {
  readonly id: number;
  readonly units: readonly RunUnit[];
  readonly runner: Promise<UnitRunner>;
  readonly controller: AbortController;
}

const port = parentPort;
if (!port) throw new Error('pool-worker: not started as a worker thread');
const data = workerData as PoolWorkerData;
const post = (message: FromWorker) => port.postMessage(message);
const jobs = new Map<number, Job>();
let queue: Promise<void> = Promise.resolve();

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'spec': {
      // One job at a time: a new spec means the earlier jobs are over (finished or cancelled).
      for (const old of jobs.values()) old.controller.abort();
      jobs.clear();
      const runner = UnitRunner.create(message.spec, {
        warmUp: data.warmUp,
        yieldEveryMs: data.yieldEveryMs,
      });
      // A failure to prepare is reported with the job's first unit, not as an unhandled rejection.
      runner.catch(() => {});
      jobs.set(message.job, {
        id: message.job,
        units: unitsOf(message.spec),
        runner,
        controller: new AbortController(),
      });
      break;
    }
    case 'cancel':
      jobs.get(message.job)?.controller.abort();
      break;
    case 'run': {
      const job = jobs.get(message.job);
      // Units run one after the other, in the order they were handed out.
      if (job) queue = queue.then(() => train(job, message.unit));
      break;
    }
  }
});

async function train(job: Job, index: number): Promise<void> {
  let batch: ExperimentEvent[] = [];
  let batchStarted = performance.now();
  const flush = () => {
    if (batch.length > 0) post({ type: 'events', job: job.id, unit: index, events: batch });
    batch = [];
    batchStarted = performance.now();
  };
  try {
    if (job.controller.signal.aborted) throw new Cancelled(0);
    const runner = await job.runner;
    for await (const event of runner.run(job.units[index], job.controller.signal)) {
      batch.push(event);
      // A run's start and end go at once: the pool times the runs in progress from them.
      const urgent = event.type === 'start' || event.type === 'end';
      if (urgent || batch.length >= BATCH_EVENTS || performance.now() - batchStarted >= BATCH_MS) {
        flush();
      }
    }
    flush();
    post({ type: 'done', job: job.id, unit: index });
  } catch (err) {
    flush();
    if (err instanceof Cancelled)
      post({ type: 'cancelled', job: job.id, unit: index, step: err.step });
    else {
      const e = err instanceof Error ? err : new Error(String(err));
      post({ type: 'failed', job: job.id, unit: index, message: e.message, stack: e.stack });
    }
  }
}
