import { describe, expect, it } from 'vitest';
import {
  defaultsOf,
  optionHint,
  parseOption,
  validateConfig,
  type OptionDescription,
} from '../src/renderer/src/lib/options.js';

const lr: OptionDescription = {
  name: 'lr',
  kind: 'number',
  default: 0.001,
  min: 0,
  exclusiveMin: true,
  doc: 'Learning rate',
};
const betas: OptionDescription = {
  name: 'betas',
  kind: 'pair',
  default: [0.9, 0.999],
  min: 0,
  max: 1,
  exclusiveMax: true,
  doc: 'EMA coefficients',
};
const stepSize: OptionDescription = {
  name: 'stepSize',
  kind: 'integer',
  default: null,
  min: 1,
  unit: 'epochs',
  doc: 'Period',
};
const nesterov: OptionDescription = {
  name: 'nesterov',
  kind: 'boolean',
  default: false,
  doc: 'Nesterov',
};
const mode: OptionDescription = {
  name: 'mode',
  kind: 'choice',
  default: 'min',
  choices: ['min', 'max'],
  doc: 'Mode',
};
const milestones: OptionDescription = {
  name: 'milestones',
  kind: 'numbers',
  default: null,
  min: 0,
  doc: 'Steps',
};
const label: OptionDescription = {
  name: 'labelColumn',
  kind: 'column',
  default: -1,
  doc: 'Label column',
};

describe('parseOption', () => {
  it('parses numbers and checks bounds with messages that name the option', () => {
    expect(parseOption(lr, '0.01')).toEqual({ ok: true, value: 0.01 });
    expect(parseOption(lr, '1e-3')).toEqual({ ok: true, value: 0.001 });
    expect(parseOption(lr, '0')).toEqual({ ok: false, error: 'lr must be > 0, got 0' });
    expect(parseOption(lr, 'fast')).toEqual({
      ok: false,
      error: 'lr must be a finite number, got "fast"',
    });
    expect(parseOption(lr, '')).toEqual({ ok: true, value: 0.001 });
  });

  it('parses integers, refusing fractions, and requires options without default', () => {
    expect(parseOption(stepSize, '10')).toEqual({ ok: true, value: 10 });
    expect(parseOption(stepSize, '2.5')).toEqual({
      ok: false,
      error: 'stepSize must be an integer, got 2.5',
    });
    expect(parseOption(stepSize, '0')).toEqual({ ok: false, error: 'stepSize must be ≥ 1, got 0' });
    expect(parseOption(stepSize, '')).toEqual({ ok: false, error: 'stepSize is required' });
  });

  it('parses pairs and lists', () => {
    expect(parseOption(betas, '0.8, 0.99')).toEqual({ ok: true, value: [0.8, 0.99] });
    expect(parseOption(betas, '0.9')).toEqual({ ok: false, error: 'betas must be two numbers' });
    expect(parseOption(betas, '0.9, 1')).toEqual({ ok: false, error: 'betas must be < 1, got 1' });
    expect(parseOption(milestones, '30 60;90')).toEqual({ ok: true, value: [30, 60, 90] });
    expect(parseOption(milestones, '30, x')).toEqual({
      ok: false,
      error: 'milestones must be numbers separated by commas',
    });
  });

  it('parses booleans, choices and columns', () => {
    expect(parseOption(nesterov, true)).toEqual({ ok: true, value: true });
    expect(parseOption(nesterov, 'false')).toEqual({ ok: true, value: false });
    expect(parseOption(mode, 'max')).toEqual({ ok: true, value: 'max' });
    expect(parseOption(mode, 'avg')).toEqual({ ok: false, error: 'mode must be one of min, max' });
    expect(parseOption(label, '-2')).toEqual({ ok: true, value: -2 });
    expect(parseOption(label, 'species')).toEqual({ ok: true, value: 'species' });
  });
});

describe('configs', () => {
  it('defaultsOf fills every option that has a default (copying arrays)', () => {
    const config = defaultsOf('Adam', [lr, betas, stepSize, nesterov]);
    expect(config).toEqual({ type: 'Adam', lr: 0.001, betas: [0.9, 0.999], nesterov: false });
    (config['betas'] as number[])[0] = 0.5;
    expect(betas.default).toEqual([0.9, 0.999]);
  });

  it('validateConfig lists each bad or missing option', () => {
    expect(validateConfig({ type: 'StepLR', stepSize: 5 }, [stepSize, lr])).toEqual({});
    expect(validateConfig({ type: 'StepLR', lr: -1 }, [stepSize, lr])).toEqual({
      stepSize: 'stepSize is required',
      lr: 'lr must be > 0, got -1',
    });
  });

  it('optionHint shows the default and unit', () => {
    expect(optionHint(lr)).toBe('default 0.001');
    expect(optionHint(stepSize)).toBe('epochs');
    expect(optionHint(betas)).toBe('default 0.9, 0.999');
  });
});
