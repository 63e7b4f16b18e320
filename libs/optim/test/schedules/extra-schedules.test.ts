import { describe, expect, it } from 'vitest';
import {
  MultiplicativeLR,
  SWALR,
  SequentialLR,
  WSD,
  CosineAnnealingLR,
  checkScheduleOptions,
  scheduleCurve,
  type WSDDecayType,
} from '../../src/index.js';
import { expectClose, fakeOptimizer } from './helpers.js';

const sgd = (lr = 0.1) => fakeOptimizer([{ lr }]);

describe('WSD: continuity on both sides of every boundary', () => {
  const W = 10;
  const S = 20;
  const D = 30;
  const base = 0.1;
  for (const decayType of ['linear', 'cosine', '1-sqrt'] as WSDDecayType[]) {
    for (const r of [0, 0.1]) {
      describe(`${decayType}, minLrRatio ${r}`, () => {
        const options = { warmupSteps: W, stableSteps: S, decaySteps: D, decayType, minLrRatio: r };
        const curve = scheduleCurve('WSD', options, base, W + S + D + 5);
        const g = {
          linear: (p: number) => 1 - p,
          cosine: (p: number) => (1 + Math.cos(Math.PI * p)) / 2,
          '1-sqrt': (p: number) => 1 - Math.sqrt(p),
        }[decayType];

        it('warmup → stable at step W: the line reaches the base lr exactly there', () => {
          expect(curve[0]).toBe(0);
          expectClose(curve[W - 1], (base * (W - 1)) / W, 'left: last warmup step');
          expect(curve[W]).toBe(base);
          // The jump into the boundary is one warmup increment, no more.
          expectClose(curve[W] - curve[W - 1], base / W, 'jump at W');
          expect(curve[W + 1]).toBe(base);
        });

        it('stable → decay at step W + S: the decay starts at g(0) = 1', () => {
          const b = W + S;
          expect(curve[b - 1]).toBe(base);
          expect(curve[b]).toBe(base);
          expectClose(curve[b + 1], base * (r + (1 - r) * g(1 / D)), 'first decay step');
          expect(curve[b + 1]).toBeLessThan(base);
        });

        it('decay → floor at step W + S + D: the decay ends at g(1) = 0, the floor r', () => {
          const b = W + S + D;
          expectClose(curve[b - 1], base * (r + (1 - r) * g((D - 1) / D)), 'last decay step');
          expect(curve[b - 1]).toBeGreaterThan(base * r);
          expectClose(curve[b], base * r, 'floor at the boundary');
          expectClose(curve[b + 4], base * r, 'floor after');
          // The decay's own formula, extended to p = 1, meets the floor.
          expectClose(base * (r + (1 - r) * g(1)), curve[b], 'formula at p = 1');
        });

        it('never rises after the warmup, and stays within [r·base, base]', () => {
          for (let t = W + 1; t < curve.length; t++) {
            expect(curve[t], `step ${t}`).toBeLessThanOrEqual(curve[t - 1]);
            expect(curve[t]).toBeGreaterThanOrEqual(base * r - 1e-15);
          }
        });
      });
    }
  }

  it('no warmup and no plateau: the decay starts at the base lr at step 0', () => {
    const sched = new WSD(sgd(), { warmupSteps: 0, stableSteps: 0, decaySteps: 4 });
    expect(sched.getLastLr()).toEqual([0.1]);
    expectClose(sched.lrAt(1), 0.1 * (1 - Math.sqrt(0.25)), '1-sqrt at p = 1/4');
  });

  it('refuses bad options, naming them', () => {
    expect(() => new WSD(sgd(), { warmupSteps: 1, stableSteps: 1 } as never)).toThrow(
      'WSD: Missing required option decaySteps (an integer ≥ 1)',
    );
    expect(
      () =>
        new WSD(sgd(), {
          warmupSteps: 1,
          stableSteps: 1,
          decaySteps: 2,
          decayType: 'sqrt' as never,
        }),
    ).toThrow("WSD: Invalid decayType: \"sqrt\" (expected one of 'linear', 'cosine', '1-sqrt')");
    expect(
      checkScheduleOptions('WSD', { warmupSteps: 1, stableSteps: 2, decaySteps: 3, minLrRatio: 2 }),
    ).toEqual([{ path: ['minLrRatio'], message: 'must be ≤ 1, got 2' }]);
  });
});

describe('MultiplicativeLR', () => {
  it('applies factors[i] at step i + 1 and holds the last one', () => {
    const sched = new MultiplicativeLR(sgd(1), { factors: [0.5, 2, 0.25] });
    expect(sched.lrCurve(6)).toEqual([1, 0.5, 1, 0.25, 0.0625, 0.015625]);
    sched.step();
    sched.step();
    sched.step();
    expect(sched.getLastLr()).toEqual([0.25]);
  });

  it('a function per group, called with the step (≥ 1) as PyTorch calls lr_lambda', () => {
    const seen: number[] = [];
    const sched = new MultiplicativeLR(fakeOptimizer([{ lr: 1 }, { lr: 2 }]), {
      lrLambda: [
        (t) => {
          seen.push(t);
          return 0.5;
        },
        () => 0.1,
      ],
    });
    sched.step();
    sched.step();
    expect(seen).toEqual([1, 2]);
    expect(sched.getLastLr()).toEqual([0.25, 2 * 0.1 * 0.1]);
  });

  it('needs exactly one of lrLambda, factor and factors', () => {
    expect(() => new MultiplicativeLR(sgd(), {})).toThrow(
      'MultiplicativeLR: Give one of factor (a number) and factors (a list of numbers)',
    );
    expect(() => new MultiplicativeLR(sgd(), { factor: 0.9, factors: [0.9] })).toThrow(
      'MultiplicativeLR: Give only one of lrLambda, factor and factors (got factor and factors)',
    );
    expect(checkScheduleOptions('MultiplicativeLR', {})).toEqual([
      {
        path: ['factor'],
        message: 'Give one of factor (a number) and factors (a list of numbers)',
      },
    ]);
    expect(checkScheduleOptions('MultiplicativeLR', { factors: [] })).toEqual([
      { path: ['factors'], message: 'must list at least 1 number, got []' },
    ]);
    expect(checkScheduleOptions('MultiplicativeLR', { factor: -1 })).toEqual([
      { path: ['factor'], message: 'must be ≥ 0, got -1' },
    ]);
  });
});

describe('SWALR', () => {
  it('anneals from the lr another schedule left, as in PyTorch’s SWA recipe', () => {
    // CosineAnnealingLR for 5 steps, then SWALR takes over on the same optimizer.
    const opt = sgd(0.1);
    const cosine = new CosineAnnealingLR(opt, { TMax: 10 });
    for (let t = 0; t < 5; t++) cosine.step();
    const left = opt.paramGroups[0].lr;
    expectClose(left, 0.05, 'cosine at step 5');
    const swa = new SWALR(opt, { swaLr: 0.01, annealEpochs: 4, annealStrategy: 'linear' });
    expect(swa.getLastLr()).toEqual([left]);
    const seen: number[] = [];
    for (let t = 1; t <= 6; t++) {
      swa.step();
      seen.push(swa.getLastLr()[0]);
    }
    [0.04, 0.03, 0.02, 0.01, 0.01, 0.01].forEach((v, i) =>
      expectClose(seen[i], v, `step ${i + 1}`),
    );
  });

  it('annealEpochs 0 sets swaLr at construction', () => {
    expect(new SWALR(sgd(), { swaLr: 0.02, annealEpochs: 0 }).getLastLr()).toEqual([0.02]);
  });

  it('refuses a missing swaLr and one swaLr per group of the wrong length', () => {
    expect(() => new SWALR(sgd(), {} as never)).toThrow(
      'SWALR: Missing required option swaLr (a number ≥ 0 (or one per parameter group))',
    );
    expect(() => new SWALR(sgd(), { swaLr: [0.1, 0.2] })).toThrow(
      'SWALR: Invalid swaLr: [0.1,0.2] (expected 1 values, one per parameter group, got 2)',
    );
  });

  it('in SequentialLR it starts from the base lr at its milestone (its closed form)', () => {
    const opt = sgd(0.1);
    const seq = new SequentialLR(opt, {
      schedulers: [
        new CosineAnnealingLR(opt, { TMax: 10 }),
        new SWALR(opt, { swaLr: 0.02, annealEpochs: 2, annealStrategy: 'linear' }),
      ],
      milestones: [5],
    });
    const curve = seq.lrCurve(9);
    expectClose(curve[5], 0.1, 'milestone: base lr');
    expectClose(curve[6], 0.06, 'half way');
    expectClose(curve[7], 0.02, 'swaLr');
    expectClose(curve[8], 0.02, 'held');
  });
});
