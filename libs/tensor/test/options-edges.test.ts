/**
 * The option checker's edges, one per rule a broken rewrite could lose (docs/mutation-testing.md):
 * how values are shown, bounds at their limits, nullable list slots, per-group lists, and the
 * wording of each refusal.
 */
import { describe, expect, it } from 'vitest';
import {
  checkOption,
  checkOptionValues,
  describeDefault,
  lookup,
  optionValue,
  registry,
  showOptionValue,
  type OptionInfo,
} from '../src/index.js';

const unit: OptionInfo = { name: 'x', kind: 'number', default: 0.5, min: 0, max: 1, doc: '' };

describe('showOptionValue', () => {
  it('quotes strings and cuts those past 40 characters', () => {
    expect(showOptionValue('a'.repeat(40))).toBe(`"${'a'.repeat(40)}"`);
    expect(showOptionValue('a'.repeat(39) + 'bcd')).toBe(`"${'a'.repeat(39)}b…"`);
    expect(showOptionValue('')).toBe('""');
  });

  it('names functions and a missing value, and survives what JSON cannot show', () => {
    expect(showOptionValue(() => 1)).toBe('a function');
    expect(showOptionValue(undefined)).toBe('nothing');
    expect(showOptionValue(10n)).toBe('10');
    expect(showOptionValue(Symbol('s'))).toBe('Symbol(s)');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(showOptionValue(cycle)).toBe('[object Object]');
    expect(showOptionValue({ a: [1, null] })).toBe('{"a":[1,null]}');
    expect(showOptionValue(-0.5)).toBe('-0.5');
  });
});

describe('checkOption at the limits', () => {
  it('inclusive bounds accept the bound itself; exclusive ones refuse it', () => {
    expect(checkOption(unit, 0)).toBeUndefined();
    expect(checkOption(unit, 1)).toBeUndefined();
    expect(checkOption(unit, 1.5)).toBe('must be ≤ 1, got 1.5');
    expect(checkOption(unit, -0.5)).toBe('must be ≥ 0, got -0.5');
    expect(checkOption({ ...unit, exclusiveMin: true }, 1e-9)).toBeUndefined();
    expect(checkOption({ ...unit, exclusiveMax: true }, 1 - 1e-9)).toBeUndefined();
    expect(checkOption({ ...unit, exclusiveMax: true }, 1)).toBe('must be < 1, got 1');
  });

  it('without bounds any finite number fits, and infinities never do', () => {
    const free: OptionInfo = { name: 'f', kind: 'number', default: 0, doc: '' };
    expect(checkOption(free, -1e300)).toBeUndefined();
    expect(checkOption(free, 1e300)).toBeUndefined();
    expect(checkOption(free, Infinity)).toBe('must be a finite number, got Infinity');
    expect(checkOption(free, true)).toBe('must be a finite number, got true');
    expect(checkOption({ ...free, kind: 'integer' }, 3)).toBeUndefined();
  });

  it('booleans, strings and columns that fit', () => {
    const flag: OptionInfo = { name: 'b', kind: 'boolean', default: false, doc: '' };
    expect(checkOption(flag, true)).toBeUndefined();
    expect(checkOption(flag, false)).toBeUndefined();
    expect(checkOption(flag, 'true')).toBe('must be true or false, got "true"');
    const text: OptionInfo = { name: 't', kind: 'string', default: null, doc: '' };
    expect(checkOption(text, 'ok')).toBeUndefined();
    expect(checkOption(text, '')).toBeUndefined();
    const column: OptionInfo = { name: 'c', kind: 'column', default: -1, doc: '' };
    expect(checkOption(column, 0)).toBeUndefined();
    expect(checkOption(column, 2 ** 53)).toBe(
      'must be a column name or an integer index, got 9007199254740992',
    );
    expect(checkOption(column, true)).toBe('must be a column name or an integer index, got true');
  });

  it('a choice whose default is null lists null among the allowed values', () => {
    const mode: OptionInfo = {
      name: 'mode',
      kind: 'choice',
      default: null,
      choices: ['a', 'b'],
      doc: '',
    };
    expect(checkOption(mode, null)).toBeUndefined();
    expect(checkOption(mode, 'c')).toBe('must be one of null, "a", "b", got "c"');
    expect(checkOption(mode, 1)).toBe('must be one of null, "a", "b", got 1');
    // A choice declared without choices accepts nothing (the registries' own tests catch that).
    const none: OptionInfo = { name: 'n', kind: 'choice', default: 'a', doc: '' };
    expect(checkOption(none, 'a')).toBe('must be one of , got "a"');
  });

  it('numbers: the minimum count in singular and plural, each entry checked', () => {
    const two: OptionInfo = { name: 'w', kind: 'numbers', default: [1, 1], minItems: 2, doc: '' };
    expect(checkOption(two, [1])).toBe('must list at least 2 numbers, got [1]');
    expect(checkOption(two, [1, 2])).toBeUndefined();
    expect(checkOption(two, [1, 'x'])).toBe('[1] must be a finite number, got "x"');
    expect(checkOption(two, [1, null])).toBe('[1] must be a finite number, got null');
  });

  it('a pair slot whose default is null may be null; other slots may not', () => {
    const eps: OptionInfo = {
      name: 'eps',
      kind: 'pair',
      default: [null, 1e-3] as unknown as readonly number[],
      min: 0,
      doc: '',
    };
    expect(checkOption(eps, [null, 1e-3])).toBeUndefined();
    expect(checkOption(eps, [1e-30, 1e-3])).toBeUndefined();
    expect(checkOption(eps, [1e-30, null])).toBe('[1] must be a finite number, got null');
    expect(checkOption(eps, [-1, 1e-3])).toBe('[0] must be ≥ 0, got -1');
    const plain: OptionInfo = { ...eps, default: 0 };
    expect(checkOption(plain, [null, 1])).toBe('[0] must be a finite number, got null');
  });

  it('per-group: an empty list is refused in its own words; a number fits as well', () => {
    const lr: OptionInfo = {
      name: 'lr',
      kind: 'number',
      default: 1,
      min: 0,
      perGroup: true,
      doc: '',
    };
    expect(checkOption(lr, [])).toBe(
      'must be a number or a non-empty list (one per parameter group), got []',
    );
    expect(checkOption(lr, 0.1)).toBeUndefined();
    expect(checkOption(lr, [0.1])).toBeUndefined();
  });
});

describe('checkOptionValues', () => {
  const lr: OptionInfo = { name: 'lr', kind: 'number', default: 1e-3, min: 0, doc: '' };

  it('reports nothing for fitting values and skips the ignored keys', () => {
    expect(checkOptionValues([lr], { lr: 0.1 })).toEqual([]);
    expect(checkOptionValues([lr], {})).toEqual([]);
    expect(checkOptionValues([lr], { lr: 0.1, type: 'SGD' }, ['type'])).toEqual([]);
  });

  it('an unknown key without an owner, and with nothing known', () => {
    expect(checkOptionValues([lr], { lr: 0.1, gamma: 1 })).toEqual([
      { path: ['gamma'], message: 'unknown option "gamma"; known: lr' },
    ]);
    expect(checkOptionValues([], { gamma: 1 }, [], 'function Sphere')).toEqual([
      { path: ['gamma'], message: 'unknown option "gamma" for function Sphere; known: (none)' },
    ]);
  });

  it('reads own keys only: an inherited value counts as not given', () => {
    const given = Object.create({ lr: -1 }) as Record<string, unknown>;
    expect(checkOptionValues([lr], given)).toEqual([]);
  });
});

describe('optionValue', () => {
  const lr: OptionInfo = { name: 'lr', kind: 'number', default: 1e-3, doc: '' };
  it('the given value, else the default; own keys only', () => {
    expect(optionValue(lr, { lr: 0.5 })).toBe(0.5);
    expect(optionValue(lr, { lr: 0 })).toBe(0);
    expect(optionValue(lr, { lr: null })).toBeNull();
    expect(optionValue(lr, {})).toBe(1e-3);
    expect(optionValue(lr, { lr: undefined })).toBe(1e-3);
    expect(optionValue(lr, Object.create({ lr: 2 }) as Record<string, unknown>)).toBe(1e-3);
  });
});

describe('describeDefault and lookup', () => {
  it('shows a string default bare, other defaults as JSON', () => {
    expect(describeDefault({ name: 'm', kind: 'choice', default: 'min', doc: '' })).toBe(
      'default min',
    );
    expect(describeDefault({ name: 'b', kind: 'boolean', default: false, doc: '' })).toBe(
      'default false',
    );
  });

  it('lookup takes string names only, and own entries only of any object', () => {
    const r = registry({ '1': 'one' });
    expect(lookup(r, '1')).toBe('one');
    expect(lookup(r, 1)).toBeUndefined();
    const plain: Record<string, number> = { a: 1 };
    expect(lookup(plain, 'a')).toBe(1);
    expect(lookup(plain, 'toString')).toBeUndefined();
    expect(lookup(plain, 'b')).toBeUndefined();
  });
});
