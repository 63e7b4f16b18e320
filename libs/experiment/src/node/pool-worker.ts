/**
 * Node-only: the entry of a worker thread of the experiment pool (`pool.ts`). It prepares the
 * spec's data once, then trains the units it is handed one at a time with a `UnitRunner` (warm-up
 * included) and posts their events back in small batches. Nothing here decides an order: the
 * pool does.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ExperimentEvent } from '../runner/events.js';
import { Cancelled } from '../runner/train-loop.js';
import { UnitRunner } from '../runner/unit-runner.js';
import { unitsOf } from '../runner/units.js';
import type { FromWorker, PoolWorkerData, ToWorker } from './pool-messages.js';

/** Events per message at most, and the longest an event waits in a batch (ms). */
const BATCH_EVENTS = 256;
const BATCH_MS = 50;

const port = parentPort;
if (!port) throw new Error('pool-worker: not started as a worker thread');
const data = workerData as PoolWorkerData;
const units = unitsOf(data.spec);
const controller = new AbortController();
const runner = await UnitRunner.create(data.spec, {
  warmUp: data.warmUp,
  yieldEveryMs: data.yieldEveryMs,
});
const post = (message: FromWorker) => port.postMessage(message);
let queue: Promise<void> = Promise.resolve();

port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') controller.abort();
  // Units run one after the other, in the order they were handed out.
  else queue = queue.then(() => train(message.unit));
});

async function train(index: number): Promise<void> {
  let batch: ExperimentEvent[] = [];
  let batchStarted = performance.now();
  const flush = () => {
    if (batch.length > 0) post({ type: 'events', unit: index, events: batch });
    batch = [];
    batchStarted = performance.now();
  };
  try {
    if (controller.signal.aborted) throw new Cancelled(0);
    for await (const event of runner.run(units[index], controller.signal)) {
      batch.push(event);
      // A run's start and end go at once: the pool times the runs in progress from them.
      const urgent = event.type === 'start' || event.type === 'end';
      if (urgent || batch.length >= BATCH_EVENTS || performance.now() - batchStarted >= BATCH_MS) {
        flush();
      }
    }
    flush();
    post({ type: 'done', unit: index });
  } catch (err) {
    flush();
    if (err instanceof Cancelled) post({ type: 'cancelled', unit: index, step: err.step });
    else {
      const e = err instanceof Error ? err : new Error(String(err));
      post({ type: 'failed', unit: index, message: e.message, stack: e.stack });
    }
  }
}
