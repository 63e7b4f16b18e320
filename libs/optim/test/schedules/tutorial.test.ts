import { describe, expect, it } from 'vitest';
import {
  CosineAnnealingLR,
  CosineDecay,
  CosineDecayRestarts,
  ExponentialDecay,
  ExponentialLR,
  LinearWarmup,
  StepDecay,
  StepLR,
} from '../../src/index.js';
import { expectClose, fakeOptimizer } from './helpers.js';

/** Runs `steps` steps and returns the lr after construction and after each step. */
function run(sched: { step(): void; getLastLr(): number[] }, steps: number): number[] {
  const lrs = [sched.getLastLr()[0]];
  for (let t = 1; t < steps; t++) {
    sched.step();
    lrs.push(sched.getLastLr()[0]);
  }
  return lrs;
}

describe("the tutorial's LearningRateScheduler (initial_lr = 0.1)", () => {
  it('StepDecay: 0.1 · 0.5^⌊(1 + t) / 10⌋, dropping at t = 9, 19, ...', () => {
    const lrs = run(new StepDecay(fakeOptimizer([{ lr: 0.1 }])), 100);
    expect(lrs.slice(0, 9)).toEqual(new Array(9).fill(0.1));
    expect(lrs.slice(9, 19)).toEqual(new Array(10).fill(0.05));
    expect(lrs[19]).toBe(0.025);
    expect(lrs[99]).toBe(0.1 * 0.5 ** 10); // ⌊100 / 10⌋ = 10 drops
  });

  it('StepDecay(t) is StepLR(stepSize = epochsDrop, gamma = drop) one step later', () => {
    const decay = new StepDecay(fakeOptimizer([{ lr: 0.1 }]), { drop: 0.5, epochsDrop: 10 });
    const stepLr = new StepLR(fakeOptimizer([{ lr: 0.1 }]), { stepSize: 10, gamma: 0.5 });
    for (let t = 0; t < 60; t++) expect(decay.lrAt(t)).toBe(stepLr.lrAt(t + 1));
    expect(decay.lrAt(9)).not.toBe(stepLr.lrAt(9));
  });

  it('ExponentialDecay: 0.1 · e^(−0.1 t), which is ExponentialLR with γ = e^(−k)', () => {
    const decay = new ExponentialDecay(fakeOptimizer([{ lr: 0.1 }]));
    expect(decay.lrAt(0)).toBe(0.1);
    expectClose(decay.lrAt(10), 0.1 / Math.E, 'e^-1 / 10');
    expectClose(decay.lrAt(30), 0.004978706836786394, '0.1 e^-3');
    const expLr = new ExponentialLR(fakeOptimizer([{ lr: 0.1 }]), { gamma: Math.exp(-0.1) });
    for (let t = 0; t < 100; t++) expectClose(decay.lrAt(t), expLr.lrAt(t), `t = ${t}`);
  });

  it('CosineDecay(totalEpochs = 100): half a cosine to 0, then back up', () => {
    const decay = new CosineDecay(fakeOptimizer([{ lr: 0.1 }]), { totalEpochs: 100 });
    expect(decay.lrAt(0)).toBe(0.1);
    expectClose(decay.lrAt(25), (0.1 * (1 + Math.SQRT1_2)) / 2, 't = 25');
    expectClose(decay.lrAt(50), 0.05, 't = 50');
    expectClose(decay.lrAt(100), 0, 't = 100');
    expectClose(decay.lrAt(150), 0.05, 't = 150 climbs back');
    const annealing = new CosineAnnealingLR(fakeOptimizer([{ lr: 0.1 }]), { TMax: 100 });
    for (let t = 0; t < 200; t++) expectClose(decay.lrAt(t), annealing.lrAt(t), `t = ${t}`);
  });

  it('AdamWithScheduler uses epoch 0 on its first update: lr in force after construction', () => {
    const opt = fakeOptimizer([{ lr: 0.1 }]);
    const decay = new StepDecay(opt, { epochsDrop: 2 });
    expect(opt.paramGroups[0].lr).toBe(0.1); // update 0 uses step_decay(0)
    decay.step();
    expect(opt.paramGroups[0].lr).toBe(0.05); // update 1 uses step_decay(1) = 0.1 · 0.5^⌊2/2⌋
  });

  it('initialLr replaces the optimizer lr as the base', () => {
    const opt = fakeOptimizer([{ lr: 0.5 }]);
    const decay = new StepDecay(opt, { initialLr: 0.1 });
    expect(opt.paramGroups[0].lr).toBe(0.1);
    expect(decay.baseLrs).toEqual([0.1]);
    expect(decay.lrAt(9)).toBe(0.05);
  });
});

describe("the tutorial's AdvancedLRScheduler", () => {
  it('LinearWarmup: initial_lr · t / warmupSteps, exactly 0 at t = 0, then constant', () => {
    const lrs = run(
      new LinearWarmup(fakeOptimizer([{ lr: 0.5 }]), { initialLr: 0.2, warmupSteps: 4 }),
      8,
    );
    expect(lrs).toEqual([0, 0.05, 0.1, 0.15000000000000002, 0.2, 0.2, 0.2, 0.2]);
    expect(new LinearWarmup(fakeOptimizer([{ lr: 0.001 }])).lrAt(250)).toBe(0.00025); // 1000 steps
  });

  it("CosineDecayRestarts: TensorFlow's periods firstDecaySteps · tMul^i, peaks mMul^i", () => {
    const sched = new CosineDecayRestarts(fakeOptimizer([{ lr: 1 }]), {
      firstDecaySteps: 10,
      tMul: 2,
      mMul: 0.5,
    });
    // period 0: steps 0-9 (10 steps), period 1: 10-29 (20), period 2: 30-69 (40)
    expect(sched.lrAt(0)).toBe(1);
    expectClose(sched.lrAt(5), 0.5, 'half way through period 0');
    expect(sched.lrAt(10)).toBe(0.5);
    expectClose(sched.lrAt(20), 0.25, 'half way through period 1');
    expect(sched.lrAt(30)).toBe(0.25);
    expectClose(sched.lrAt(50), 0.125, 'half way through period 2');
    expect(sched.restartAt(29)).toEqual([1, 0.95]);
    expect(sched.restartAt(30)).toEqual([2, 0]);
  });

  it('CosineDecayRestarts keeps alpha out of the mMul scaling, as TensorFlow does', () => {
    const sched = new CosineDecayRestarts(fakeOptimizer([{ lr: 1 }]), {
      firstDecaySteps: 10,
      mMul: 0.5,
      alpha: 0.1,
    });
    // t = 20: restart 1, half way: (1 − α) · 0.5 · (1 + cos(π/2)) · 0.5 + α
    expectClose(sched.lrAt(20), 0.9 * 0.5 * 0.5 + 0.1, 'TF form');
    // the tutorial's form would scale alpha too: ((1 − α) · 0.5 + α) · 0.5 = 0.275
    expect(Math.abs(sched.lrAt(20) - 0.275)).toBeGreaterThan(0.04);
  });

  it("differs from the tutorial's cosine_decay_restart, whose period exponent is off by one", () => {
    // The tutorial's formula, transcribed (initial_lr 0.1, min_lr 1e-6 → alpha 1e-5, t_mul 2, m_mul 0.5).
    const tutorial = (step: number): number => {
      const first = 5000;
      const alpha = 1e-6 / 0.1;
      const cycle = Math.floor(Math.log2((step / first) * (2 - 1) + 1));
      const period = first * 2 ** (cycle - 1);
      const inPeriod = step - (first * (2 ** cycle - 1)) / (2 - 1);
      const cosine = 0.5 * (1 + Math.cos((Math.PI * inPeriod) / period));
      return 0.1 * ((1 - alpha) * cosine + alpha) * 0.5 ** cycle;
    };
    const tf = new CosineDecayRestarts(fakeOptimizer([{ lr: 0.1 }]), {
      firstDecaySteps: 5000,
      mMul: 0.5,
      alpha: 1e-5,
    });
    // Half way through the first period the tutorial is already at its floor (period 2500, not 5000) ...
    expectClose(tutorial(2500), 0.1 * 1e-5, 'tutorial at 2500');
    expectClose(tf.lrAt(2500), 0.1 * (0.5 * (1 - 1e-5) + 1e-5), 'TF at 2500');
    // ... and climbs back to the peak by the end of it, where TF is at its floor.
    expectClose(
      tutorial(4999),
      0.1 * ((1 - 1e-5) * 0.5 * (1 + Math.cos((Math.PI * 4999) / 2500)) + 1e-5),
      'tutorial at 4999',
    );
    expect(tutorial(4999)).toBeGreaterThan(0.09);
    expect(tf.lrAt(4999)).toBeLessThan(1e-5);
    // Both restart at 5000 with peak mMul; TF keeps its floor alpha unscaled, the tutorial scales it.
    expectClose(tf.lrAt(5000), 0.1 * ((1 - 1e-5) * 0.5 + 1e-5), 'TF restart');
    expectClose(tutorial(5000), 0.05, 'tutorial restart');
  });
});
