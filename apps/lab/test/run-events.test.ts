// applyRunEvent: what each worker message does to a run's result, without workers or Svelte.
import { describe, expect, it } from 'vitest';
import type { BoundaryFrame } from '../src/renderer/src/lib/boundary.js';
import { applyRunEvent } from '../src/renderer/src/lib/run-events.js';
import { emptyResult, type RunResult } from '../src/renderer/src/lib/series.js';
import type { FromWorker } from '../src/renderer/src/lib/worker-protocol.js';
import { runAggregate, runMetrics } from './run-metrics.js';

const queued = (): RunResult => ({ ...emptyResult(), status: 'queued', startedAt: 5 });

/** Applies messages in order, as the lab does. */
const apply = (result: RunResult, ...messages: FromWorker[]) =>
  messages.reduce(applyRunEvent, result);

const frame = (step: number): BoundaryFrame => ({
  step,
  classes: 2,
  grid: { size: 2, x: [-1, 1], y: [-1, 1] },
  predicted: [0, 1, 1, 0],
  confidence: [0.9, 0.8, 0.7, 0.6],
});

describe('applyRunEvent', () => {
  it('started: running on the device it reports; a run paused while queued stays paused', () => {
    expect(apply(queued(), { type: 'started', device: 'cpu float64' })).toMatchObject({
      status: 'running',
      device: 'cpu float64',
      startedAt: 5,
    });
    const paused = { ...queued(), status: 'paused' as const };
    expect(apply(paused, { type: 'started', device: 'cpu' }).status).toBe('paused');
  });

  it('points: appends to the columns (NaN where absent) and the trajectory, sets progress and step', () => {
    const before = queued();
    const after = apply(
      before,
      {
        type: 'points',
        points: [{ step: 0, time: 0, loss: 4, lr: 0.1, position: [1, 2] }],
        progress: 0,
      },
      {
        type: 'points',
        points: [
          { step: 1, epoch: 1, time: 0.5, loss: 2, trainAccuracy: 0.75, position: [0.5, 1, 9] },
        ],
        progress: 0.25,
        step: 1,
      },
    );
    expect(after).not.toBe(before);
    expect(after.status).toBe('running');
    expect(after.progress).toBe(0.25);
    expect(after.step).toBe(1);
    expect(after.series).toEqual({
      step: [0, 1],
      epoch: [NaN, 1],
      time: [0, 0.5],
      loss: [4, 2],
      lr: [0.1, NaN],
      trainAccuracy: [NaN, 0.75],
      testAccuracy: [NaN, NaN],
      testLoss: [NaN, NaN],
    });
    expect(after.trajectory).toEqual([
      [1, 2],
      [0.5, 1],
    ]);
    // The input's fields are untouched (its append-only columns are shared, by design).
    expect(before.status).toBe('queued');
    expect(before.progress).toBe(0);
    expect(before.step).toBeUndefined();
  });

  it('points keep a paused run paused and leave the step when the batch has none', () => {
    const paused = { ...queued(), status: 'paused' as const, step: 7 };
    const after = apply(paused, { type: 'points', points: [], progress: 0.5 });
    expect(after).toMatchObject({ status: 'paused', step: 7, progress: 0.5 });
  });

  it('points: optimizer stats become columns aligned with the series, NaN where not reported', () => {
    const after = apply(
      queued(),
      { type: 'points', points: [{ step: 0, time: 0, loss: 4 }], progress: 0 },
      {
        type: 'points',
        points: [
          { step: 1, time: 0.1, loss: 3, optimizerStats: { d: 1e-6 } },
          { step: 2, time: 0.2, loss: 2 },
        ],
        progress: 0.5,
      },
      {
        type: 'points',
        points: [{ step: 3, time: 0.3, loss: 1, optimizerStats: { d: 2e-6, other: 7 } }],
        progress: 1,
      },
    );
    expect(after.stats).toEqual({ d: [NaN, 1e-6, NaN, 2e-6], other: [NaN, NaN, NaN, 7] });
    expect(after.series.step).toEqual([0, 1, 2, 3]);
    // A run whose optimizer reports nothing gets no stats at all.
    const plain = apply(queued(), {
      type: 'points',
      points: [{ step: 0, time: 0, loss: 4 }],
      progress: 0,
    });
    expect(plain.stats).toBeUndefined();
  });

  it('points: closure evaluations accumulate in order across batches', () => {
    const trial = (step: number, index: number) => ({
      step,
      index,
      loss: index,
      kind: 'lineSearch' as const,
      t: 1,
      position: [step, index] as const,
    });
    const first = apply(queued(), {
      type: 'points',
      points: [],
      progress: 0,
      evaluations: [trial(1, 0), trial(1, 1)],
    });
    const second = apply(first, { type: 'points', points: [], progress: 0.5 });
    const third = apply(second, {
      type: 'points',
      points: [],
      progress: 1,
      evaluations: [trial(2, 0)],
    });
    expect(third.evaluations).toEqual([trial(1, 0), trial(1, 1), trial(2, 0)]);
    expect(queued().evaluations).toBeUndefined();
  });

  it('boundary: frames accumulate in a new track; the training points come with the first', () => {
    const points = { x: [0, 1, 1, 0], labels: [0, 1] };
    const first = apply(queued(), { type: 'boundary', frames: [frame(0), frame(5)], points });
    const second = apply(first, { type: 'boundary', frames: [frame(10)] });
    expect(second.boundary?.frames.map((f) => f.step)).toEqual([0, 5, 10]);
    expect(second.boundary?.points).toEqual(points);
    expect(second.boundary).not.toBe(first.boundary);
  });

  it('diverged: records the step; the run goes on until it finishes', () => {
    const after = apply(
      queued(),
      { type: 'started', device: 'cpu' },
      { type: 'diverged', step: 12 },
    );
    expect(after).toMatchObject({ status: 'running', divergedAt: 12 });
  });

  it('finished: status, the runner’s metrics and aggregate, progress 1 when done', () => {
    const metrics = runMetrics({ finalLoss: 0.5 });
    const aggregate = runAggregate();
    const running = apply(queued(), { type: 'points', points: [], progress: 0.9 });
    const done = apply(running, {
      type: 'finished',
      status: 'done',
      metrics,
      seeds: [metrics],
      aggregate,
      device: 'cpu float32 (typed arrays)',
    });
    expect(done.status).toBe('done');
    expect(done.progress).toBe(1);
    expect(done.device).toBe('cpu float32 (typed arrays)');
    expect(done.metrics).toEqual(metrics);
    expect(done.metrics).not.toBe(metrics);
    expect(done.aggregate).toEqual(aggregate);

    const diverged = apply(running, {
      type: 'finished',
      status: 'diverged',
      metrics: runMetrics({ status: 'diverged', finalLoss: Infinity }),
    });
    expect(diverged).toMatchObject({
      status: 'diverged',
      progress: 0.9,
      metrics: { finalLoss: Infinity },
    });
  });

  it('finished as stopped: keeps progress and device, and has no metrics', () => {
    const started = apply(
      queued(),
      { type: 'started', device: 'gpu.js webgl2' },
      { type: 'points', points: [], progress: 0.4 },
    );
    const stopped = apply(started, { type: 'finished', status: 'stopped' });
    expect(stopped).toMatchObject({ status: 'stopped', progress: 0.4, device: 'gpu.js webgl2' });
    expect(stopped.metrics).toBeUndefined();
  });

  it('error: the run shows the worker’s message', () => {
    expect(apply(queued(), { type: 'error', message: 'gpu.js could not start' })).toMatchObject({
      status: 'error',
      error: 'gpu.js could not start',
    });
  });
});
