import { describe, expect, it } from 'vitest';
import { CyclicLR, OneCycleLR } from '../../src/index.js';
import { expectClose, fakeOptimizer, loadFixtures } from './helpers.js';

const cyclicCase = loadFixtures().cases.find(
  (c) =>
    c.name === 'CyclicLR' && c.options.mode === undefined && c.momentum && c.groups.length === 1,
)!;

describe('momentum cycling', () => {
  it("CyclicLR drives Adam's betas[0] with the momentum PyTorch gives SGD, keeping betas[1]", () => {
    const opt = fakeOptimizer(cyclicCase.groups, 'Adam');
    const sched = new CyclicLR(opt, cyclicCase.options as never);
    cyclicCase.momentum!.forEach((row, t) => {
      if (t > 0) sched.step();
      expectClose(opt.paramGroups[0].betas![0], row[0], `beta1 at ${t}`);
      expect(opt.paramGroups[0].betas![1]).toBe(0.999);
    });
    expect(opt.paramGroups[0].momentum).toBeUndefined();
  });

  it('CyclicLR: momentum falls as the lr rises (max at the base lr, base at the peak)', () => {
    const opt = fakeOptimizer([{ lr: 0.1 }]);
    const sched = new CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4 });
    expect(opt.paramGroups[0].momentum).toBe(0.9);
    for (let t = 0; t < 4; t++) sched.step();
    expect(sched.getLastLr()[0]).toBeCloseTo(0.1, 15);
    expect(opt.paramGroups[0].momentum).toBeCloseTo(0.8, 15);
  });

  it('cycleMomentum: false leaves momentum alone', () => {
    const opt = fakeOptimizer([{ lr: 0.1 }]);
    const sched = new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 20, cycleMomentum: false });
    for (let t = 0; t < 10; t++) sched.step();
    expect(opt.paramGroups[0].momentum).toBe(0.9);
  });

  it('OneCycleLR overwrites initialLr with maxLr / divFactor, as PyTorch', () => {
    const opt = fakeOptimizer([{ lr: 0.5, initialLr: 0.5 }]);
    new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 20, divFactor: 10 });
    expect(opt.paramGroups[0].initialLr).toBeCloseTo(0.01, 15);
    expect(opt.paramGroups[0].lr).toBeCloseTo(0.01, 15);
  });

  it('a custom CyclicLR scaleFn replaces the mode', () => {
    const opt = fakeOptimizer([{ lr: 0.1 }]);
    const sched = new CyclicLR(opt, {
      baseLr: 0,
      maxLr: 1,
      stepSizeUp: 2,
      scaleFn: (cycle) => 1 / cycle,
      scaleMode: 'cycle',
    });
    // cycle 1 peaks at step 2 with scale 1, cycle 2 at step 6 with scale 1/2
    expect(sched.lrAt(2)).toBe(1);
    expect(sched.lrAt(6)).toBe(0.5);
    expect(sched.lrAt(5)).toBe(0.25);
  });
});
