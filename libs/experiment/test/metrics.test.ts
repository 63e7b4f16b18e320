import { describe, expect, it } from 'vitest';
import {
  bestOf,
  epochsToConverge,
  leastSquares,
  quantileSorted,
  spreadOf,
  timeToTarget,
} from './helpers.js';

describe('epochsToConverge (the tutorial’s convergence_speed)', () => {
  it('counts the history entries within 10 % of the minimum, wherever they are', () => {
    // min 1.0 → bound 1.1: entries 1.1, 1.0, 1.05 and 1.1 count (not 1.2, 2, 3).
    expect(epochsToConverge([3, 2, 1.2, 1.1, 1.0, 1.05, 1.1])).toBe(4);
    expect(epochsToConverge([5])).toBe(1);
    expect(epochsToConverge([])).toBe(0);
  });
});

describe('timeToTarget', () => {
  const points = [
    { step: 10, epoch: 1, elapsedMs: 5, loss: 3 },
    { step: 20, epoch: 2, elapsedMs: 9, loss: 0.9 },
    { step: 30, epoch: 3, elapsedMs: 14, loss: 0.5 },
  ];
  it('is the first evaluated point at or below the target', () => {
    expect(timeToTarget(points, 1)).toEqual({ step: 20, epoch: 2, elapsedMs: 9 });
    expect(timeToTarget(points, 0.5)).toEqual({ step: 30, epoch: 3, elapsedMs: 14 });
  });
  it('is null when never reached or when there is no target', () => {
    expect(timeToTarget(points, 0.1)).toBeNull();
    expect(timeToTarget(points, undefined)).toBeNull();
  });
});

describe('spread', () => {
  it('gives NumPy-style (linear) quantiles, min/max and the median; ignores NaN', () => {
    // np.percentile([1, 2, 4, 8], [25, 50, 75]) = [1.75, 3, 5]
    expect(spreadOf([8, 1, NaN, 4, 2])).toEqual({
      n: 4,
      median: 3,
      min: 1,
      max: 8,
      q1: 1.75,
      q3: 5,
    });
    expect(quantileSorted([1, 2, 3], 0.5)).toBe(2);
    expect(spreadOf([null, NaN])).toBeNull();
  });
  it('finds the first best loss', () => {
    expect(bestOf([3, 1, 2, 1])).toEqual({ loss: 1, index: 1 });
    expect(bestOf([])).toBeNull();
  });
});

describe('leastSquares', () => {
  it('recovers an exact line and a plane', () => {
    // y = 2 + 3x exactly.
    expect(leastSquares([0, 1, 2, 3], [2, 5, 8, 11], 4).map((v) => +v.toFixed(12))).toEqual([2, 3]);
    // y = 1 − x₁ + 0.5·x₂ on four points.
    const x = [0, 0, 1, 0, 0, 1, 1, 1];
    const y = [1, 0, 1.5, 0.5];
    expect(leastSquares(x, y, 4).map((v) => +v.toFixed(12))).toEqual([1, -1, 0.5]);
  });
  it('matches the normal equations on noisy data', () => {
    const x = [0.1, 0.5, 0.9, 1.3, 1.7, 2.0];
    const y = [4.2, 5.1, 7.0, 7.6, 9.4, 9.8];
    const n = x.length;
    const sx = x.reduce((a, b) => a + b);
    const sy = y.reduce((a, b) => a + b);
    const sxx = x.reduce((a, b) => a + b * b, 0);
    const sxy = x.reduce((a, b, i) => a + b * y[i], 0);
    const w = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    const [b1, w1] = leastSquares(x, y, n);
    expect(w1).toBeCloseTo(w, 12);
    expect(b1).toBeCloseTo((sy - w * sx) / n, 12);
  });
  it('refuses too few rows', () => {
    expect(() => leastSquares([1], [2], 1)).toThrow(/at least 2 samples/);
  });
});
