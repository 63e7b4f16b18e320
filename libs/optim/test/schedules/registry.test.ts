import { describe, expect, it } from 'vitest';
import { SCHEDULES, createSchedule, scheduleCurve, type OptionInfo } from '../../src/index.js';
import { REQUIRED, fakeOptimizer } from './helpers.js';

function defaults(name: string): Record<string, unknown> {
  return Object.fromEntries(SCHEDULES[name].options.map((o: OptionInfo) => [o.name, o.default]));
}

describe('the schedule registry', () => {
  it('holds every PyTorch, tutorial and TensorFlow schedule, keyed by class name', () => {
    expect(Object.keys(SCHEDULES)).toEqual(Object.keys(REQUIRED));
    for (const [key, info] of Object.entries(SCHEDULES)) {
      expect(info.name).toBe(key);
      expect(info.summary.length).toBeGreaterThan(10);
      const source = ['StepDecay', 'ExponentialDecay', 'CosineDecay', 'LinearWarmup'].includes(key)
        ? 'tutorial'
        : key === 'CosineDecayRestarts'
          ? 'tensorflow'
          : key === 'WSD'
            ? 'paper'
            : 'pytorch';
      expect(info.source, key).toBe(source);
      expect(info.pure, key).toBe(key !== 'ReduceLROnPlateau');
    }
  });

  it('describes every option with a unique camelCase name, a kind and a doc line', () => {
    for (const info of Object.values(SCHEDULES)) {
      const names = info.options.map((o) => o.name);
      expect(new Set(names).size, info.name).toBe(names.length);
      for (const o of info.options) {
        expect(o.name, info.name).toMatch(/^[a-zA-Z][a-zA-Z0-9]*$/);
        expect(o.name).not.toContain('_');
        expect(o.doc.length, `${info.name}.${o.name}`).toBeGreaterThan(5);
        if (o.kind === 'choice') expect(o.choices).toContain(o.default);
      }
    }
  });

  it("carries PyTorch's defaults (TensorFlow's for CosineDecayRestarts)", () => {
    expect(defaults('StepLR')).toMatchObject({ gamma: 0.1, lastEpoch: -1 });
    expect(defaults('ConstantLR')).toMatchObject({ factor: 1 / 3, totalIters: 5 });
    expect(defaults('LinearLR')).toMatchObject({ startFactor: 1 / 3, endFactor: 1, totalIters: 5 });
    expect(defaults('PolynomialLR')).toMatchObject({ totalIters: 5, power: 1 });
    expect(defaults('CosineAnnealingLR')).toMatchObject({ TMax: null, etaMin: 0 });
    expect(defaults('CosineAnnealingWarmRestarts')).toMatchObject({
      T0: null,
      TMult: 1,
      etaMin: 0,
    });
    expect(defaults('CyclicLR')).toMatchObject({
      stepSizeUp: 2000,
      stepSizeDown: null,
      mode: 'triangular',
      gamma: 1,
      scaleMode: 'cycle',
      cycleMomentum: true,
      baseMomentum: 0.8,
      maxMomentum: 0.9,
    });
    expect(defaults('OneCycleLR')).toMatchObject({
      pctStart: 0.3,
      annealStrategy: 'cos',
      cycleMomentum: true,
      baseMomentum: 0.85,
      maxMomentum: 0.95,
      divFactor: 25,
      finalDivFactor: 1e4,
      threePhase: false,
    });
    expect(defaults('ReduceLROnPlateau')).toEqual({
      mode: 'min',
      factor: 0.1,
      patience: 10,
      threshold: 1e-4,
      thresholdMode: 'rel',
      cooldown: 0,
      minLr: 0,
      eps: 1e-8,
    });
    expect(defaults('CosineDecayRestarts')).toMatchObject({ tMul: 2, mMul: 1, alpha: 0 });
    expect(defaults('StepDecay')).toMatchObject({ drop: 0.5, epochsDrop: 10, initialLr: null });
    expect(defaults('ExponentialDecay')).toMatchObject({ k: 0.1 });
  });

  it('creates every schedule from its required options; the defaults pass their own validation', () => {
    for (const [name, options] of Object.entries(REQUIRED)) {
      const opt = fakeOptimizer([{ lr: 0.1 }]);
      const sched = SCHEDULES[name].create(opt, options);
      expect(sched.name).toBe(name);
      expect(sched.optimizer).toBe(opt);
      expect(sched.lastEpoch).toBe(0);
      expect(sched.getLastLr()).toEqual(opt.paramGroups.map((g) => g.lr));
    }
  });

  it('scheduleCurve plots every pure schedule before a run without an optimizer', () => {
    for (const [name, options] of Object.entries(REQUIRED)) {
      if (!SCHEDULES[name].pure) continue;
      const curve = scheduleCurve(name, options, 0.1, 40);
      expect(curve, name).toHaveLength(40);
      const sched = createSchedule(name, fakeOptimizer([{ lr: 0.1 }]), options);
      curve.forEach((lr, t) => expect(lr, `${name} at ${t}`).toBe(sched.lrAt(t)));
    }
    expect(scheduleCurve('StepLR', { stepSize: 2 }, 1, 6)).toEqual([
      1, 1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002,
    ]);
    expect(scheduleCurve('StepLR', { stepSize: 2 }, 1, 0)).toEqual([]);
  });

  it('schedules that set their own range ignore the optimizer lr in scheduleCurve, as in a run', () => {
    expect(scheduleCurve('CyclicLR', { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 }, 5, 5)).toEqual(
      scheduleCurve('CyclicLR', { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 }, 0.001, 5),
    );
    expect(scheduleCurve('OneCycleLR', { maxLr: 0.1, totalSteps: 10 }, 5, 1)[0]).toBeCloseTo(
      0.1 / 25,
      15,
    );
    expect(scheduleCurve('LinearWarmup', { initialLr: 0.2, warmupSteps: 2 }, 5, 3)).toEqual([
      0, 0.1, 0.2,
    ]);
  });
});
