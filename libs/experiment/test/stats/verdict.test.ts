import { describe, expect, it } from 'vitest';
import {
  compareGroups,
  DEFAULT_ALPHA,
  MIN_SEEDS_PER_GROUP,
  smallestPossibleP,
  summarizeGroup,
  verdict,
  type Direction,
} from '../../src/index.js';

// p-values and U below are scipy.stats.mannwhitneyu's (SciPy 1.10) for the same numbers.
const compare = (a: number[], b: number[], direction: Direction = 'lower') =>
  compareGroups(a, b, { direction });

describe('summarizeGroup', () => {
  it('describes the finished runs and counts the diverged ones', () => {
    const s = summarizeGroup([0.034, NaN, 0.012, 0.051, Infinity, 0.027, 0.019]);
    expect(s.n).toBe(7);
    expect(s.diverged).toBe(2);
    expect(s.finite).toBe(5);
    expect(s.median).toBe(0.027);
    expect(s.min).toBe(0.012);
    expect(s.max).toBe(0.051);
    expect(s.q1).toBe(0.019);
    expect(s.q3).toBe(0.034);
    expect(s.iqr).toBeCloseTo(0.015, 15);
    expect(s.mean).toBeCloseTo(0.0286, 15);
    expect(s.std).toBeCloseTo(0.015009996668887037, 15); // numpy.std(a, ddof=1)
    expect(s.bootstrap).toEqual({ resamples: 10_000, confidence: 0.95, seed: 0 });
    expect(s.medianCi!.low).toBeLessThanOrEqual(0.027);
    expect(s.medianCi!.high).toBeGreaterThanOrEqual(0.027);
    expect(s.meanCi!.low).toBeLessThan(0.0286);
    expect(s.meanCi!.high).toBeGreaterThan(0.0286);
    expect(summarizeGroup([0.034, NaN, 0.012, 0.051, Infinity, 0.027, 0.019])).toEqual(s);
  });

  it('gives nulls when every run diverged, and no interval or spread from one value', () => {
    const none = summarizeGroup([NaN, Infinity]);
    expect(none).toMatchObject({ n: 2, diverged: 2, finite: 0, median: null, mean: null });
    expect(none.medianCi).toBeNull();
    const one = summarizeGroup([0.5, NaN]);
    expect(one).toMatchObject({ n: 2, diverged: 1, finite: 1, median: 0.5, mean: 0.5 });
    expect(one.std).toBeNull();
    expect(one.medianCi).toBeNull();
    expect(one.meanCi).toBeNull();
  });

  it('passes the bootstrap options on, and refuses bad ones', () => {
    const s = summarizeGroup([1, 2, 3, 4], { resamples: 200, seed: 9, confidence: 0.9 });
    expect(s.bootstrap).toEqual({ resamples: 200, confidence: 0.9, seed: 9 });
    expect(() => summarizeGroup([1, 2], { resamples: 10 })).toThrow(
      'bootstrap: resamples must be an integer from 100 to 1000000, got 10',
    );
  });
});

describe('compareGroups', () => {
  it('ranks diverged runs as the worst value, so the optimizer that diverges ranks worse', () => {
    const adam = [0.05, 0.07, 0.06, 0.04, 0.08, 0.065];
    const sgd = [0.09, NaN, 0.11, Infinity, 0.1, 0.12];
    const c = compare(adam, sgd);
    expect(c.test).toEqual({ u: 0, p: c.test.p, method: 'asymptotic', n1: 6, n2: 6 });
    expect(c.test.p).toBeCloseTo(0.004998124765082457, 15);
    expect(c.a).toEqual({ n: 6, diverged: 0, median: 0.0625 });
    expect(c.b.diverged).toBe(2);
    expect(c.b.median).toBeCloseTo(0.115, 15);
    expect(c.medianDifference).toBeCloseTo(-0.0525, 15);
    expect(c.medianDifferenceCi.low).toBeLessThanOrEqual(c.medianDifference);
    // Half of SGD's runs diverged in some resamples: its median, and the difference, unbounded.
    expect(c.medianDifferenceCi.low).toBe(-Infinity);
    expect(c.medianDifferenceCi.high).toBeLessThan(0);
  });

  it('counts a diverged accuracy as −∞ when higher is better', () => {
    const adam = [0.91, 0.93, NaN, 0.92, 0.89, 0.9];
    const sgd = [0.95, 0.96, 0.94, 0.97, 0.955, 0.93];
    const c = compare(adam, sgd, 'higher');
    expect(c.test.u).toBe(0.5);
    expect(c.test.p).toBeCloseTo(0.006392268870767702, 15);
    expect(c.a.diverged).toBe(1);
  });

  it('refuses a missing direction and empty groups', () => {
    expect(() => compareGroups([1], [2], { direction: 'down' as Direction })).toThrow(
      "compareGroups: direction must be 'lower' or 'higher', got down",
    );
    expect(() => compare([], [1])).toThrow('compareGroups: group a is empty');
  });
});

describe('verdict', () => {
  it('names the better optimizer with medians, p and seeds when p < α', () => {
    const adam = [0.012, 0.015, 0.011, 0.019, 0.014, 0.013, 0.017, 0.016, 0.01, 0.036];
    const sgd = [0.034, 0.029, 0.041, 0.031, 0.038, 0.027, 0.036, 0.013, 0.033, 0.018];
    const v = verdict({
      metric: 'final loss',
      names: ['Adam', 'SGD'],
      comparison: compare(adam, sgd),
    });
    expect(v).toEqual({
      outcome: 'a-better',
      alpha: 0.05,
      text: 'Adam has lower final loss than SGD (median 0.0145 vs 0.032), p = 0.0072, 10 seeds each',
    });
    // The same comparison the other way round names the same winner.
    const w = verdict({
      metric: 'final loss',
      names: ['SGD', 'Adam'],
      comparison: compare(sgd, adam),
    });
    expect(w.outcome).toBe('b-better');
    expect(w.text).toBe(v.text);
  });

  it('reads "better" as higher for a higher-is-better metric', () => {
    const adam = [0.91, 0.93, 0.9, 0.92, 0.89];
    const sgd = [0.95, 0.96, 0.94, 0.97, 0.955];
    const v = verdict({
      metric: 'test accuracy',
      names: ['Adam', 'SGD'],
      comparison: compare(adam, sgd, 'higher'),
    });
    expect(v.outcome).toBe('b-better');
    expect(v.text).toBe(
      'SGD has higher test accuracy than Adam (median 0.955 vs 0.91), p = 0.0079, 5 seeds each',
    );
  });

  it('says how many runs diverged, and p < 0.001 for tiny p-values', () => {
    const adam = [0.05, 0.07, 0.06, 0.04, 0.08, 0.065];
    const sgd = [0.09, NaN, 0.11, Infinity, 0.1, 0.12];
    expect(
      verdict({ metric: 'final loss', names: ['Adam', 'SGD'], comparison: compare(adam, sgd) })
        .text,
    ).toBe(
      'Adam has lower final loss than SGD (median 0.0625 vs 0.115; SGD diverged on 2 of 6), p = 0.005, 6 seeds each',
    );
    const low = Array.from({ length: 10 }, (_, i) => i);
    const high = Array.from({ length: 12 }, (_, i) => 10 + i);
    expect(
      verdict({ metric: 'loss', names: ['A', 'B'], comparison: compare(low, high) }).text,
    ).toBe('A has lower loss than B (median 4.5 vs 15.5), p < 0.001, 10 vs 12 seeds');
  });

  it('reports no significant difference with the seeds and p', () => {
    const a = [0.2, 0.35, 0.28, 0.41, 0.33];
    const b = [0.3, 0.25, 0.27, 0.22, 0.31];
    const c = compare(a, b);
    expect(c.test.p).toBeCloseTo(0.30952380952380953, 15);
    expect(verdict({ metric: 'final loss', names: ['Adam', 'SGD'], comparison: c })).toEqual({
      outcome: 'no-difference',
      alpha: 0.05,
      text: 'no significant difference in final loss between Adam and SGD at 5 seeds each (p = 0.31)',
    });
    // At α = 0.4 the same data decide.
    expect(
      verdict({ metric: 'final loss', names: ['Adam', 'SGD'], comparison: c, alpha: 0.4 }).outcome,
    ).toBe('b-better');
  });

  it('cannot decide with fewer than the minimum seeds, and says why', () => {
    expect(MIN_SEEDS_PER_GROUP).toBe(3);
    const v = verdict({
      metric: 'final loss',
      names: ['Adam', 'SGD'],
      comparison: compare([1, 2], [3, 4, 5, 6, 7]),
    });
    expect(v).toEqual({
      outcome: 'undecidable',
      alpha: 0.05,
      text: 'cannot decide on final loss: Adam has 2 seeds, and the test needs at least 3 per group',
    });
    expect(
      verdict({ metric: 'loss', names: ['Adam', 'SGD'], comparison: compare([1, 2, 3], [4]) }).text,
    ).toBe('cannot decide on loss: SGD has 1 seed, and the test needs at least 3 per group');
  });

  it('cannot decide when even complete separation could not reach α', () => {
    // 3 vs 3: the most extreme arrangement gives p = 2/C(6,3) = 0.1 (SciPy's exact p too).
    const c = compare([1, 2, 3], [4, 5, 6]);
    expect(c.test.p).toBeCloseTo(0.1, 15);
    expect(smallestPossibleP(3, 3)).toBeCloseTo(0.1, 15);
    expect(verdict({ metric: 'final loss', names: ['Adam', 'SGD'], comparison: c })).toEqual({
      outcome: 'undecidable',
      alpha: 0.05,
      text:
        'cannot decide on final loss at 3 seeds each: the smallest p-value the test can give is 0.1, ' +
        'above α = 0.05; use at least 4 seeds each',
    });
    // 3 vs 5 can: 2/C(8,3) ≈ 0.036.
    expect(
      verdict({
        metric: 'loss',
        names: ['A', 'B'],
        comparison: compare([1, 2, 3], [4, 5, 6, 7, 8]),
      }).outcome,
    ).toBe('a-better');
  });

  it('refuses an α outside (0, 1)', () => {
    expect(DEFAULT_ALPHA).toBe(0.05);
    const c = compare([1, 2, 3, 4], [5, 6, 7, 8]);
    expect(() => verdict({ metric: 'loss', names: ['A', 'B'], comparison: c, alpha: 5 })).toThrow(
      'verdict: alpha must be strictly between 0 and 1, got 5',
    );
  });
});
