import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  aggregateRuns,
  assertSpec,
  bestOf,
  defaultCatalog,
  epochsToConverge,
  leastSquares,
  prepareTask,
  quantileSorted,
  spreadOf,
  timeToTarget,
  type RunMetrics,
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
  it('lets no NaN, infinity, null or undefined into a spread', () => {
    expect(spreadOf([NaN, 2, Infinity, undefined, -Infinity, null, 4])).toEqual({
      n: 2,
      median: 3,
      min: 2,
      max: 4,
      q1: 2.5,
      q3: 3.5,
    });
    expect(spreadOf([NaN])).toBeNull();
    expect(spreadOf([Infinity, -Infinity])).toBeNull();
    expect(spreadOf([])).toBeNull();
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
  it('finds the first best loss', () => {
    expect(bestOf([3, 1, 2, 1])).toEqual({ loss: 1, index: 1 });
    expect(bestOf([])).toBeNull();
  });
});

describe('aggregateRuns', () => {
  /** One seed's metrics; only what aggregateRuns reads differs between the seeds below. */
  function seed(run: string, s: number, over: Partial<RunMetrics>): RunMetrics {
    return {
      run,
      seed: s,
      optimizer: run === 'sgd' ? 'SGD' : 'Adam',
      schedule: run === 'sgd' ? 'StepLR' : null,
      label: run === 'sgd' ? 'SGD(lr=0.1) + StepLR(stepSize=10)' : 'Adam(lr=0.01)',
      backend: 'cpu',
      device: 'cpu (float32)',
      status: 'done',
      diverged: null,
      steps: 100,
      evaluations: 100,
      paramGroups: null,
      epochs: 10,
      initialLoss: 4,
      finalLoss: 1,
      bestLoss: 1,
      bestStep: 90,
      epochsToConverge: 1,
      historyUnit: 'epoch',
      target: null,
      wallTimeMs: 1000,
      stepsPerSecond: 100,
      concurrentRuns: 1,
      finalLr: 0.01,
      trainAccuracy: null,
      testAccuracy: null,
      testLoss: null,
      validationLoss: null,
      bestValidationLoss: null,
      validationAccuracy: null,
      bestValidationAccuracy: null,
      finalParams: null,
      finalParamsMode: null,
      finalParamsSample: null,
      linearRegression: null,
      ...over,
    };
  }
  const diverged = { status: 'diverged', diverged: { step: 7, reason: 'the loss became NaN' } };
  // Three SGD seeds (the second diverged with finite best loss and accuracy, which must not
  // count; two reached the target) interleaved with two Adam seeds that never reached it.
  // Values are binary fractions, so the NumPy-style quantiles below are exact.
  const metrics: RunMetrics[] = [
    seed('sgd', 1, {
      finalLoss: 0.5,
      bestLoss: 0.25,
      epochsToConverge: 4,
      target: { step: 40, epoch: 4, elapsedMs: 100 },
      wallTimeMs: 1000,
      stepsPerSecond: 50,
      trainAccuracy: 0.75,
      testAccuracy: 0.5,
    }),
    seed('adam', 1, { finalLoss: 1, bestLoss: 0.5, epochsToConverge: 2, wallTimeMs: 400 }),
    seed('sgd', 2, {
      ...(diverged as Partial<RunMetrics>),
      finalLoss: NaN,
      bestLoss: 2,
      epochsToConverge: 1,
      wallTimeMs: 300,
      stepsPerSecond: 200,
      trainAccuracy: 0.25,
      testAccuracy: 0.125,
    }),
    seed('adam', 2, {
      finalLoss: 3,
      bestLoss: 1.5,
      epochsToConverge: 2,
      wallTimeMs: 600,
      stepsPerSecond: 80,
    }),
    seed('sgd', 3, {
      finalLoss: 0.25,
      bestLoss: 0.125,
      epochsToConverge: 6,
      target: { step: 60, epoch: 6, elapsedMs: 140 },
      wallTimeMs: 1200,
      stepsPerSecond: 40,
      trainAccuracy: 0.875,
      testAccuracy: 0.625,
    }),
  ];
  const spread = (n: number, min: number, q1: number, median: number, q3: number, max: number) => ({
    n,
    median,
    min,
    max,
    q1,
    q3,
  });

  it('groups seeds by run in first-seen order; spreads over the seeds that did not diverge', () => {
    expect(aggregateRuns(metrics)).toEqual([
      {
        run: 'sgd',
        optimizer: 'SGD',
        schedule: 'StepLR',
        label: 'SGD(lr=0.1) + StepLR(stepSize=10)',
        backend: 'cpu',
        device: 'cpu (float32)',
        seeds: [1, 2, 3],
        diverged: 1,
        finalLoss: spread(2, 0.25, 0.3125, 0.375, 0.4375, 0.5),
        bestLoss: spread(2, 0.125, 0.15625, 0.1875, 0.21875, 0.25),
        epochsToConverge: spread(2, 4, 4.5, 5, 5.5, 6),
        targetStep: spread(2, 40, 45, 50, 55, 60),
        targetMs: spread(2, 100, 110, 120, 130, 140),
        reachedTarget: 2,
        // Wall time and throughput count every seed, the diverged one too.
        wallTimeMs: spread(3, 300, 650, 1000, 1100, 1200),
        stepsPerSecond: spread(3, 40, 45, 50, 125, 200),
        trainAccuracy: spread(2, 0.75, 0.78125, 0.8125, 0.84375, 0.875),
        testAccuracy: spread(2, 0.5, 0.53125, 0.5625, 0.59375, 0.625),
      },
      {
        run: 'adam',
        optimizer: 'Adam',
        schedule: null,
        label: 'Adam(lr=0.01)',
        backend: 'cpu',
        device: 'cpu (float32)',
        seeds: [1, 2],
        diverged: 0,
        finalLoss: spread(2, 1, 1.5, 2, 2.5, 3),
        bestLoss: spread(2, 0.5, 0.75, 1, 1.25, 1.5),
        epochsToConverge: spread(2, 2, 2, 2, 2, 2),
        targetStep: null,
        targetMs: null,
        reachedTarget: 0,
        wallTimeMs: spread(2, 400, 450, 500, 550, 600),
        stepsPerSecond: spread(2, 80, 85, 90, 95, 100),
        trainAccuracy: null,
        testAccuracy: null,
      },
    ]);
  });

  it('counts a run whose every seed diverged, with no loss spreads', () => {
    const all = [1, 2, 3].map((s) =>
      seed('adam', s, {
        ...(diverged as Partial<RunMetrics>),
        finalLoss: Infinity,
        bestLoss: 1,
        trainAccuracy: 0.5,
        target: s === 2 ? { step: 5, epoch: 1, elapsedMs: 8 } : null,
        wallTimeMs: 100 * s,
      }),
    );
    expect(aggregateRuns(all)).toEqual([
      expect.objectContaining({
        seeds: [1, 2, 3],
        diverged: 3,
        finalLoss: null,
        bestLoss: null,
        epochsToConverge: null,
        trainAccuracy: null,
        // A target reached before diverging still counts as reached.
        reachedTarget: 1,
        targetStep: spread(1, 5, 5, 5, 5, 5),
        wallTimeMs: spread(3, 100, 150, 200, 250, 300),
      }),
    ]);
    expect(aggregateRuns([])).toEqual([]);
  });
});

describe('leastSquares', () => {
  /** The weights of a solvable problem (fails the test when there is no solution). */
  function weights(x: ArrayLike<number>, y: ArrayLike<number>, n: number): number[] {
    const result = leastSquares(x, y, n);
    if (!result.ok) throw new Error(`expected a solution, got: ${result.reason}`);
    return result.weights;
  }

  it('recovers an exact line and a plane', () => {
    // y = 2 + 3x exactly.
    expect(weights([0, 1, 2, 3], [2, 5, 8, 11], 4).map((v) => +v.toFixed(12))).toEqual([2, 3]);
    // y = 1 − x₁ + 0.5·x₂ on four points.
    const x = [0, 0, 1, 0, 0, 1, 1, 1];
    const y = [1, 0, 1.5, 0.5];
    expect(weights(x, y, 4).map((v) => +v.toFixed(12))).toEqual([1, -1, 0.5]);
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
    const [b1, w1] = weights(x, y, n);
    expect(w1).toBeCloseTo(w, 12);
    expect(b1).toBeCloseTo((sy - w * sx) / n, 12);
  });

  interface Case {
    name: string;
    x: number[][];
    y: number[];
    leastSquares: number[];
    condition: number;
  }
  const fixtures = JSON.parse(
    readFileSync(new URL('./fixtures/least-squares.json', import.meta.url), 'utf8'),
  ) as { cases: Case[] };

  // tools/fixtures/experiment/least-squares.py: square systems (where the last reflection sees a
  // single entry) and a column aligned with its pivot, where a Householder sign that does not
  // oppose the pivot's cancels v_k's digits (a 0/0, or an error near 1e-8).
  it.each(fixtures.cases)('matches numpy.linalg.lstsq: $name', (c) => {
    const w = weights(c.x.flat(), c.y, c.y.length);
    expect(w).toHaveLength(c.leastSquares.length);
    // Backward-stable QR: error ≲ condition · ε relative to the solution's size.
    const scale = Math.max(1, ...c.leastSquares.map(Math.abs));
    const tolerance = Math.max(1e-13, c.condition * 1e-14) * scale;
    w.forEach((v, i) => expect(Math.abs(v - c.leastSquares[i])).toBeLessThan(tolerance));
  });

  it('has no solution, and says why, for fewer samples than weights', () => {
    expect(leastSquares([1], [2], 1)).toEqual({
      ok: false,
      reason: '2 weights (the bias and 1 features) need at least 2 samples, got 1',
    });
    // Two rows, three features: four weights.
    expect(leastSquares([1, 2, 3, 4, 5, 6], [1, 2], 2)).toEqual({
      ok: false,
      reason: '4 weights (the bias and 3 features) need at least 4 samples, got 2',
    });
  });

  it('has no solution for a constant or collinear feature (rank deficient)', () => {
    // Feature 1 is constant (0.7, or 0): a multiple of the bias column.: a multiple of the bias column.
    expect(leastSquares([0.7, 0.7, 0.7, 0.7], [1, 2, 3, 4], 4)).toEqual({
      ok: false,
      reason: 'rank deficient: feature 1 is constant or a linear combination of the bias',
    });
    expect(leastSquares([0, 0, 0], [1, 2, 3], 3)).toEqual({
      ok: false,
      reason: 'rank deficient: feature 1 is constant or a linear combination of the bias',
    });
    // Feature 2 = 3·feature 1 + 0.1, written as decimals (so collinear only to rounding).
    const x1 = [0.1, 0.4, 0.35, 0.9, 1.3];
    const x = x1.flatMap((v) => [v, +(3 * v + 0.1).toFixed(12)]);
    expect(leastSquares(x, [1, 2, 3, 4, 5], 5)).toEqual({
      ok: false,
      reason:
        'rank deficient: feature 2 is constant or a linear combination of the bias and features 1 to 1',
    });
    // Feature 3 = feature 1 − feature 2, exactly.
    const rows = [
      [1, 2],
      [3, 1],
      [0, 5],
      [2, 2],
      [4, 7],
    ];
    expect(
      leastSquares(
        rows.flatMap(([a, b]) => [a, b, a - b]),
        [1, 0, 2, 1, 3],
        5,
      ),
    ).toEqual({
      ok: false,
      reason:
        'rank deficient: feature 3 is constant or a linear combination of the bias and features 1 to 2',
    });
  });

  it('counts a feature that varies only in its last digits as constant, as NumPy’s rank does', () => {
    // 1 ± 5e-15 on 100 rows: relative spread ≈ 22 ε, under max(n, columns)·ε = 100 ε (numpy's
    // matrix_rank of [1, x] is 1 too).
    const x = Array.from({ length: 100 }, (_, i) => 1 + (i % 2 ? 5e-15 : -5e-15));
    const y = Array.from({ length: 100 }, (_, i) => i);
    expect(leastSquares(x, y, 100)).toEqual({
      ok: false,
      reason: 'rank deficient: feature 1 is constant or a linear combination of the bias',
    });
  });

  it('keeps nearly collinear features that are still independent, as NumPy does', () => {
    // Feature 2 differs from feature 1 by 1e-7: ill-conditioned, but of full rank.
    const x1 = [1, 2, 3, 4, 5];
    const d = [1, -1, 1, -1, 1];
    const x = x1.flatMap((v, i) => [v, v + 1e-7 * d[i]]);
    const result = leastSquares(x, [3.1, 4.8, 7, 9.3, 11], 5);
    expect(result.ok).toBe(true);
  });

  it('has no solution for data that is not finite', () => {
    const reason = 'the data holds a value that is not a finite number';
    expect(leastSquares([0, 1, NaN], [1, 2, 3], 3)).toEqual({ ok: false, reason });
    expect(leastSquares([0, 1, 2], [1, Infinity, 3], 3)).toEqual({ ok: false, reason });
  });

  it('throws on shapes that disagree (a caller bug, not bad data)', () => {
    expect(() => leastSquares([1, 2, 3], [1, 2], 2)).toThrow(
      'leastSquares: x has 3 values and y 2 for n = 2',
    );
    expect(() => leastSquares([1, 2], [1, 2, 3], 2)).toThrow(
      'leastSquares: x has 2 values and y 3 for n = 2',
    );
  });
});

describe('the linear-regression reference of an experiment', () => {
  const catalog = defaultCatalog();
  /** A linear regression on a CSV (header x1, x2, y), trained on all of it. */
  const prepared = (rows: string[]) =>
    prepareTask(
      assertSpec(
        {
          version: 1,
          name: 'csv-regression',
          task: {
            kind: 'regression',
            dataset: { type: 'csv', task: 'regression', text: ['x1,x2,y', ...rows].join('\n') },
            model: { type: 'linear-regression' },
            testFraction: 0,
            standardize: false,
          },
          training: { epochs: 1 },
          runs: [{ name: 'SGD', optimizer: { type: 'SGD', lr: 0.01 } }],
        },
        catalog,
      ),
    );

  it('is the least-squares solution of the training data', async () => {
    // y = 1 + 2·x1 − x2 exactly.
    const task = await prepared(['0,0,1', '1,0,3', '0,1,0', '2,3,2']);
    expect(task.kind).toBe('regression');
    const ls = task.kind === 'regression' ? task.leastSquares : null;
    expect(ls?.ok && ls.weights.map((v) => +v.toFixed(12))).toEqual([1, 2, -1]);
  });

  it('is left out, with the reason, for too few rows or collinear columns (no crash)', async () => {
    const few = await prepared(['0,0,1', '1,0,3']);
    expect(few.kind === 'regression' && few.leastSquares).toEqual({
      ok: false,
      reason: '3 weights (the bias and 2 features) need at least 3 samples, got 2',
    });
    const collinear = await prepared(['1,2,1', '2,4,3', '3,6,2', '4,8,5']);
    expect(collinear.kind === 'regression' && collinear.leastSquares).toEqual({
      ok: false,
      reason:
        'rank deficient: feature 2 is constant or a linear combination of the bias and features 1 to 1',
    });
  });
});
