import { Rng } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import {
  BOOTSTRAP_DEFAULTS,
  bootstrapCi,
  bootstrapDifferenceCi,
  bootstrapSettings,
  quantileSorted,
  resampleMean,
  resampleMedian,
} from '../../src/index.js';

/**
 * The bootstrap is not compared with SciPy: its resampling stream (xoroshiro128+) differs from
 * NumPy's, so intervals agree only up to Monte Carlo error. It is tested for determinism,
 * for containing the point estimate, and against normal-theory intervals on a large sample.
 */
const losses = [0.034, 0.012, 0.051, 0.027, 0.019, 0.044, 0.023, 0.031, 0.016, 0.038];

function normalSample(n: number, mean: number, std: number, seed: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => mean + std * rng.normal());
}

describe('bootstrapCi', () => {
  it('gives the same interval, bit for bit, for the same seed', () => {
    const a = bootstrapCi(losses, resampleMedian, { seed: 42 });
    const b = bootstrapCi(losses, resampleMedian, { seed: 42 });
    expect(b).toEqual(a);
    expect(bootstrapCi(losses, resampleMedian, { seed: 43 })).not.toEqual(a);
  });

  it('uses 10,000 resamples, 95% and seed 0 by default', () => {
    expect(BOOTSTRAP_DEFAULTS).toEqual({ resamples: 10_000, confidence: 0.95, seed: 0 });
    expect(bootstrapCi(losses, resampleMean)).toEqual(
      bootstrapCi(losses, resampleMean, { resamples: 10_000, confidence: 0.95, seed: 0 }),
    );
  });

  it('contains the sample median and mean, inside the sample range', () => {
    const sorted = [...losses].sort((x, y) => x - y);
    const median = quantileSorted(sorted, 0.5);
    const mean = losses.reduce((s, v) => s + v, 0) / losses.length;
    for (const seed of [0, 1, 2, 3, 4]) {
      const m = bootstrapCi(losses, resampleMedian, { seed });
      expect(m.low).toBeLessThanOrEqual(median);
      expect(m.high).toBeGreaterThanOrEqual(median);
      expect(m.low).toBeGreaterThanOrEqual(sorted[0]);
      expect(m.high).toBeLessThanOrEqual(sorted[sorted.length - 1]);
      const a = bootstrapCi(losses, resampleMean, { seed });
      expect(a.low).toBeLessThan(mean);
      expect(a.high).toBeGreaterThan(mean);
    }
  });

  it('narrows as the confidence level drops', () => {
    const wide = bootstrapCi(losses, resampleMean, { confidence: 0.99 });
    const narrow = bootstrapCi(losses, resampleMean, { confidence: 0.5 });
    expect(narrow.low).toBeGreaterThan(wide.low);
    expect(narrow.high).toBeLessThan(wide.high);
  });

  it('gives the degenerate interval for one value', () => {
    expect(bootstrapCi([0.25], resampleMedian)).toEqual({ low: 0.25, high: 0.25 });
  });

  // Normal theory for n = 1000, σ = 2: the mean's interval is x̄ ± 1.96·s/√n, the median's
  // m ± 1.96·√(π/2)·s/√n. For the mean the percentile bootstrap's ends agree within Monte Carlo
  // error (about 2% of the half-width at 10,000 resamples): tolerance 5% of the half-width. A
  // median's bootstrap distribution is lumpy (it lives on the order statistics near the middle)
  // and its spread has a relative error of order n^(-1/4), about 18% here: the width must be
  // within 25% of the normal-theory width and each end within 50% of the half-width. (Seeds 7
  // to 11 give at most 2.1% for the mean, 12.5% for the median's width and 44% for an end.)
  it('matches the normal-theory intervals on a large seeded normal sample', () => {
    const n = 1000;
    const values = normalSample(n, 5, 2, 7);
    const sorted = [...values].sort((x, y) => x - y);
    const mean = values.reduce((s, v) => s + v, 0) / n;
    const s = Math.sqrt(values.reduce((acc, v) => acc + (v - mean) ** 2, 0) / (n - 1));
    const z = 1.959963984540054;

    const meanHalf = (z * s) / Math.sqrt(n);
    const meanCi = bootstrapCi(values, resampleMean, { seed: 1 });
    expect(Math.abs(meanCi.low - (mean - meanHalf))).toBeLessThan(0.05 * meanHalf);
    expect(Math.abs(meanCi.high - (mean + meanHalf))).toBeLessThan(0.05 * meanHalf);

    const median = quantileSorted(sorted, 0.5);
    const medianHalf = (z * Math.sqrt(Math.PI / 2) * s) / Math.sqrt(n);
    const medianCi = bootstrapCi(values, resampleMedian, { seed: 1 });
    const width = medianCi.high - medianCi.low;
    expect(Math.abs(width - 2 * medianHalf)).toBeLessThan(0.25 * 2 * medianHalf);
    expect(Math.abs(medianCi.low - (median - medianHalf))).toBeLessThan(0.5 * medianHalf);
    expect(Math.abs(medianCi.high - (median + medianHalf))).toBeLessThan(0.5 * medianHalf);
  });

  it('refuses bad options and empty samples, naming the option', () => {
    expect(() => bootstrapCi(losses, resampleMean, { resamples: 99 })).toThrow(
      'bootstrap: resamples must be an integer from 100 to 1000000, got 99',
    );
    expect(() => bootstrapCi(losses, resampleMean, { resamples: 1e7 })).toThrow(
      'bootstrap: resamples must be an integer from 100 to 1000000, got 10000000',
    );
    expect(() => bootstrapCi(losses, resampleMean, { resamples: 500.5 })).toThrow('got 500.5');
    expect(() => bootstrapCi(losses, resampleMean, { confidence: 1 })).toThrow(
      'bootstrap: confidence must be strictly between 0 and 1, got 1',
    );
    expect(() => bootstrapCi(losses, resampleMean, { confidence: NaN })).toThrow(
      'confidence must be strictly between 0 and 1, got NaN',
    );
    expect(() => bootstrapCi(losses, resampleMean, { seed: -1 })).toThrow(
      'bootstrap: seed must be an integer from 0 to 2147483647, got -1',
    );
    expect(() => bootstrapCi(losses, resampleMean, { seed: 2 ** 31 })).toThrow('got 2147483648');
    expect(() => bootstrapCi([], resampleMean)).toThrow('bootstrapCi: the sample is empty');
    expect(bootstrapSettings({ seed: undefined })).toEqual(BOOTSTRAP_DEFAULTS);
  });
});

describe('bootstrapDifferenceCi', () => {
  const a = [0.012, 0.015, 0.011, 0.019, 0.014, 0.013, 0.017, 0.016];
  const b = [0.034, 0.029, 0.041, 0.031, 0.038, 0.027, 0.036, 0.033];

  it('is deterministic and contains the observed difference of medians', () => {
    const ci = bootstrapDifferenceCi(a, b, resampleMedian, { seed: 5 });
    expect(bootstrapDifferenceCi(a, b, resampleMedian, { seed: 5 })).toEqual(ci);
    const median = (v: number[]) =>
      quantileSorted(
        [...v].sort((x, y) => x - y),
        0.5,
      );
    const observed = median(a) - median(b);
    expect(ci.low).toBeLessThanOrEqual(observed);
    expect(ci.high).toBeGreaterThanOrEqual(observed);
    // Completely separated groups: every resampled difference is negative.
    expect(ci.high).toBeLessThan(0);
    // Swapping the groups mirrors the differences (up to the resampling order).
    const swapped = bootstrapDifferenceCi(b, a, resampleMedian, { seed: 5 });
    expect(swapped.low).toBeGreaterThan(0);
  });

  it('is unbounded on the side where diverged runs (as +∞) can dominate a resampled median', () => {
    const diverging = [0.01, 0.02, Infinity, 0.015, Infinity];
    const ci = bootstrapDifferenceCi(diverging, b, resampleMedian, { seed: 3 });
    expect(ci.high).toBe(Infinity);
    expect(Number.isFinite(ci.low)).toBe(true);
  });

  it('counts two diverged medians as a tie (difference 0), not NaN', () => {
    const ci = bootstrapDifferenceCi([Infinity, Infinity], [Infinity], resampleMedian);
    expect(ci).toEqual({ low: 0, high: 0 });
  });

  it('names the empty group', () => {
    expect(() => bootstrapDifferenceCi(a, [], resampleMedian)).toThrow(
      'bootstrapDifferenceCi: group b is empty',
    );
  });
});

describe('quantileSorted with infinities (diverged runs counted as the worst value)', () => {
  it('takes the limit instead of NumPy’s NaN, and leaves finite values as NumPy has them', () => {
    expect(quantileSorted([1, Infinity], 0.5)).toBe(Infinity);
    expect(quantileSorted([1, 2, Infinity], 0.5)).toBe(2);
    expect(quantileSorted([1, Infinity, Infinity], 0.5)).toBe(Infinity);
    expect(quantileSorted([-Infinity, 1], 0.3)).toBe(-Infinity);
    expect(quantileSorted([-Infinity, -Infinity, 4], 0.5)).toBe(-Infinity);
    expect(quantileSorted([-Infinity, Infinity], 0.5)).toBeNaN();
    expect(quantileSorted(Float64Array.of(1, 2, 4, 8), 0.5)).toBe(3);
  });
});
