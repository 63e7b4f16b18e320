import { describe, expect, it } from 'vitest';
import {
  checkOption,
  checkOptionValues,
  describeDefault,
  lookup,
  registry,
  type OptionInfo,
} from '../src/index.js';

const lr: OptionInfo = { name: 'lr', kind: 'number', default: 1e-3, min: 0, doc: '' };
const step: OptionInfo = {
  name: 'stepSize',
  kind: 'integer',
  default: null,
  required: true,
  min: 1,
  doc: '',
};
const notSet: OptionInfo = { name: 'totalSteps', kind: 'integer', default: null, min: 1, doc: '' };
const milestones: OptionInfo = {
  name: 'milestones',
  kind: 'numbers',
  default: [],
  min: 1,
  doc: '',
};
const hidden: OptionInfo = { ...milestones, name: 'hidden', minItems: 1 };

describe('checkOption', () => {
  it('numbers and integers: finite, whole, within (exclusive) bounds', () => {
    expect(checkOption(lr, 0.1)).toBeUndefined();
    expect(checkOption(lr, -1)).toBe('must be ≥ 0, got -1');
    expect(checkOption(lr, NaN)).toBe('must be a finite number, got NaN');
    expect(checkOption(lr, '0.1')).toBe('must be a finite number, got "0.1"');
    expect(checkOption({ ...lr, exclusiveMin: true }, 0)).toBe('must be > 0, got 0');
    expect(checkOption({ ...lr, max: 1, exclusiveMax: true }, 1)).toBe('must be < 1, got 1');
    expect(checkOption(step, 1.5)).toBe('must be an integer, got 1.5');
  });

  it('required vs optional without default: undefined and null', () => {
    expect(checkOption(step, undefined)).toBe('is required');
    expect(checkOption(step, null)).toBe('is required');
    expect(checkOption(notSet, undefined)).toBeUndefined();
    expect(checkOption(notSet, null)).toBeUndefined();
    // null is "not set" only where the default is null.
    expect(checkOption(lr, null)).toBe('must be a finite number, got null');
  });

  it('numbers may be empty unless minItems says otherwise (the one rule)', () => {
    expect(checkOption(milestones, [])).toBeUndefined();
    expect(checkOption(hidden, [])).toBe('must list at least 1 number, got []');
    expect(checkOption(hidden, [4, 0])).toBe('[1] must be ≥ 1, got 0');
    expect(checkOption(milestones, 3)).toBe('must be a list of numbers, got 3');
  });

  it('pair, boolean, choice, string, column, per-group', () => {
    const pair: OptionInfo = {
      name: 'betas',
      kind: 'pair',
      default: [0.9, 0.999],
      min: 0,
      max: 1,
      exclusiveMax: true,
      doc: '',
    };
    expect(checkOption(pair, [0.9])).toBe('must be a pair of numbers, got [0.9]');
    expect(checkOption(pair, [0.9, 1])).toBe('[1] must be < 1, got 1');
    expect(checkOption({ name: 'b', kind: 'boolean', default: false, doc: '' }, 1)).toBe(
      'must be true or false, got 1',
    );
    const choice: OptionInfo = {
      name: 'mode',
      kind: 'choice',
      default: 'min',
      choices: ['min', 'max'],
      doc: '',
    };
    expect(checkOption(choice, 'max')).toBeUndefined();
    expect(checkOption(choice, 'mid')).toBe('must be one of "min", "max", got "mid"');
    expect(checkOption({ name: 't', kind: 'string', default: null, doc: '' }, 3)).toBe(
      'must be a string, got 3',
    );
    const column: OptionInfo = { name: 'c', kind: 'column', default: -1, doc: '' };
    expect(checkOption(column, 'label')).toBeUndefined();
    expect(checkOption(column, -2)).toBeUndefined();
    expect(checkOption(column, 1.5)).toBe('must be a column name or an integer index, got 1.5');
    expect(checkOption(column, '')).toBe('must be a column name or an integer index, got ""');
    const perGroup: OptionInfo = { ...lr, perGroup: true };
    expect(checkOption(perGroup, [0.1, 0.2])).toBeUndefined();
    expect(checkOption(perGroup, [0.1, -1])).toBe('[1] must be ≥ 0, got -1');
    expect(checkOption(lr, [0.1])).toBe('must be a finite number, got [0.1]');
  });
});

describe('checkOptionValues', () => {
  it('refuses unknown keys (an own "__proto__" too) and missing required options', () => {
    const given = JSON.parse('{"__proto__": 1, "lr": -1}') as Record<string, unknown>;
    expect(checkOptionValues([lr, step], given, [], 'schedule StepLR')).toEqual([
      {
        path: ['__proto__'],
        message: 'unknown option "__proto__" for schedule StepLR; known: lr, stepSize',
      },
      { path: ['lr'], message: 'must be ≥ 0, got -1' },
      { path: ['stepSize'], message: 'is required' },
    ]);
  });
});

describe('describeDefault', () => {
  it('says required, optional with no default, or the default', () => {
    expect(describeDefault(step)).toBe('required');
    expect(describeDefault(notSet)).toBe('optional, no default');
    expect(describeDefault(lr)).toBe('default 0.001');
    expect(describeDefault({ ...milestones, default: [1, 2] })).toBe('default [1,2]');
  });
});

describe('registry and lookup', () => {
  it('never reach Object.prototype', () => {
    const r = registry({ SGD: 1 });
    for (const name of ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty']) {
      expect(lookup(r, name)).toBeUndefined();
      expect((r as Record<string, unknown>)[name]).toBeUndefined();
    }
    expect(lookup(r, 'SGD')).toBe(1);
    expect(Object.keys(r)).toEqual(['SGD']);
    expect(Object.isFrozen(r)).toBe(true);
  });
});
