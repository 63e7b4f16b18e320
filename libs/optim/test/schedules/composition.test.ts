import { describe, expect, it } from 'vitest';
import {
  ChainedScheduler,
  CosineAnnealingLR,
  CosineDecayRestarts,
  CyclicLR,
  ExponentialLR,
  LinearLR,
  LinearWarmup,
  SequentialLR,
  StepLR,
  createSchedule,
  joinSchedules,
  scheduleCurve,
  scheduleFn,
  warmupCosineDecayRestarts,
  type LRScheduler,
} from '../../src/index.js';
import { expectAllClose, expectClose, fakeOptimizer } from './helpers.js';

/** The stateful lrs of group 0 over `steps` steps (construction included). */
function stepped(sched: LRScheduler, steps: number): number[] {
  const lrs = [sched.getLastLr()[0]];
  for (let t = 1; t < steps; t++) {
    sched.step();
    lrs.push(sched.getLastLr()[0]);
  }
  return lrs;
}

/** Largest |lr(t) − lr(t − 1)| over t in [from, to). */
function largestStep(curve: readonly number[], from: number, to: number): number {
  let largest = 0;
  for (let t = Math.max(from, 1); t < to; t++)
    largest = Math.max(largest, Math.abs(curve[t] - curve[t - 1]));
  return largest;
}

describe('warmup then cosine (SequentialLR): continuity at the milestone', () => {
  const warmupSteps = 10;
  const peak = 0.1;
  const build = (): SequentialLR => {
    const opt = fakeOptimizer([{ lr: peak }]);
    return new SequentialLR(opt, {
      schedulers: [
        new LinearLR(opt, { startFactor: 0.1, totalIters: warmupSteps }),
        new CosineAnnealingLR(opt, { TMax: 90 }),
      ],
      milestones: [warmupSteps],
    });
  };

  it('never overshoots the peak, and reaches it exactly at the milestone', () => {
    const curve = build().lrCurve(100);
    expect(Math.max(...curve)).toBe(peak);
    expect(curve.indexOf(peak)).toBe(warmupSteps);
  });

  it('the milestone step is no larger than a warmup step, on both sides', () => {
    const curve = build().lrCurve(100);
    const warmupIncrement = (peak * 0.9) / warmupSteps;
    // left side: the last warmup value; right side: the first cosine values
    expectClose(curve[warmupSteps - 1], peak * (0.1 + 0.9 * (9 / 10)), 'last warmup value');
    expect(curve[warmupSteps]).toBe(peak);
    expectClose(
      curve[warmupSteps + 1],
      (peak * (1 + Math.cos(Math.PI / 90))) / 2,
      'first cosine step',
    );
    expectClose(
      curve[warmupSteps] - curve[warmupSteps - 1],
      warmupIncrement,
      'jump into the milestone',
    );
    expect(curve[warmupSteps] - curve[warmupSteps + 1]).toBeLessThan(warmupIncrement);
    expect(largestStep(curve, 0, 100)).toBeLessThanOrEqual(warmupIncrement + 1e-15);
  });

  it('the stateful run, lrAt and lrCurve agree', () => {
    const sched = build();
    const curve = sched.lrCurve(100);
    curve.forEach((lr, t) => expect(sched.lrAt(t)).toBe(lr));
    expectAllClose(stepped(build(), 100), curve, 'stepped');
  });

  it('a warmup that does not end at the milestone jumps: continuity is the user’s to get right', () => {
    const opt = fakeOptimizer([{ lr: peak }]);
    const sched = new SequentialLR(opt, {
      schedulers: [
        new LinearLR(opt, { startFactor: 0.1, totalIters: 20 }),
        new CosineAnnealingLR(opt, { TMax: 90 }),
      ],
      milestones: [warmupSteps],
    });
    const curve = sched.lrCurve(30);
    expect(curve[warmupSteps] - curve[warmupSteps - 1]).toBeGreaterThan(0.4 * peak);
  });
});

describe("the tutorial's warmup + cosine restarts", () => {
  const options = {
    peakLr: 0.1,
    warmupSteps: 20,
    firstDecaySteps: 30,
    tMul: 2,
    mMul: 0.8,
    alpha: 0.01,
  };
  const fn = warmupCosineDecayRestarts(options);
  const curve = Array.from({ length: 400 }, (_, t) => fn(t));

  it('rises linearly from 0 to the peak and never overshoots it', () => {
    expect(curve[0]).toBe(0);
    for (let t = 0; t < 20; t++) expectClose(curve[t], (0.1 * t) / 20, `warmup ${t}`);
    expect(curve[20]).toBe(0.1);
    expect(Math.max(...curve)).toBe(0.1);
  });

  it('is continuous at the warmup boundary: both sides within one warmup increment of the peak', () => {
    expectClose(curve[19], 0.095, 'left of the boundary');
    expect(curve[20]).toBe(0.1);
    expect(curve[20] - curve[21]).toBeGreaterThan(0);
    expect(curve[20] - curve[21]).toBeLessThan(0.1 / 20);
  });

  it('restarts at 20 + 30, 20 + 90, 20 + 210: the floor on the left, the scaled peak on the right', () => {
    const restarts = [50, 110, 230];
    restarts.forEach((r, i) => {
      const period = 30 * 2 ** i; // the period that ends at r
      const floor = 0.1 * 0.01;
      // left: the last step of the period, one cosine step above the floor
      const left = 0.1 * (0.99 * 0.8 ** i * ((1 - Math.cos(Math.PI / period)) / 2) + 0.01);
      expectClose(curve[r - 1], left, `left of restart ${i + 1}`);
      expect(curve[r - 1] - floor).toBeLessThan(0.1 * 0.8 ** i * 0.003);
      // right: the restart's peak, mMul^(i + 1) of the first, then decaying
      expectClose(curve[r], 0.1 * (0.99 * 0.8 ** (i + 1) + 0.01), `peak of restart ${i + 1}`);
      expect(curve[r + 1]).toBeLessThan(curve[r]);
    });
  });

  it('equals SequentialLR([LinearWarmup, CosineDecayRestarts], milestones: [warmupSteps]) from the registry', () => {
    const spec = {
      schedulers: [
        { type: 'LinearWarmup', options: { warmupSteps: 20 } },
        {
          type: 'CosineDecayRestarts',
          options: { firstDecaySteps: 30, tMul: 2, mMul: 0.8, alpha: 0.01 },
        },
      ],
      milestones: [20],
    };
    expect(scheduleCurve('SequentialLR', spec, 0.1, 400)).toEqual(curve);
    const sched = createSchedule('SequentialLR', fakeOptimizer([{ lr: 0.1 }], 'Adam'), spec);
    expectAllClose(stepped(sched, 400), curve, 'stepped');
  });
});

describe('joinSchedules', () => {
  it("hands each schedule the step counted from its boundary, as Optax's join_schedules", () => {
    const joined = joinSchedules([(t) => t, (t) => 100 + t, (t) => 1000 + t], [3, 5]);
    expect([0, 1, 2, 3, 4, 5, 6].map(joined)).toEqual([0, 1, 2, 100, 101, 1000, 1001]);
  });

  it('joins scheduler closed forms', () => {
    const opt = fakeOptimizer([{ lr: 1 }]);
    const warm = scheduleFn(new LinearWarmup(opt, { warmupSteps: 4 }));
    const decay = scheduleFn(new ExponentialLR(opt, { gamma: 0.5 }), 1);
    const joined = joinSchedules([warm, decay], [4]);
    expect([0, 1, 2, 3, 4, 5, 6].map(joined)).toEqual([0, 0.25, 0.5, 0.75, 1, 0.5, 0.25]);
  });

  it('refuses boundaries that do not fit the schedules', () => {
    expect(() => joinSchedules([(t) => t], [3])).toThrow(
      'Expected 0 boundaries for 1 schedules, got 1',
    );
    expect(() => joinSchedules([(t) => t, (t) => t, (t) => t], [5, 5])).toThrow(
      'Invalid boundaries: [5,5]',
    );
  });
});

describe('ChainedScheduler', () => {
  it('warmup × cosine: the product of the factors never exceeds the base lr', () => {
    const opt = fakeOptimizer([{ lr: 0.1 }]);
    const sched = new ChainedScheduler(opt, {
      schedulers: [
        new LinearLR(opt, { startFactor: 0.2, totalIters: 8 }),
        new CosineAnnealingLR(opt, { TMax: 40 }),
      ],
    });
    const curve = sched.lrCurve(41);
    expect(Math.max(...curve)).toBeLessThanOrEqual(0.1);
    // where the warmup ends (t = 8) the product is smooth: both sides follow the cosine factor
    expectClose(
      curve[8],
      (0.1 * (1 + Math.cos((Math.PI * 8) / 40))) / 2,
      'right of the warmup end',
    );
    expectClose(
      curve[7],
      (0.1 * (0.2 + 0.8 * (7 / 8)) * (1 + Math.cos((Math.PI * 7) / 40))) / 2,
      'left of it',
    );
  });

  it('an absolute schedule (CyclicLR) overrides what came before it; lrAt follows the same order', () => {
    const opt = fakeOptimizer([{ lr: 0.1 }]);
    const sched = new ChainedScheduler(opt, {
      schedulers: [
        new StepLR(opt, { stepSize: 5, gamma: 0.5 }),
        new CyclicLR(opt, { baseLr: 0.01, maxLr: 0.05, stepSizeUp: 4 }),
        new ExponentialLR(opt, { gamma: 0.9 }),
      ],
    });
    const curve = sched.lrCurve(30);
    const cyclic = new CyclicLR(fakeOptimizer([{ lr: 0.1 }]), {
      baseLr: 0.01,
      maxLr: 0.05,
      stepSizeUp: 4,
    });
    // ExponentialLR multiplies the cyclic value by 0.9 on every step after the first
    curve.forEach((lr, t) => expectClose(lr, cyclic.lrAt(t) * (t === 0 ? 1 : 0.9), `t = ${t}`));
    expectAllClose(stepped(sched, 30), curve, 'stepped');
  });
});

describe('nesting', () => {
  it('a SequentialLR whose second schedule is a ChainedScheduler: stepped = lrAt = lrCurve', () => {
    const build = (): SequentialLR => {
      const opt = fakeOptimizer([{ lr: 0.2 }, { lr: 0.02 }]);
      return new SequentialLR(opt, {
        schedulers: [
          new LinearLR(opt, { startFactor: 0.5, totalIters: 6 }),
          new ChainedScheduler(opt, {
            schedulers: [
              new StepLR(opt, { stepSize: 4, gamma: 0.5 }),
              new CosineAnnealingLR(opt, { TMax: 30 }),
            ],
          }),
          new CosineDecayRestarts(opt, { firstDecaySteps: 5 }),
        ],
        milestones: [6, 26],
      });
    };
    const sched = build();
    const curve = sched.lrCurve(50);
    curve.forEach((lr, t) => expectClose(sched.lrAt(t), lr, `lrAt(${t})`));
    expect(curve[6]).toBe(0.2); // the chained schedule restarts from the base lr at its milestone
    expect(curve[26]).toBe(0.2);
    const s = build();
    const rows = [s.getLastLr()];
    for (let t = 1; t < 50; t++) {
      s.step();
      rows.push(s.getLastLr());
    }
    rows.forEach((row, t) => expectAllClose(row, s.lrsAt(t), `step ${t}`));
    expectAllClose(
      rows.map((r) => r[0]),
      curve,
      'group 0',
    );
  });
});
