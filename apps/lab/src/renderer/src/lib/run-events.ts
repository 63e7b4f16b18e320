/**
 * How a run's result follows its worker's messages: one pure function, `applyRunEvent`, used by
 * the lab's state for every message, so what a message does to a result is written once and
 * tested without workers or Svelte. Starting and stopping workers stays in LabState.
 */
import type { RunAggregate, RunMetrics } from '@optlab/experiment';
import { appendFrames } from './boundary.js';
import { appendPoints, appendSeedPoints, type RunResult } from './series.js';
import type { FromWorker } from './worker-protocol.js';

/**
 * The result after `message`. The returned result is a new object; the input is not changed,
 * except that its append-only columns (`series`, `stats`, `trajectory`, `evaluations`, boundary
 * frames) are shared with the returned result and grow in place: copying them on every batch
 * (about 20 a second per run) would cost time quadratic in the run's length.
 */
export function applyRunEvent(result: RunResult, message: FromWorker): RunResult {
  switch (message.type) {
    case 'started':
      return {
        ...result,
        // Paused while queued: the worker is paused too, after reporting its start.
        status: result.status === 'paused' ? 'paused' : 'running',
        device: message.device,
      };
    case 'points': {
      const next: RunResult = {
        ...result,
        progress: message.progress,
        status: result.status === 'queued' ? 'running' : result.status,
      };
      if (message.step !== undefined) next.step = message.step;
      if (message.elapsedMs !== undefined) next.elapsedMs = message.elapsedMs;
      appendPoints(next, message.points);
      if (message.evaluations && message.evaluations.length > 0) {
        next.evaluations = result.evaluations ?? [];
        next.evaluations.push(...message.evaluations);
      }
      return next;
    }
    case 'seed-points': {
      const next: RunResult = { ...result, seedSeries: result.seedSeries ?? [] };
      appendSeedPoints(next, message.seed, message.points);
      return next;
    }
    case 'boundary': {
      const track = {
        frames: result.boundary?.frames ?? [],
        points: message.points ?? result.boundary?.points,
      };
      appendFrames(track, message.frames);
      return { ...result, boundary: track };
    }
    case 'diagnostics': {
      const diagnostics = result.diagnostics ?? [];
      diagnostics.push(...message.records);
      return { ...result, diagnostics };
    }
    case 'diverged':
      return { ...result, divergedAt: message.step };
    case 'report':
      return { ...result, report: message.report };
    case 'finished':
      return {
        ...result,
        status: message.status,
        progress: message.status === 'done' ? 1 : result.progress,
        metrics: message.metrics && storedMetrics(message.metrics),
        aggregate: message.aggregate && storedMetrics(message.aggregate),
        device: message.device ?? result.device,
      };
    case 'error':
      return { ...result, status: 'error', error: message.message };
    case 'calibration':
    case 'summary':
      return result; // answered to a calibration or analysis request, never to a run
  }
}

/**
 * A result keeps the runner's numbers as plain records, because a result reopened from a file
 * holds whatever that file held and is read defensively (table.ts); live ones are copied in.
 */
function storedMetrics(metrics: RunMetrics | RunAggregate): Record<string, unknown> {
  return { ...metrics };
}
