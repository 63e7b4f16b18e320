import { describe, expect, it } from 'vitest';
import { checkOption } from '@optlab/tensor';
import { catalog } from '../src/renderer/src/lib/catalog.js';
import {
  ADVANCED_OPTIONS,
  defaultsOf,
  formatOption,
  isAdvanced,
  optionHint,
  optionPlaceholder,
  parseOption,
  validateConfig,
  type OptionDescription,
} from '../src/renderer/src/lib/options.js';

/** A registered option, by owner and name (the forms are generated from these). */
function option(
  kind: 'optimizers' | 'schedules' | 'datasets' | 'models' | 'functions',
  owner: string,
  name: string,
): OptionDescription {
  const found = catalog[kind][owner]?.options.find((o) => o.name === name);
  if (!found) throw new Error(`no option ${owner}.${name}`);
  return found;
}

const everyEntry = () =>
  (['optimizers', 'schedules', 'datasets', 'models', 'functions'] as const).flatMap((kind) =>
    Object.values(catalog[kind]).map((entry) => ({ kind, entry })),
  );

describe('parseOption: the form reads the one option model', () => {
  it('leaves an optional option with no default unset when its field is empty', () => {
    // Before: every `default: null` was treated as required.
    expect(parseOption(option('schedules', 'OneCycleLR', 'totalSteps'), '')).toEqual({
      ok: true,
      value: undefined,
    });
    expect(parseOption(option('optimizers', 'AdafactorHF', 'lr'), '')).toEqual({
      ok: true,
      value: undefined,
    });
    expect(parseOption(option('optimizers', 'LBFGS', 'maxEval'), ' ')).toEqual({
      ok: true,
      value: undefined,
    });
  });

  it('requires only options marked required', () => {
    expect(parseOption(option('schedules', 'StepLR', 'stepSize'), '')).toEqual({
      ok: false,
      error: 'stepSize is required',
    });
    expect(parseOption(option('schedules', 'OneCycleLR', 'maxLr'), '')).toEqual({
      ok: false,
      error: 'maxLr is required',
    });
    expect(parseOption(option('schedules', 'StepLR', 'stepSize'), '10')).toEqual({
      ok: true,
      value: 10,
    });
  });

  it('words problems as checkOption does, naming the option', () => {
    const lr = option('optimizers', 'Adam', 'lr');
    expect(parseOption(lr, '3e-4')).toEqual({ ok: true, value: 3e-4 });
    expect(parseOption(lr, '-1')).toEqual({ ok: false, error: `lr ${checkOption(lr, -1)}` });
    expect(parseOption(lr, 'fast')).toEqual({
      ok: false,
      error: 'lr must be a finite number, got "fast"',
    });
    // Hexadecimal and infinite values are not decimal numbers (Number() would take them).
    expect(parseOption(lr, '0x10')).toEqual({
      ok: false,
      error: 'lr must be a finite number, got "0x10"',
    });
    expect(parseOption(lr, 'Infinity')).toEqual({
      ok: false,
      error: 'lr must be a finite number, got "Infinity"',
    });
    expect(parseOption(option('schedules', 'StepLR', 'stepSize'), '2.5')).toEqual({
      ok: false,
      error: 'stepSize must be an integer, got 2.5',
    });
  });

  it('takes null in a pair slot whose default is null (torch Adafactor eps), and only there', () => {
    const eps = option('optimizers', 'Adafactor', 'eps');
    expect(formatOption(eps, eps.default)).toBe('null, 0.001');
    expect(parseOption(eps, 'null, 1e-3')).toEqual({ ok: true, value: [null, 0.001] });
    expect(parseOption(eps, '1e-30, 1e-3')).toEqual({ ok: true, value: [1e-30, 0.001] });
    expect(parseOption(eps, '1e-30, null')).toEqual({
      ok: false,
      error: 'eps [1] must be a finite number, got null',
    });
    expect(parseOption(eps, '1e-3')).toEqual({
      ok: false,
      error: 'eps must be a pair of numbers, got [0.001]',
    });
    const betas = option('optimizers', 'Adam', 'betas');
    expect(parseOption(betas, 'null, 0.999')).toEqual({
      ok: false,
      error: 'betas [0] must be a finite number, got null',
    });
  });

  it('asks three betas of Adan and AdEMAMix (numbers with minItems 3)', () => {
    for (const owner of ['Adan', 'AdEMAMix']) {
      const betas = option('optimizers', owner, 'betas');
      expect(parseOption(betas, '0.9, 0.99')).toEqual({
        ok: false,
        error: 'betas must list at least 3 numbers, got [0.9,0.99]',
      });
      expect(parseOption(betas, '0.9 0.99; 0.999')).toEqual({
        ok: true,
        value: [0.9, 0.99, 0.999],
      });
      expect(optionHint(betas)).toBe(
        `default ${(betas.default as number[]).join(', ')} · at least 3 numbers`,
      );
    }
  });

  it('offers "not set" for a choice whose default is null (LBFGS lineSearchFn, Muon adjustLrFn)', () => {
    const fn = option('optimizers', 'LBFGS', 'lineSearchFn');
    expect(parseOption(fn, '')).toEqual({ ok: true, value: undefined });
    expect(parseOption(fn, 'strong_wolfe')).toEqual({ ok: true, value: 'strong_wolfe' });
    expect(parseOption(fn, 'armijo')).toEqual({
      ok: false,
      error: 'lineSearchFn must be one of null, "strong_wolfe", got "armijo"',
    });
    const adjust = option('optimizers', 'Muon', 'adjustLrFn');
    expect(parseOption(adjust, 'match_rms_adamw')).toEqual({ ok: true, value: 'match_rms_adamw' });
    expect(optionPlaceholder(adjust)).toBe('not set');
  });

  it('parses booleans, columns and strings (a string keeps its spaces)', () => {
    const nesterov = option('optimizers', 'SGD', 'nesterov');
    expect(parseOption(nesterov, true)).toEqual({ ok: true, value: true });
    expect(parseOption(nesterov, 'false')).toEqual({ ok: true, value: false });
    const label = option('datasets', 'csv', 'labelColumn');
    expect(parseOption(label, '-2')).toEqual({ ok: true, value: -2 });
    expect(parseOption(label, 'species')).toEqual({ ok: true, value: 'species' });
    const delimiter = option('datasets', 'csv', 'delimiter');
    expect(parseOption(delimiter, '\t')).toEqual({ ok: true, value: '\t' });
  });

  it('reads back every registered default from the text it is shown as', () => {
    let checked = 0;
    for (const { entry } of everyEntry()) {
      for (const o of entry.options) {
        if (o.default === null) continue;
        const shown = typeof o.default === 'boolean' ? o.default : formatOption(o, o.default);
        expect(parseOption(o, shown), `${entry.name}.${o.name}`).toEqual({
          ok: true,
          value: o.default,
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);
  });
});

describe('hints, placeholders and the advanced fold', () => {
  it('says what an empty field means, with describeDefault’s words', () => {
    expect(optionHint(option('optimizers', 'Adam', 'lr'))).toBe('default 0.001');
    expect(optionPlaceholder(option('optimizers', 'Adam', 'lr'))).toBe('0.001');
    expect(optionHint(option('schedules', 'StepLR', 'stepSize'))).toBe('required · steps');
    expect(optionPlaceholder(option('schedules', 'StepLR', 'stepSize'))).toBe('required');
    expect(optionHint(option('schedules', 'OneCycleLR', 'totalSteps'))).toBe(
      'optional, no default · steps',
    );
    expect(optionPlaceholder(option('optimizers', 'AdafactorHF', 'lr'))).toBe('not set');
    expect(optionHint(option('optimizers', 'Adafactor', 'eps'))).toBe('default null, 0.001');
  });

  it('folds exactly lastEpoch, maximize and initialLr', () => {
    const folded = new Set<string>();
    for (const { entry } of everyEntry()) {
      for (const o of entry.options) if (isAdvanced(o)) folded.add(o.name);
    }
    expect([...folded].sort()).toEqual([...ADVANCED_OPTIONS].sort());
  });
});

describe('configs', () => {
  it('defaultsOf fills every option that has a default (copying arrays)', () => {
    const options = catalog.optimizers['Adam'].options;
    const config = defaultsOf('Adam', options);
    expect(config).toEqual({
      type: 'Adam',
      lr: 0.001,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: false,
      maximize: false,
    });
    (config['betas'] as number[])[0] = 0.5;
    expect(options.find((o) => o.name === 'betas')!.default).toEqual([0.9, 0.999]);
  });

  it('validateConfig lists each bad or missing option by checkOption', () => {
    const stepLR = catalog.schedules['StepLR'].options;
    expect(validateConfig({ type: 'StepLR', stepSize: 5 }, stepLR)).toEqual({});
    expect(validateConfig({ type: 'StepLR', gamma: 'x' }, stepLR)).toEqual({
      stepSize: 'stepSize is required',
      gamma: 'gamma must be a finite number, got "x"',
    });
    // Optional with no default: absent or null both fit.
    const oneCycle = catalog.schedules['OneCycleLR'].options;
    expect(validateConfig({ type: 'OneCycleLR', maxLr: 0.1, totalSteps: null }, oneCycle)).toEqual(
      {},
    );
  });
});
