/**
 * One run of an experiment, trained in its own Web Worker through @optlab/experiment's runner
 * (the same code the CLI runs). Events are turned into chart points and posted in batches about
 * every 50 ms, so a fast run does not flood the page with messages. A run with several seeds
 * charts its first seed in full (positions, boundaries, diagnostics) and, when asked, sends the
 * loss, lr and accuracy points of the others too (`seed-points`), so the charts can draw the seeds' median
 * and band; it reports every seed's metrics with the runner's median and spread.
 *
 * Pausing: the runner only computes when its next event is pulled, so a paused worker simply
 * does not pull until it is resumed; the runner's clock (a PausableClock) stops meanwhile, so
 * elapsed times and steps per second do not count the pause. For 2-feature classification the
 * runner also reports the decision boundary at every evaluation, posted with the points.
 */
import {
  assertSpec,
  comparisonSummary,
  defaultCatalog,
  PausableClock,
  runExperiment,
  type ExperimentEvent,
  type RunMetrics,
} from '@optlab/experiment';
import type { BoundaryFrame, BoundaryTrack } from '../lib/boundary.js';
import { closurePointOf, type ClosurePoint } from '../lib/evaluations.js';
import { diagnosticsRecordOf } from '../lib/diagnostics.js';
import type { SeriesPoint } from '../lib/series.js';
import { calibrate } from '../lib/calibration.js';
import { withDatasetFiles, withoutDatasetFiles } from '../lib/folder-data.js';
import type { FromWorker, ToWorker } from '../lib/worker-protocol.js';
import { afterExpressionEngine } from '../lib/expression-engine-ready.js';

const FLUSH_MS = 50;
/**
 * Progress alone (between events, within a long epoch) is posted at most this often: each message
 * re-renders the views, and three runs at 20 a second froze the page on a busy machine.
 */
const PROGRESS_MS = 250;

const clock = new PausableClock();
/** Settles when the run is resumed; null while it runs. */
let resumed: { promise: Promise<void>; resolve: () => void } | null = null;

function pause(): void {
  if (resumed) return;
  clock.pause();
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  resumed = { promise, resolve };
}

function resume(): void {
  if (!resumed) return;
  clock.resume();
  resumed.resolve();
  resumed = null;
}

function post(message: FromWorker): void {
  (self as unknown as Worker).postMessage(message);
}

async function train(
  spec: Record<string, unknown>,
  runIndex: number,
  boundary: boolean,
  evaluations: boolean,
  report: boolean,
  seedPoints: boolean,
): Promise<void> {
  // The runner trains every run of the spec it is given: hand it a spec with this run alone. The
  // dataset and the initial weights come from the task and the seed, so the numbers are the ones
  // this run gets in the whole spec (and from the CLI).
  // (The other runs are not validated here: one bad run does not stop the good ones.)
  const runs: unknown[] = Array.isArray(spec['runs']) ? spec['runs'] : [];
  // A picked folder's bytes are not an option: validated without them, then handed back.
  const { spec: checked, files } = withoutDatasetFiles(spec);
  const single = withDatasetFiles(
    assertSpec({ ...checked, runs: [runs[runIndex]] }, defaultCatalog()),
    files,
  );
  const isFunction = single.task.kind === 'function';

  let pending: SeriesPoint[] = [];
  /** The other seeds' chart points since the last flush, by seed. */
  const pendingSeeds = new Map<number, SeriesPoint[]>();
  const seedPoint = (seed: number, point: SeriesPoint): void => {
    if (!seedPoints) return;
    const points = pendingSeeds.get(seed) ?? [];
    points.push(point);
    pendingSeeds.set(seed, points);
  };
  let pendingEvaluations: ClosurePoint[] = [];
  let frames: BoundaryFrame[] = [];
  let boundaryPoints: BoundaryTrack['points'];
  let lastFlush = performance.now();
  const clockStart = clock.now();
  let totalSteps = 1;
  let step = 0;
  let device: string | undefined;
  let chartedSeed: number | undefined;
  const seedMetrics: RunMetrics[] = [];
  const flush = (always = false): void => {
    if (frames.length > 0) {
      post({ type: 'boundary', frames, points: boundaryPoints });
      frames = [];
      boundaryPoints = undefined;
    }
    for (const [seed, points] of pendingSeeds) post({ type: 'seed-points', seed, points });
    pendingSeeds.clear();
    if (pending.length === 0 && pendingEvaluations.length === 0 && !always) return;
    post({
      type: 'points',
      points: pending,
      progress: Math.min(1, step / totalSteps),
      step,
      elapsedMs: clock.now() - clockStart,
      ...(pendingEvaluations.length > 0 ? { evaluations: pendingEvaluations } : {}),
    });
    pending = [];
    pendingEvaluations = [];
    lastFlush = performance.now();
  };

  const events: AsyncIterable<ExperimentEvent> = runExperiment(single, {
    now: () => clock.now(),
    decisionBoundary: boundary ? {} : undefined,
    closureEvaluations: evaluations,
    ...(report ? { classificationReport: {} } : {}),
    // Between events (a long epoch has none until its evaluation): move the progress bar.
    onProgress: (p) => {
      if (p.seed !== chartedSeed) return;
      step = p.step;
      if (performance.now() - lastFlush >= PROGRESS_MS) flush(true);
    },
  });
  for await (const event of events) {
    const charted = 'seed' in event && event.seed === chartedSeed;
    switch (event.type) {
      case 'start':
        if (chartedSeed !== undefined) {
          seedPoint(event.seed, {
            step: 0,
            epoch: 0,
            time: 0,
            loss: event.initialLoss,
            lr: event.lr,
          });
          break;
        }
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
        if (!charted) {
          if (isFunction) {
            seedPoint(event.seed, {
              step: event.step,
              epoch: event.epoch ?? undefined,
              time: event.elapsedMs / 1000,
              loss: event.loss,
              lr: event.lr,
            });
          }
          break;
        }
        step = event.step;
        if (isFunction) {
          pending.push({
            step: event.step,
            epoch: event.epoch ?? undefined,
            time: event.elapsedMs / 1000,
            loss: event.loss,
            lr: event.lr,
            position: event.params,
            optimizerStats: event.optimizerStats,
          });
        }
        break;
      case 'eval':
        if (!charted) {
          if (!isFunction) {
            seedPoint(event.seed, {
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
        }
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
            optimizerStats: event.optimizerStats,
          });
        }
        break;
      case 'closure': {
        if (!charted) break;
        const point = closurePointOf(event);
        if (point) pendingEvaluations.push(point);
        break;
      }
      case 'boundary':
        if (!charted) break;
        frames.push({
          step: event.step,
          classes: event.classes,
          grid: event.grid,
          predicted: event.predicted,
          confidence: event.confidence,
        });
        if (event.points) boundaryPoints = event.points;
        break;
      case 'diagnostics':
        // Every few steps only (runs[].diagnostics.every): posted as they come.
        if (charted) post({ type: 'diagnostics', records: [diagnosticsRecordOf(event)] });
        break;
      case 'diverged':
        if (!charted) break;
        flush();
        post({ type: 'diverged', step: event.step });
        break;
      case 'classification-report':
        if (!charted) break;
        flush();
        post({ type: 'report', report: event.report });
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
          metrics: first,
          seeds: seedMetrics,
          aggregate: event.summary.aggregates[0],
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
    if (resumed) {
      // Show everything up to the pause, then stop pulling the runner until resumed.
      flush(true);
      await resumed.promise;
    }
  }
  flush();
  post({ type: 'finished', status: 'stopped', device });
}

self.onmessage = afterExpressionEngine((event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'pause') return pause();
  if (message.type === 'resume') return resume();
  if (message.type === 'summarize') {
    try {
      const { spec, files } = withoutDatasetFiles(message.spec);
      const checked = withDatasetFiles(assertSpec(spec, defaultCatalog()), files);
      post({
        type: 'summary',
        summary: comparisonSummary(checked, message.tune, message.rerun, message.timing),
      });
    } catch (error) {
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
    return;
  }
  if (message.type === 'calibrate') {
    const { spec, files } = withoutDatasetFiles(message.spec);
    calibrate(withDatasetFiles(assertSpec(spec, defaultCatalog()), files)).then(
      (runs) => post({ type: 'calibration', runs }),
      (error: unknown) =>
        post({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
    return;
  }
  train(
    message.spec,
    message.runIndex,
    message.boundary === true,
    message.evaluations === true,
    message.report === true,
    message.seedPoints === true,
  ).catch((error: unknown) => {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
});
