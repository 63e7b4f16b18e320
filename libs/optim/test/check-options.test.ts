import { describe, expect, it } from 'vitest';
import { Parameter, cpu } from '@optlab/tensor';
import {
  OPTIMIZERS,
  SCHEDULES,
  checkOptimizerOptions,
  checkScheduleOptions,
  createOptimizer,
  createSchedule,
} from '../src/index.js';

const PROPERTY_NAMES = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'];

describe('registries: own names only', () => {
  it.each(PROPERTY_NAMES)('%s is an unknown optimizer and schedule everywhere', (name) => {
    const optimizers = Object.keys(OPTIMIZERS).join(', ');
    const schedules = Object.keys(SCHEDULES).join(', ');
    expect(checkOptimizerOptions(name)).toEqual([
      { path: ['type'], message: `unknown optimizer "${name}"; known: ${optimizers}` },
    ]);
    expect(checkScheduleOptions(name)).toEqual([
      { path: ['type'], message: `unknown schedule "${name}"; known: ${schedules}` },
    ]);
    const p = new Parameter(cpu().zeros([1]));
    expect(() => createOptimizer(name, [p])).toThrow(`unknown optimizer "${name}"`);
    const sgd = createOptimizer('SGD', [p], { lr: 0.1 });
    expect(() => createSchedule(name, sgd)).toThrow(
      `${name}: Unknown schedule. Known schedules: StepLR`,
    );
    expect(OPTIMIZERS[name]).toBeUndefined();
    expect(SCHEDULES[name]).toBeUndefined();
  });
});

describe('checkOptimizerOptions', () => {
  it('checks values, unknown names and the rules across options', () => {
    expect(checkOptimizerOptions('Adam', { lr: -1, beta: 1 })).toEqual([
      {
        path: ['beta'],
        message: `unknown option "beta" for optimizer Adam; known: ${OPTIMIZERS.Adam.options.map((o) => o.name).join(', ')}`,
      },
      { path: ['lr'], message: 'must be ≥ 0, got -1' },
    ]);
    expect(checkOptimizerOptions('AdafactorHF', { relativeStep: false })).toEqual([
      { path: ['lr'], message: 'lr is required when relativeStep is false' },
    ]);
    expect(checkOptimizerOptions('AdafactorHF', { lr: 0.01 })).toEqual([
      { path: ['lr'], message: 'Cannot combine manual lr (0.01) and relativeStep=true options' },
    ]);
    expect(checkOptimizerOptions('AdafactorHF', {})).toEqual([]);
    // torch's Adafactor (≥ 2.5) takes lr; Hugging Face's options point to AdafactorHF.
    expect(checkOptimizerOptions('Adafactor', { lr: 0.01 })).toEqual([]);
    expect(checkOptimizerOptions('Adafactor', { relativeStep: false })).toEqual([
      {
        path: ['relativeStep'],
        message:
          '"relativeStep" is an AdafactorHF option; use type AdafactorHF, or Adafactor\'s options: lr, beta2Decay, eps, d, weightDecay, maximize',
      },
    ]);
    expect(checkOptimizerOptions('Adafactor', { eps: [null, 1e-3] })).toEqual([]);
    expect(checkOptimizerOptions('SGD', { nesterov: true })[0].path).toEqual(['nesterov']);
  });

  it('accepts exactly what the constructor accepts', () => {
    const p = new Parameter(cpu().zeros([1]));
    const cases: [string, Record<string, unknown>][] = [
      ['Adam', { lr: 0.1 }],
      ['Adam', { betas: [0.9, 1] }],
      ['AdafactorHF', { relativeStep: false }],
      ['AdafactorHF', { relativeStep: false, lr: 0.1 }],
      ['Adafactor', { relativeStep: false }],
      ['Adafactor', { eps: [null, 1e-3] }],
      ['SGD', { nesterov: true, momentum: 0.9 }],
      ['SGD', { nesterov: true }],
      ['RMSprop', { alpha: null }],
    ];
    for (const [type, options] of cases) {
      let built = true;
      try {
        createOptimizer(type, [p], options).dispose?.();
      } catch {
        built = false;
      }
      expect([type, options, checkOptimizerOptions(type, options).length === 0]).toEqual([
        type,
        options,
        built,
      ]);
    }
  });
});

describe('checkScheduleOptions', () => {
  it('OneCycleLR names what is missing from its cycle length', () => {
    expect(checkScheduleOptions('OneCycleLR', { maxLr: 0.1, epochs: 5 })).toEqual([
      {
        path: ['stepsPerEpoch'],
        message:
          'You must define either totalSteps OR (epochs AND stepsPerEpoch): stepsPerEpoch is missing (epochs is given)',
      },
    ]);
    expect(checkScheduleOptions('OneCycleLR', { maxLr: 0.1, stepsPerEpoch: 5 })[0].path).toEqual([
      'epochs',
    ]);
    expect(checkScheduleOptions('OneCycleLR', { maxLr: 0.1 })[0].path).toEqual(['totalSteps']);
    expect(
      checkScheduleOptions('OneCycleLR', { maxLr: 0.1, totalSteps: 10, pctStart: 0.1 }),
    ).toEqual([
      {
        path: ['pctStart'],
        message: 'Invalid pctStart: 0.1 with totalSteps 10: phase 1 of the cycle has no length',
      },
    ]);
    expect(checkScheduleOptions('OneCycleLR', { maxLr: 0.1, epochs: 2, stepsPerEpoch: 5 })).toEqual(
      [],
    );
  });

  it('LambdaLR needs factors in JSON; SequentialLR one milestone fewer than schedulers', () => {
    expect(checkScheduleOptions('LambdaLR', {})[0]).toEqual({
      path: ['factors'],
      message: 'Give exactly one of lrLambda (a function) and factors (a list of numbers)',
    });
    expect(
      checkScheduleOptions('SequentialLR', {
        milestones: [2, 2],
        schedulers: [{ type: 'ConstantLR' }, { type: 'ConstantLR' }, { type: 'ConstantLR' }],
      }),
    ).toEqual([
      {
        path: ['milestones'],
        message: 'Invalid milestones: [2,2] (expected strictly increasing integers ≥ 1)',
      },
    ]);
  });

  it('refuses what createSchedule refuses in a child, with its path', () => {
    const options = {
      milestones: [2],
      schedulers: [{ type: 'StepLR', options: { stepSize: 1 }, extra: 1 }, { type: 'constructor' }],
    };
    expect(checkScheduleOptions('SequentialLR', options)).toEqual([
      { path: ['schedulers', 0, 'extra'], message: 'unknown key "extra"; known: type, options' },
      {
        path: ['schedulers', 1, 'type'],
        message: `unknown schedule "constructor"; known: ${Object.keys(SCHEDULES).join(', ')}`,
      },
    ]);
    const p = new Parameter(cpu().zeros([1]));
    const sgd = createOptimizer('SGD', [p], { lr: 0.1 });
    expect(() => createSchedule('SequentialLR', sgd, options)).toThrow(
      'Invalid schedulers[0]: unknown key "extra"',
    );
  });
});

describe('checkOptimizerOptions: SAM', () => {
  it("checks rho and adaptive as SAM's and every other option as the base's", () => {
    expect(checkOptimizerOptions('SAM', { base: 'SGD', lr: 0.1, momentum: 0.9, rho: 0.1 })).toEqual(
      [],
    );
    expect(checkOptimizerOptions('SAM', { base: 'SGD', lr: -1 })).toEqual([
      { path: ['lr'], message: "must be ≥ 0, got -1 (an option of SAM's base SGD)" },
    ]);
    expect(checkOptimizerOptions('SAM', { base: 'SGD', betas: [0.9, 0.99] })[0]).toMatchObject({
      path: ['betas'],
    });
    expect(checkOptimizerOptions('SAM', { base: 'SGD', rho: -1 })).toEqual([
      { path: ['rho'], message: 'must be ≥ 0, got -1' },
    ]);
    expect(checkOptimizerOptions('SAM', { lr: 0.1 })).toEqual([
      {
        path: ['base'],
        message: expect.stringMatching(/^SAM needs "base": the optimizer it wraps, one of SGD, /),
      },
    ]);
    expect(checkOptimizerOptions('SAM', { base: 'LBFGS' })[0]).toMatchObject({ path: ['base'] });
  });
});
