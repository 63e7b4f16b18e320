import { describe, expect, it } from 'vitest';
import {
  ChainedScheduler,
  CosineAnnealingLR,
  CyclicLR,
  ExponentialLR,
  LambdaLR,
  OneCycleLR,
  ReduceLROnPlateau,
  ScheduleError,
  SequentialLR,
  StepLR,
  createSchedule,
  scheduleCurve,
} from '../../src/index.js';
import { fakeOptimizer } from './helpers.js';

const sgd = () => fakeOptimizer([{ lr: 0.1 }]);

describe('option validation names the schedule, the option and the value', () => {
  it.each([
    ['StepLR', { stepSize: 0 }, 'StepLR: Invalid stepSize: 0 (expected an integer ≥ 1)'],
    ['StepLR', { stepSize: 2.5 }, 'StepLR: Invalid stepSize: 2.5'],
    ['StepLR', { stepSize: 3, gamma: -1 }, 'StepLR: Invalid gamma: -1 (expected a number > 0)'],
    ['StepLR', { stepSize: 3, gamma: '0.1' }, 'StepLR: Invalid gamma: "0.1"'],
    ['StepLR', { stepSize: 3, lastEpoch: -2 }, 'StepLR: Invalid lastEpoch: -2'],
    [
      'MultiStepLR',
      { milestones: [30, 10] },
      'MultiStepLR: Invalid milestones: [30,10] (expected non-decreasing integers ≥ 0)',
    ],
    ['ConstantLR', { factor: 0 }, 'ConstantLR: Invalid factor: 0 (expected a number > 0 and ≤ 1)'],
    ['LinearLR', { startFactor: 1.5 }, 'LinearLR: Invalid startFactor: 1.5'],
    ['LinearLR', { endFactor: -0.1 }, 'LinearLR: Invalid endFactor: -0.1'],
    ['ExponentialLR', { gamma: Number.NaN }, 'ExponentialLR: Invalid gamma: NaN'],
    ['PolynomialLR', { power: -1 }, 'PolynomialLR: Invalid power: -1'],
    ['CosineAnnealingLR', { TMax: 0 }, 'CosineAnnealingLR: Invalid TMax: 0'],
    [
      'CosineAnnealingWarmRestarts',
      { T0: 10, TMult: 0 },
      'CosineAnnealingWarmRestarts: Invalid TMult: 0',
    ],
    [
      'CyclicLR',
      { baseLr: 0.01, maxLr: 0.1, mode: 'tri' },
      "CyclicLR: Invalid mode: \"tri\" (expected one of 'triangular', 'triangular2', 'exp_range')",
    ],
    [
      'CyclicLR',
      { baseLr: 0.01, maxLr: [0.1, 0.2] },
      'CyclicLR: Invalid maxLr: [0.1,0.2] (expected 1 values, one per parameter group, got 2)',
    ],
    [
      'OneCycleLR',
      { maxLr: 0.1 },
      'OneCycleLR: You must define either totalSteps OR (epochs AND stepsPerEpoch)',
    ],
    [
      'OneCycleLR',
      { maxLr: 0.1, totalSteps: 10, pctStart: 0.1 },
      'OneCycleLR: Invalid pctStart: 0.1 with totalSteps 10: phase 1 of the cycle has no length',
    ],
    [
      'OneCycleLR',
      { maxLr: 0.1, totalSteps: 10, annealStrategy: 'exp' },
      "OneCycleLR: Invalid annealStrategy: \"exp\" (expected one of 'cos', 'linear')",
    ],
    [
      'ReduceLROnPlateau',
      { factor: 1 },
      'ReduceLROnPlateau: Invalid factor: 1 (expected a number ≥ 0 and < 1)',
    ],
    ['ReduceLROnPlateau', { mode: 'minimum' }, 'ReduceLROnPlateau: Invalid mode: "minimum"'],
    ['StepDecay', { drop: 0 }, 'StepDecay: Invalid drop: 0'],
    ['CosineDecay', {}, 'CosineDecay: Missing required option totalEpochs'],
    [
      'CosineDecayRestarts',
      { firstDecaySteps: 10, tMul: 0.5 },
      'CosineDecayRestarts: Invalid tMul: 0.5 (expected a number ≥ 1)',
    ],
    [
      'CosineDecayRestarts',
      { firstDecaySteps: 10, alpha: 2 },
      'CosineDecayRestarts: Invalid alpha: 2',
    ],
  ])('%s %j', (name, options, message) => {
    expect(() => createSchedule(name, sgd(), options)).toThrow(message);
  });

  it('refuses unknown option names and lists the known ones', () => {
    expect(() => createSchedule('StepLR', sgd(), { stepSize: 3, step_size: 3 })).toThrow(
      "StepLR: Unknown option 'step_size'. Known options: stepSize, gamma, lastEpoch",
    );
    expect(() => new CosineAnnealingLR(sgd(), { TMax: 10, eta_min: 0 } as never)).toThrow(
      "CosineAnnealingLR: Unknown option 'eta_min'. Known options: TMax, etaMin, lastEpoch",
    );
  });

  it('refuses a missing required option, saying what it expects', () => {
    expect(() => createSchedule('ExponentialLR', sgd(), {})).toThrow(
      'ExponentialLR: Missing required option gamma (a number > 0)',
    );
    expect(() => createSchedule('StepLR', sgd())).toThrow(
      'StepLR: Missing required option stepSize',
    );
  });

  it('throws ScheduleError carrying the schedule and the option', () => {
    try {
      createSchedule('StepLR', sgd(), { stepSize: 0 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScheduleError);
      expect((e as ScheduleError).schedule).toBe('StepLR');
      expect((e as ScheduleError).option).toBe('stepSize');
    }
  });

  it('refuses an unknown schedule and lists the known ones', () => {
    expect(() => createSchedule('CosineLR', sgd())).toThrow(
      /CosineLR: Unknown schedule\. Known schedules: StepLR, MultiStepLR, .*CosineDecayRestarts/,
    );
    expect(() => createSchedule('toString', sgd())).toThrow('toString: Unknown schedule');
  });

  it('refuses an optimizer without parameter groups or with a bad lr', () => {
    expect(() => new StepLR({ paramGroups: [] }, { stepSize: 1 })).toThrow(
      'StepLR: Expected an optimizer with at least one parameter group',
    );
    expect(() => new StepLR({ paramGroups: [{ lr: -1 }] }, { stepSize: 1 })).toThrow(
      'StepLR: Invalid lr of paramGroups[0]: -1',
    );
  });

  it('resuming (lastEpoch ≥ 0) needs initialLr in every group, as in PyTorch', () => {
    expect(() => new StepLR(sgd(), { stepSize: 3, lastEpoch: 4 })).toThrow(
      'StepLR: lastEpoch is 4 (resuming) but paramGroups[0] has no initialLr',
    );
  });

  it('lrAt and lrCurve refuse negative or fractional steps', () => {
    const s = new StepLR(sgd(), { stepSize: 3 });
    expect(() => s.lrAt(-1)).toThrow('StepLR: Invalid step: -1 (expected an integer ≥ 0)');
    expect(() => s.lrAt(1.5)).toThrow('StepLR: Invalid step: 1.5');
    expect(() => s.lrCurve(-3)).toThrow('StepLR: Invalid number of steps: -3');
    expect(() => s.lrAt(1, -0.1)).toThrow('StepLR: Invalid base learning rate: -0.1');
    expect(() => scheduleCurve('StepLR', { stepSize: 3 }, Number.NaN, 10)).toThrow(
      'StepLR: Invalid base learning rate: NaN',
    );
  });

  it('OneCycleLR refuses to go more than one step past totalSteps, as PyTorch', () => {
    const s = new OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 20 });
    expect(() => s.lrAt(20)).not.toThrow();
    expect(() => s.lrAt(21)).toThrow(
      'OneCycleLR: Tried to step 22 times. The specified number of total steps is 20',
    );
    for (let t = 0; t < 20; t++) s.step();
    expect(() => s.step()).toThrow('Tried to step 22 times');
  });

  it('cycleMomentum needs momentum or betas in the groups', () => {
    const adagrad = fakeOptimizer([{ lr: 0.1 }], 'Adagrad');
    expect(() => new CyclicLR(adagrad, { baseLr: 0.01, maxLr: 0.1 })).toThrow(
      "CyclicLR: cycleMomentum needs groups with 'momentum' or 'betas', but paramGroups[0] has neither (use an optimizer with momentum, or pass cycleMomentum: false)",
    );
    expect(() => new OneCycleLR(adagrad, { maxLr: 0.1, totalSteps: 10 })).toThrow(
      'OneCycleLR: cycleMomentum needs groups',
    );
    expect(
      () => new CyclicLR(adagrad, { baseLr: 0.01, maxLr: 0.1, cycleMomentum: false }),
    ).not.toThrow();
  });

  it('CyclicLR refuses a scaleFn that is not a function', () => {
    expect(() => new CyclicLR(sgd(), { baseLr: 0.01, maxLr: 0.1, scaleFn: 3 as never })).toThrow(
      'CyclicLR: Invalid scaleFn: 3 (expected a function)',
    );
  });

  it('LambdaLR needs exactly one of lrLambda and factors, and one lambda per group', () => {
    expect(() => new LambdaLR(sgd(), {})).toThrow(
      'LambdaLR: Give exactly one of lrLambda (a function) and factors',
    );
    expect(() => new LambdaLR(sgd(), { lrLambda: () => 1, factors: [1] })).toThrow(
      'Give exactly one of',
    );
    expect(
      () => new LambdaLR(fakeOptimizer([{ lr: 1 }, { lr: 2 }]), { lrLambda: [() => 1] }),
    ).toThrow('LambdaLR: Expected 2 lrLambdas, but got 1');
    expect(() => new LambdaLR(sgd(), { lrLambda: 'x' as never })).toThrow(
      'LambdaLR: Invalid lrLambda: "x" (expected a function)',
    );
    expect(() => new LambdaLR(sgd(), { factors: [] })).toThrow('LambdaLR: Invalid factors: []');
  });

  it('ReduceLROnPlateau has no closed form and needs its metric', () => {
    const s = new ReduceLROnPlateau(sgd());
    const message =
      'ReduceLROnPlateau: The learning rate depends on the metrics passed to step(metric)';
    expect(() => s.lrAt(3)).toThrow(message);
    expect(() => s.lrCurve(3)).toThrow(message);
    expect(() => scheduleCurve('ReduceLROnPlateau', {}, 0.1, 10)).toThrow(message);
    expect(() => s.step()).toThrow(
      'ReduceLROnPlateau: step(metric) needs the monitored metric as a number, got undefined',
    );
  });
});

describe('composite validation', () => {
  it('SequentialLR needs one milestone fewer than schedulers, strictly increasing', () => {
    const opt = sgd();
    const a = new ExponentialLR(opt, { gamma: 0.9 });
    const b = new StepLR(opt, { stepSize: 2 });
    expect(() => new SequentialLR(opt, { schedulers: [a, b], milestones: [] })).toThrow(
      'SequentialLR: Expected 1 milestones for 2 schedulers, got 0',
    );
    expect(() => new SequentialLR(opt, { schedulers: [a, b, a], milestones: [5, 5] })).toThrow(
      'SequentialLR: Invalid milestones: [5,5] (expected strictly increasing integers ≥ 1)',
    );
    expect(() => new SequentialLR(opt, { schedulers: [a, b], milestones: [0] })).toThrow(
      'SequentialLR: Invalid milestones: [0]',
    );
  });

  it('refuses children on another optimizer, ReduceLROnPlateau, or none', () => {
    const opt = sgd();
    const other = new StepLR(sgd(), { stepSize: 2 });
    expect(() => new ChainedScheduler(opt, { schedulers: [other] })).toThrow(
      'ChainedScheduler: schedulers[0] (StepLR) belongs to another optimizer',
    );
    expect(
      () => new ChainedScheduler(opt, { schedulers: [new ReduceLROnPlateau(opt)] as never }),
    ).toThrow('ChainedScheduler: schedulers[0] (ReduceLROnPlateau) cannot be composed');
    expect(() => new ChainedScheduler(opt, { schedulers: [] })).toThrow(
      'ChainedScheduler: Invalid schedulers: []',
    );
  });

  it('the registry form checks each { type, options } entry', () => {
    expect(() =>
      createSchedule('SequentialLR', sgd(), { schedulers: [{ options: {} }], milestones: [] }),
    ).toThrow(
      'SequentialLR: Invalid schedulers[0]: {"options":{}} (expected { type: string, options?: object })',
    );
    expect(() =>
      createSchedule('ChainedScheduler', sgd(), {
        schedulers: [{ type: 'StepLR', options: { stepSize: 0 } }],
      }),
    ).toThrow('StepLR: Invalid stepSize: 0');
    expect(() =>
      createSchedule('ChainedScheduler', sgd(), { schedulers: [{ type: 'ReduceLROnPlateau' }] }),
    ).toThrow('ChainedScheduler: schedulers[0] (ReduceLROnPlateau) cannot be composed');
    expect(() => createSchedule('SequentialLR', sgd(), { milestones: [] })).toThrow(
      'SequentialLR: Invalid schedulers: undefined',
    );
  });
});
