import { describe, expect, it } from 'vitest';
import {
  LR_FIND_DEFAULTS,
  LossSmoother,
  LrRangeRecorder,
  assertSpec,
  checkLrFindOptions,
  defaultCatalog,
  lrAt,
  lrFindPlot,
  lrRangeTest,
  runLrFind,
  suggestLrs,
  suggestionSpread,
  type LrFindPoint,
} from './helpers.js';

describe('the range test, piece by piece', () => {
  it('grows the lr exponentially from start to end, both included', () => {
    const o = { start: 1e-7, end: 10, steps: 100 };
    expect(lrAt(o, 0)).toBe(1e-7);
    expect(lrAt(o, 99)).toBeCloseTo(10, 12);
    // Equal ratios: 8 decades over 99 steps.
    expect(lrAt(o, 50) / lrAt(o, 49)).toBeCloseTo(Math.pow(1e8, 1 / 99), 12);
  });

  it("smooths like fastai's AvgSmoothLoss: a debiased exponential average", () => {
    const s = new LossSmoother(0.98);
    expect(s.push(2)).toBeCloseTo(2, 14);
    // a = 0.98·0.04 + 0.02·0 = 0.0392; debiased by 1 − 0.98² = 0.0396.
    expect(s.push(0)).toBeCloseTo(0.0392 / 0.0396, 14);
    const flat = new LossSmoother(0.98);
    for (let i = 0; i < 50; i++) expect(flat.push(3)).toBeCloseTo(3, 12);
  });

  it('stops once the smoothed loss passes 4 × its best, or at a non-finite loss, or at the end', () => {
    const o = { ...LR_FIND_DEFAULTS, beta: 0, steps: 10 };
    const r = new LrRangeRecorder(o);
    const losses = [5, 2, 1, 3, 4, 3.9, 9];
    const kept = losses.map((l, i) => r.record(i, lrAt(o, i), l));
    // 4 is not above 4 × 1; 9 is: the test stops there, the point recorded.
    expect(kept).toEqual([true, true, true, true, true, true, false]);
    expect(r.stopped).toBe('diverged');
    expect(r.points.map((p) => p.smoothed)).toEqual(losses);
    const n = new LrRangeRecorder(o);
    expect(n.record(0, 1e-7, 1)).toBe(true);
    expect(n.record(1, 1e-6, NaN)).toBe(false);
    expect(n.stopped).toBe('non-finite');
    const e = new LrRangeRecorder({ ...o, steps: 2 });
    expect([e.record(0, 1, 1), e.record(1, 2, 1)]).toEqual([true, false]);
    expect(e.stopped).toBe('end');
  });

  it('suggests the steepest descent against log lr and the minimum ÷ 10, skipping the ends', () => {
    const steps = 20;
    const o = { start: 1e-4, end: 1, steps };
    // Smoothed losses (β = 0): the fastest fall is from point 8 to 9; the minimum at point 12.
    const losses = [9, 9, 9, 9, 9, 8.9, 8.5, 8, 7.5, 5, 4.5, 4, 3, 3.5, 4, 5, 9, 20, 30, 40];
    const points: LrFindPoint[] = losses.map((loss, step) => ({
      step,
      lr: lrAt(o, step),
      loss,
      smoothed: loss,
    }));
    const s = suggestLrs(points, steps);
    expect(s.steepest).toEqual({ lr: lrAt(o, 8), loss: 7.5, step: 8 });
    expect(s.minimum).toEqual({ lr: lrAt(o, 12), loss: 3, step: 12 });
    expect(s.minimumDiv10).toBe(lrAt(o, 12) / 10);
    expect(s.why).toBeNull();
    // The first ⌊20/10⌋ = 2 points are skipped: a steeper fall between 0 and 1 does not count.
    const early = points.map((p, i) => (i === 1 ? { ...p, smoothed: 0.5 } : p));
    expect(suggestLrs(early, steps).steepest!.step).toBe(8);
    // Too short a test gives no suggestion, and says why.
    const short = suggestLrs(points.slice(0, 6), steps);
    expect(short).toMatchObject({ steepest: null, minimum: null, minimumDiv10: null });
    expect(short.why).toBe(
      'the test stopped after 6 updates: suggestions leave out the first 2 and the last 5, and need 1 more',
    );
  });

  it('puts the steepest descent of a quadratic below the stability limit 2/c', async () => {
    for (const c of [2, 8, 100]) {
      let x = 1;
      const result = await lrRangeTest((lr) => {
        const loss = (c / 2) * x * x;
        x -= lr * c * x;
        return loss;
      }, LR_FIND_DEFAULTS);
      expect(result.stopped).toBe('diverged');
      expect(result.suggestions.steepest!.lr).toBeLessThan(2 / c);
      expect(result.suggestions.minimumDiv10!).toBeLessThan(2 / c);
      // Where it stopped, gradient descent had long been unstable: lr·c > 2.
      expect(result.points.at(-1)!.lr * c).toBeGreaterThan(2);
    }
  });

  it('gives the min, median and max of suggestions over seeds', () => {
    expect(suggestionSpread([3e-3, null, 1e-3, 2e-3, 5e-3])).toEqual({
      min: 1e-3,
      median: 2.5e-3,
      max: 5e-3,
      n: 4,
    });
    expect(suggestionSpread([null])).toBeNull();
  });

  it('names every bad option', () => {
    expect(
      checkLrFindOptions({ start: 0, end: -1, steps: 1.5, beta: 1, divergeFactor: 1 }),
    ).toEqual([
      { option: 'start', message: 'must be a number > 0, not 0' },
      { option: 'end', message: 'must be a number > start (0), not -1' },
      { option: 'steps', message: 'must be a whole number from 2 to 100000, not 1.5' },
      { option: 'beta', message: 'must be ≥ 0 and < 1, not 1' },
      { option: 'divergeFactor', message: 'must be > 1, not 1' },
    ]);
    expect(checkLrFindOptions(LR_FIND_DEFAULTS)).toEqual([]);
  });

  it('draws the curve with its suggestions marked', () => {
    const o = { start: 1e-4, end: 1, steps: 20 };
    const points = [5, 5, 4, 2, 1, 1.5, 9].map((loss, step) => ({
      step,
      lr: lrAt(o, step),
      loss,
      smoothed: loss,
    }));
    const plot = lrFindPlot(
      points,
      {
        steepest: { lr: points[2].lr, loss: 4, step: 2 },
        minimum: { lr: points[4].lr, loss: 1, step: 4 },
        minimumDiv10: points[4].lr / 10,
        why: null,
      },
      { width: 7, height: 5 },
    );
    expect(plot).toBe(
      [
        '      9.00 |      *',
        '           |  S',
        '           |***',
        '           |   *M',
        '      1.00 |    **',
        '           +-------',
        '            lr 1.0e-4 1.8e-3  (log scale)',
        '',
      ].join('\n'),
    );
  });
});

describe('runLrFind on a spec', () => {
  it('finds an SGD lr below 2/c on a one-curvature quadratic', async () => {
    const c = 8;
    const spec = assertSpec(
      {
        version: 1,
        name: 'q',
        task: { kind: 'function', function: { type: 'quadratic', coefficients: [c] }, start: [1] },
        training: { steps: 10 },
        runs: [{ name: 'sgd', optimizer: { type: 'SGD', lr: 0.01 }, backend: 'cpu64' }],
      },
      defaultCatalog(),
    );
    const [{ result }] = await runLrFind(spec, 'sgd', [0], LR_FIND_DEFAULTS);
    expect(result.stopped).toBe('diverged');
    expect(result.points[0]).toMatchObject({ step: 0, lr: 1e-7, loss: c / 2 });
    expect(result.suggestions.steepest!.lr).toBeLessThan(2 / c);
    expect(result.suggestions.steepest!.lr).toBeGreaterThan(1e-3);
  });

  it('gives each seed its own curve on a dataset, and refuses an unknown run', async () => {
    const spec = assertSpec(
      {
        version: 1,
        name: 'm',
        task: {
          kind: 'classification',
          dataset: { type: 'moons', n: 200, noise: 0.2, seed: 3 },
          model: { type: 'mlp', hidden: [8] },
        },
        training: { epochs: 1, batchSize: 16 },
        runs: [{ name: 'adam', optimizer: { type: 'Adam' } }],
      },
      defaultCatalog(),
    );
    const out = await runLrFind(spec, 'adam', [0, 1, 2], { ...LR_FIND_DEFAULTS, steps: 60 });
    expect(out.map((o) => o.seed)).toEqual([0, 1, 2]);
    // 60 updates over 13-batch epochs: minibatches go on past the spec's one epoch.
    for (const { result } of out) expect(result.points.length).toBeGreaterThan(13);
    expect(out[0].result.points[0].loss).not.toBe(out[1].result.points[0].loss);
    await expect(runLrFind(spec, 'nope', [0], LR_FIND_DEFAULTS)).rejects.toThrow(
      'no run named "nope"',
    );
  });
});
