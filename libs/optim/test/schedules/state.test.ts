import { describe, expect, it } from 'vitest';
import {
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ReduceLROnPlateau,
  SCHEDULES,
  StepLR,
  createSchedule,
  type LRScheduler,
  type SchedulerState,
} from '../../src/index.js';
import { REQUIRED, fakeOptimizer, type FakeGroup } from './helpers.js';

/** A metric that improves, then stalls: enough for ReduceLROnPlateau to act mid-run. */
const metric = (t: number): number => (t < 5 ? 1 / (1 + t) : 0.2 + 0.001 * (t % 3));

function advance(sched: LRScheduler, from: number, count: number): number[][] {
  const rows: number[][] = [];
  for (let t = from; t < from + count; t++) {
    sched.step(metric(t));
    rows.push([
      ...sched.getLastLr(),
      ...sched.optimizer.paramGroups.map((g) => (g as FakeGroup).momentum ?? 0),
    ]);
  }
  return rows;
}

describe('stateDict / loadStateDict', () => {
  for (const name of Object.keys(SCHEDULES)) {
    it(`${name}: a JSON round trip mid-run continues identically`, () => {
      const options = name === 'ReduceLROnPlateau' ? { patience: 1 } : REQUIRED[name];
      const groups = [{ lr: 0.1 }, { lr: 0.05 }];
      const opt = fakeOptimizer(groups);
      const sched = createSchedule(name, opt, options);
      advance(sched, 0, 7);
      const savedGroups = JSON.stringify(opt.paramGroups);
      const saved = JSON.stringify(sched.stateDict());
      const expected = advance(sched, 7, 12);

      // A fresh optimizer and scheduler, then the saved states (PyTorch's order).
      const opt2 = fakeOptimizer(groups);
      const sched2 = createSchedule(name, opt2, options);
      opt2.paramGroups.splice(0, 2, ...(JSON.parse(savedGroups) as FakeGroup[]));
      sched2.loadStateDict(JSON.parse(saved) as SchedulerState);
      expect(sched2.lastEpoch).toBe(7);
      expect(advance(sched2, 7, 12)).toEqual(expected);
    });
  }

  it('saves plain JSON with the class name, the epoch and the lrs', () => {
    const sched = new CosineAnnealingWarmRestarts(fakeOptimizer([{ lr: 0.1 }]), {
      T0: 3,
      TMult: 2,
    });
    for (let t = 0; t < 4; t++) sched.step();
    const state = sched.stateDict();
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    expect(state).toMatchObject({
      type: 'CosineAnnealingWarmRestarts',
      lastEpoch: 4,
      baseLrs: [0.1],
      TCur: 1,
      Ti: 6,
    });
  });

  it('ReduceLROnPlateau saves an unset best as null, not Infinity', () => {
    const sched = new ReduceLROnPlateau(fakeOptimizer([{ lr: 0.1 }]), { mode: 'max' });
    expect(sched.stateDict()).toMatchObject({ best: null, numBadEpochs: 0, lastEpoch: 0 });
    sched.step(0.5);
    expect(sched.stateDict()).toMatchObject({ best: 0.5, lastEpoch: 1 });
    const fresh = new ReduceLROnPlateau(fakeOptimizer([{ lr: 0.1 }]), { mode: 'max' });
    fresh.loadStateDict({ ...sched.stateDict(), best: null });
    expect(fresh.best).toBe(-Infinity);
  });

  it('refuses the state of another schedule or of another number of groups', () => {
    const a = new StepLR(fakeOptimizer([{ lr: 0.1 }]), { stepSize: 2 });
    const b = new CosineAnnealingLR(fakeOptimizer([{ lr: 0.1 }]), { TMax: 4 });
    expect(() => b.loadStateDict(a.stateDict())).toThrow(
      'CosineAnnealingLR: Cannot load the state of "StepLR" into a CosineAnnealingLR',
    );
    const two = new StepLR(fakeOptimizer([{ lr: 0.1 }, { lr: 0.2 }]), { stepSize: 2 });
    expect(() => two.loadStateDict(a.stateDict())).toThrow(
      'StepLR: Invalid state: baseLrs is [0.1], expected 2 numbers (one per parameter group)',
    );
  });
});

describe('resuming with lastEpoch (PyTorch last_epoch)', () => {
  it('CosineAnnealingWarmRestarts resumes at the exact position of an uninterrupted run', () => {
    const full = new CosineAnnealingWarmRestarts(fakeOptimizer([{ lr: 0.1 }]), { T0: 3, TMult: 2 });
    const lrs = [full.getLastLr()[0]];
    for (let t = 1; t < 40; t++) {
      full.step();
      lrs.push(full.getLastLr()[0]);
    }
    // resume after step 25 (period 3: steps 21-44); PyTorch 1.13 would subtract only one period
    const resumed = new CosineAnnealingWarmRestarts(
      fakeOptimizer([{ lr: lrs[25], initialLr: 0.1 }]),
      {
        T0: 3,
        TMult: 2,
        lastEpoch: 25,
      },
    );
    const after = [resumed.getLastLr()[0]];
    for (let t = 27; t < 40; t++) {
      resumed.step();
      after.push(resumed.getLastLr()[0]);
    }
    expect(after).toEqual(lrs.slice(26));
  });

  it('CyclicLR resumes from its options without touching initialLr', () => {
    const opt = fakeOptimizer([{ lr: 0.05, initialLr: 0.01 }]);
    const sched = new CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4, lastEpoch: 9 });
    expect(sched.lastEpoch).toBe(10);
    expect(sched.getLastLr()[0]).toBeCloseTo(0.01 + 0.09 * 0.5, 15); // step 10: half way down the 2nd cycle
  });
});
