import { describe, expect, it } from 'vitest';
import { CyclicLR, LambdaLR, OneCycleLR, createSchedule, scheduleCurve } from '../../src/index.js';
import { expectAllClose, expectClose, fakeOptimizer, label, loadFixtures } from './helpers.js';

const { torch, cases } = loadFixtures();

describe(`schedules against PyTorch ${torch}, the TensorFlow formula and the WSD formula`, () => {
  it('has a case for every scheduler the fixtures promise', () => {
    const names = new Set(cases.map((c) => c.name));
    for (const name of [
      'StepLR',
      'MultiStepLR',
      'ConstantLR',
      'LinearLR',
      'ExponentialLR',
      'PolynomialLR',
      'CosineAnnealingLR',
      'CosineAnnealingWarmRestarts',
      'CyclicLR',
      'OneCycleLR',
      'LambdaLR',
      'MultiplicativeLR',
      'SWALR',
      'SequentialLR',
      'ChainedScheduler',
      'ReduceLROnPlateau',
      'CosineDecayRestarts',
      'WSD',
    ]) {
      expect(names.has(name), name).toBe(true);
    }
  });

  for (const c of cases) {
    describe(label(c), () => {
      it('step() writes the reference lr sequence into the groups', () => {
        const opt = fakeOptimizer(c.groups, c.optimizer);
        const sched = createSchedule(c.name, opt, c.options);
        const lrs = [sched.getLastLr()];
        expectAllClose(
          opt.paramGroups.map((g) => g.lr),
          lrs[0],
          'groups after construction',
        );
        const metrics = c.metrics;
        const count = metrics ? metrics.length : c.lrs.length - 1;
        for (let t = 0; t < count; t++) {
          sched.step(metrics?.[t]);
          lrs.push(sched.getLastLr());
        }
        lrs.forEach((row, t) =>
          expectAllClose(row, c.lrs[t], `lr at step ${t + (c.firstStep ?? 0)}`),
        );
      });

      if (c.momentum) {
        const momentum = c.momentum;
        it('step() cycles momentum (or beta1) as PyTorch does', () => {
          const opt = fakeOptimizer(c.groups, c.optimizer);
          const sched = createSchedule(c.name, opt, c.options);
          const read = (): number[] =>
            opt.paramGroups.map((g) => (c.optimizer === 'Adam' ? g.betas![0] : g.momentum!));
          momentum.forEach((row, t) => {
            if (t > 0) sched.step();
            expectAllClose(read(), row, `momentum at step ${t}`);
            // The pure form agrees.
            const pure = sched as CyclicLR | OneCycleLR;
            row.forEach((m, g) => expectClose(pure.momentumAt(t, g), m, `momentumAt(${t}, ${g})`));
          });
        });
      }

      if (c.name !== 'ReduceLROnPlateau') {
        it('lrAt / lrsAt give the same values without stepping', () => {
          const opt = fakeOptimizer(c.groups, c.optimizer);
          const sched = createSchedule(c.name, opt, c.options);
          const before = JSON.stringify(opt.paramGroups);
          c.lrs.forEach((row, i) => {
            const t = i + (c.firstStep ?? 0);
            expectAllClose(sched.lrsAt(t), row, `lrsAt(${t})`);
            expectClose(sched.lrAt(t), row[0], `lrAt(${t})`);
          });
          expect(JSON.stringify(opt.paramGroups)).toBe(before);
          expect(sched.lastEpoch).toBe(c.firstStep ?? 0);
        });

        if (c.groups.length === 1 && c.firstStep === undefined) {
          it('scheduleCurve plots the same curve', () => {
            const curve = scheduleCurve(c.name, c.options, c.groups[0].lr, c.lrs.length);
            expectAllClose(
              curve,
              c.lrs.map((row) => row[0]),
              'curve',
            );
          });
        }
      }
    });
  }
});

describe('LambdaLR with functions (the programmatic form)', () => {
  const c = cases.find((x) => x.name === 'LambdaLR')!;
  const factors = c.options.factors as number[];

  it('one function per group gives the same sequence as the factors fixture', () => {
    const opt = fakeOptimizer(c.groups);
    const lambda = (t: number): number => factors[Math.min(t, factors.length - 1)];
    const sched = new LambdaLR(opt, { lrLambda: [lambda, lambda] });
    c.lrs.forEach((row, t) => {
      if (t > 0) sched.step();
      expectAllClose(sched.getLastLr(), row, `step ${t}`);
    });
  });

  it('a single function applies to every group', () => {
    const sched = new LambdaLR(fakeOptimizer([{ lr: 1 }, { lr: 2 }]), {
      lrLambda: (t) => 0.5 ** t,
    });
    expect(sched.lrsAt(3)).toEqual([0.125, 0.25]);
  });
});
