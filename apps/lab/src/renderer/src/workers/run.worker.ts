/**
 * One run of an experiment, trained in its own Web Worker through @optlab/experiment's runner
 * (the same code the CLI runs). Events are turned into chart points and posted in batches about
 * every 50 ms, so a fast run does not flood the page with messages. A run with several seeds
 * charts its first seed and reports every seed's metrics with the runner's median and spread.
 */
import {
  assertSpec,
  defaultCatalog,
  runExperiment,
  type ExperimentEvent,
  type RunMetrics,
} from '@optlab/experiment';
import type { SeriesPoint } from '../lib/series.js';
import type { FromWorker, ToWorker } from '../lib/worker-protocol.js';

const FLUSH_MS = 50;

function post(message: FromWorker): void {
  (self as unknown as Worker).postMessage(message);
}

async function train(spec: Record<string, unknown>, runIndex: number): Promise<void> {
  const isFunction = (spec['task'] as { kind: string }).kind === 'function';
  // The runner trains every run of the spec it is given: hand it a spec with this run alone. The
  // dataset and the initial weights come from the task and the seed, so the numbers are the ones
  // this run gets in the whole spec (and from the CLI).
  const runs = spec['runs'] as unknown[];
  const single = assertSpec({ ...spec, runs: [runs[runIndex]] }, defaultCatalog());

  let pending: SeriesPoint[] = [];
  let lastFlush = performance.now();
  let totalSteps = 1;
  let step = 0;
  let device: string | undefined;
  let chartedSeed: number | undefined;
  const seedMetrics: RunMetrics[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    post({ type: 'points', points: pending, progress: Math.min(1, step / totalSteps) });
    pending = [];
    lastFlush = performance.now();
  };

  for await (const event of runExperiment(single) as AsyncIterable<ExperimentEvent>) {
    const charted = 'seed' in event && event.seed === chartedSeed;
    switch (event.type) {
      case 'start':
        if (chartedSeed !== undefined) break;
        chartedSeed = event.seed;
        device = event.device;
        totalSteps = Math.max(1, event.totalSteps);
        post({ type: 'started', device: event.device });
        pending.push({
          step: 0,
          epoch: 0,
          time: 0,
          loss: event.initialLoss,
          lr: event.lr,
          position: event.params,
        });
        break;
      case 'step':
        if (!charted) break;
        step = event.step;
        if (isFunction) {
          pending.push({
            step: event.step,
            epoch: event.epoch ?? undefined,
            time: event.elapsedMs / 1000,
            loss: event.loss,
            lr: event.lr,
            position: event.params,
          });
        }
        break;
      case 'eval':
        if (!charted) break;
        step = event.step;
        if (!isFunction) {
          pending.push({
            step: event.step,
            epoch: event.epoch ?? undefined,
            time: event.elapsedMs / 1000,
            loss: event.loss,
            lr: event.lr,
            trainAccuracy: event.trainAccuracy,
            testAccuracy: event.testAccuracy,
            testLoss: event.testLoss,
          });
        }
        break;
      case 'diverged':
        if (!charted) break;
        flush();
        post({ type: 'diverged', step: event.step });
        break;
      case 'end':
        flush();
        seedMetrics.push(event.metrics);
        break;
      case 'summary': {
        flush();
        const first = seedMetrics[0];
        post({
          type: 'finished',
          status: first?.status ?? 'done',
          metrics: first as unknown as Record<string, unknown>,
          seeds: seedMetrics as unknown as Record<string, unknown>[],
          aggregate: event.summary.aggregates[0] as unknown as Record<string, unknown>,
          device: first?.device ?? device,
        });
        return;
      }
      case 'cancelled':
        flush();
        post({ type: 'finished', status: 'stopped', device });
        return;
      default:
        break;
    }
    if (performance.now() - lastFlush >= FLUSH_MS) flush();
  }
  flush();
  post({ type: 'finished', status: 'stopped', device });
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type !== 'start') return;
  train(message.spec, message.runIndex).catch((error: unknown) => {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
};
