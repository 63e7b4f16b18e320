import { describe, expect, it } from 'vitest';
import { heavyBallOptimum } from '@optlab/optim';
import {
  DEFAULT_SETUP,
  bestCell,
  eigenErrors,
  measuredSgdRate,
  nearestCell,
  predictedSgdRate,
  quadraticOf,
  rateGridAxes,
  sgdTrajectory,
  type RateGrid,
} from '../src/renderer/src/lib/quadratic-lab.js';
import { LR_FACTORS, lrGridPaths, lrGridSpec, rampColor } from '../src/renderer/src/lib/lr-grid.js';

describe('quadratic lab', () => {
  const fn = quadraticOf(DEFAULT_SETUP);

  it('the default is κ = 100 at 30°, and the optimum is measured at the predicted 9/11 within 1.5 %', () => {
    expect(fn.eigenvalues).toEqual([1, 100]);
    const opt = heavyBallOptimum(fn.eigenvalues);
    expect(predictedSgdRate(fn, opt.alpha, opt.beta)).toBeCloseTo(9 / 11, 6);
    expect(Math.abs(measuredSgdRate(fn, opt.alpha, opt.beta) / (9 / 11) - 1)).toBeLessThan(0.015);
    // Plain gradient descent at its best step: (κ − 1)/(κ + 1).
    expect(measuredSgdRate(fn, 2 / 101, 0)).toBeCloseTo(99 / 101, 4);
  });

  it('eigenErrors: |qᵢ·x| per step, and along q₂ (λ = 100) GD at lr 0.01 is done in one step', () => {
    const path = sgdTrajectory(fn, 0.01, 0, 5);
    expect(path).toHaveLength(6);
    const [slow, fast] = eigenErrors(fn, path);
    slow.forEach((e, k) => expect(e).toBeCloseTo(slow[0] * 0.99 ** k, 12));
    expect(fast[1]).toBeLessThan(1e-15);
  });

  it('a diverging run stops at its first non-finite point and measures Infinity', () => {
    // lr·λmax = 5: the fast mode grows ×4 per step, overflowing float64 after about 510 steps.
    const path = sgdTrajectory(fn, 0.05, 0, 2000);
    expect(path.length).toBeLessThan(600);
    expect(path.at(-1)!.every(Number.isFinite)).toBe(false);
    expect(measuredSgdRate(fn, 0.05, 0)).toBeCloseTo(4, 6);
    // ×199 per step overflows within the 200 measured steps.
    expect(measuredSgdRate(fn, 2, 0)).toBe(Infinity);
  });

  it('the grid: lr geometric from 0.02/λmax to 4/λmax, momentum 0 … 0.95; best and nearest cells', () => {
    const axes = rateGridAxes(fn);
    expect(axes.lrs).toHaveLength(24);
    expect(axes.lrs[0]).toBeCloseTo(2e-4, 15);
    expect(axes.lrs[23]).toBeCloseTo(0.04, 15);
    expect(axes.momenta).toEqual(
      Array.from({ length: 20 }, (_, j) => Number((j * 0.05).toFixed(2))),
    );
    expect(nearestCell(axes, 0.0331, 0.669)).toEqual({ i: 22, j: 13 });
    const grid: RateGrid = {
      lrs: [1, 2],
      momenta: [0, 0.5],
      measured: [
        [0.9, 0.8],
        [0.7, Infinity],
      ],
      predicted: [
        [0.9, 0.8],
        [0.7, 1.2],
      ],
    };
    expect(bestCell(grid)).toEqual({ lr: 1, momentum: 0.5, i: 0, j: 1, rate: 0.7 });
  });
});

describe('lr grid of the paths view', () => {
  const draft = {
    version: 1,
    name: 'e',
    task: { kind: 'function', function: { type: 'booth' }, start: [0, 0] },
    training: { steps: 5000 },
    runs: [
      { name: 'a', optimizer: { type: 'Adam', lr: 0.1 }, backend: 'cpu' },
      { name: 'f', optimizer: { type: 'AdafactorHF' }, backend: 'cpu' },
    ],
  };

  it('copies the run with lr × ¼ … 4 on cpu64, steps capped at 2000', () => {
    const spec = lrGridSpec(draft, 0, LR_FACTORS);
    expect(spec.runs.map((r) => [r.name, (r.optimizer as { lr: number }).lr, r.backend])).toEqual([
      ['lr 0.025', 0.025, 'cpu64'],
      ['lr 0.05', 0.05, 'cpu64'],
      ['lr 0.1', 0.1, 'cpu64'],
      ['lr 0.2', 0.2, 'cpu64'],
      ['lr 0.4', 0.4, 'cpu64'],
    ]);
    expect(spec.training.steps).toBe(2000);
  });

  it('refuses a run without a single lr (relative steps) and a run that is not there', () => {
    expect(() => lrGridSpec(draft, 1, LR_FACTORS)).toThrow(
      "f's optimizer has no single lr to vary (lr is null)",
    );
    expect(() => lrGridSpec(draft, 5, LR_FACTORS)).toThrow('there is no run 6');
  });

  it('runs the grid: every path starts at the start point, colours run along the ramp', async () => {
    const paths = await lrGridPaths(
      lrGridSpec({ ...draft, training: { steps: 20 } }, 0, [0.5, 1, 2]),
    );
    expect(paths.map((p) => [p.lr, p.color, p.points.length, p.points[0]])).toEqual([
      [0.05, '#440154', 21, [0, 0]],
      [0.1, '#21918c', 21, [0, 0]],
      [0.2, '#fde725', 21, [0, 0]],
    ]);
    expect(rampColor(0.25)).toBe('#3b528b');
    expect(rampColor(-1)).toBe('#440154');
  });
});
