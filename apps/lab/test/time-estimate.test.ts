import { describe, expect, it } from 'vitest';
import {
  estimateRun,
  estimateRunAll,
  evaluationCount,
  formatDuration,
  remainingOfAll,
  TimeLeft,
  type RunCalibration,
} from '../src/renderer/src/lib/time-estimate.js';

const calibration = (patch: Partial<RunCalibration> = {}): RunCalibration => ({
  runIndex: 0,
  name: 'Adam',
  loadMs: 2000,
  evalMs: 1500,
  msPerStep: 12.5,
  stepsTimed: 10,
  totalSteps: 469,
  evaluations: 1,
  seeds: 1,
  warmUpMs: 500,
  ...patch,
});

describe('the estimate before a run', () => {
  it('counts the evaluations as the runner schedules them: every N-th and the last', () => {
    expect(evaluationCount({ epochs: 10, evalEvery: 1 })).toBe(10);
    expect(evaluationCount({ epochs: 10, evalEvery: 3 })).toBe(4); // 3, 6, 9 and 10
    expect(evaluationCount({ epochs: 9, evalEvery: 3 })).toBe(3);
    expect(evaluationCount({ steps: 2000, evalEvery: 1 })).toBe(2000);
    expect(evaluationCount({ steps: 2000, evalEvery: 500 })).toBe(4);
  });

  it('is load + warm-up + updates × ms per update + (evaluations + the initial one) × ms per evaluation', () => {
    // A Fashion-MNIST epoch at batch 128: 469 updates of 12.5 ms, 2 evaluations of 1.5 s.
    expect(estimateRun(calibration())).toEqual({
      totalMs: 2000 + 500 + 469 * 12.5 + 2 * 1500,
      loadMs: 2000,
      warmUpMs: 500,
      stepsMs: 5862.5,
      evaluationsMs: 3000,
    });
    // Seeds train one after the other in the run's worker; the data is loaded once.
    expect(estimateRun(calibration({ seeds: 3 })).totalMs).toBe(2000 + 500 + 3 * (5862.5 + 3000));
  });

  it('Run all: the longest run, or the total work shared by the cores when there is more', () => {
    expect(estimateRunAll([10_000, 10_000, 10_000], 2)).toBe(15_000);
    expect(estimateRunAll([10_000, 1_000], 2)).toBe(10_000);
    expect(estimateRunAll([10_000, 10_000], 8)).toBe(10_000);
    expect(estimateRunAll([4_000], 1)).toBe(4_000);
    expect(estimateRunAll([], 2)).toBe(0);
  });

  it('formats durations for people', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(3_725_000)).toBe('1 h 02 min');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('the time left while a run trains', () => {
  it('is unknown until progress moves, then (1 − p) at the recent rate', () => {
    const left = new TimeLeft(10_000);
    expect(left.remainingMs()).toBeNull();
    left.add(2_000, 0); // the setup before the first update is not counted
    expect(left.remainingMs()).toBeNull();
    left.add(4_000, 0.1);
    // 10% in 2 s: 90% left takes 18 s.
    expect(left.remainingMs()).toBeCloseTo(18_000, 9);
    left.add(6_000, 0.2);
    expect(left.remainingMs()).toBeCloseTo(16_000, 9);
  });

  it('follows a run that slows down within its window', () => {
    const left = new TimeLeft(10_000);
    for (let t = 0; t <= 20_000; t += 1_000) left.add(t, t / 100_000); // 1% a second
    expect(left.remainingMs()).toBeCloseTo(80_000, 6);
    // Four times slower from now on (0.25% a second): after a window of it, the old rate is gone.
    let p = 0.2;
    for (let t = 21_000; t <= 40_000; t += 1_000) left.add(t, (p += 0.0025));
    expect(left.remainingMs()).toBeCloseTo(((1 - p) / 0.0025) * 1000, 6);
  });

  it('ignores samples that go back, and is 0 when done', () => {
    const left = new TimeLeft();
    left.add(1_000, 0.5);
    left.add(2_000, 0.75);
    left.add(1_500, 0.9); // older time: ignored
    left.add(2_500, 0.6); // lower progress: ignored
    expect(left.remainingMs()).toBeCloseTo(1_000, 9);
    left.add(2_000, 0.8); // same time, newer progress
    expect(left.remainingMs()).toBeCloseTo((0.2 * 1_000) / 0.3, 9);
    left.add(3_000, 1);
    expect(left.remainingMs()).toBe(0);
  });

  it('of runs side by side is the longest, unknown while any is', () => {
    expect(remainingOfAll([1_000, 5_000, 2_000])).toBe(5_000);
    expect(remainingOfAll([1_000, null])).toBeNull();
    expect(remainingOfAll([])).toBeNull();
  });
});
