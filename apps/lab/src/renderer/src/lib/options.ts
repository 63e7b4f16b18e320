/**
 * Form logic for registry options (optimizers, schedules, datasets, functions): the text a user
 * types is parsed by the option's kind and checked against its bounds, giving either a value or
 * a message that names the option. Forms are generated from these descriptions, so a new
 * optimizer in the registry gets its form without lab changes.
 */

import type { OptionDescription } from '@optlab/experiment';

export type { OptionDescription };

export type OptionValue = number | boolean | string | number[] | null;

export type Parsed = { ok: true; value: OptionValue } | { ok: false; error: string };

/** The text shown in a field for a value (numbers lists as `a, b`). */
export function formatOption(option: OptionDescription, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** Parses what the user typed; an empty field means "use the default". */
export function parseOption(option: OptionDescription, text: string | boolean): Parsed {
  const fail = (why: string): Parsed => ({ ok: false, error: `${option.name} ${why}` });
  if (option.kind === 'boolean') {
    if (typeof text === 'boolean') return { ok: true, value: text };
    if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
    return fail('must be true or false');
  }
  const raw = String(text).trim();
  if (raw === '') {
    if (option.default === null && option.kind !== 'string') return fail('is required');
    return { ok: true, value: option.default === null ? null : cloneDefault(option.default) };
  }
  switch (option.kind) {
    case 'choice':
      if (!option.choices?.includes(raw))
        return fail(`must be one of ${option.choices?.join(', ')}`);
      return { ok: true, value: raw };
    case 'string':
      return { ok: true, value: raw };
    case 'column': {
      // A header name, or an integer index (negative counts from the end).
      const index = Number(raw);
      return { ok: true, value: /^-?\d+$/.test(raw) && Number.isInteger(index) ? index : raw };
    }
    case 'pair':
    case 'numbers': {
      const parts = raw.split(/[\s,;]+/).filter(Boolean);
      const numbers = parts.map(Number);
      if (numbers.some((n) => !Number.isFinite(n)))
        return fail('must be numbers separated by commas');
      if (option.kind === 'pair' && numbers.length !== 2) return fail('must be two numbers');
      if (numbers.length === 0) return fail('must list at least one number');
      for (const n of numbers) {
        const bound = checkBounds(option, n);
        if (bound) return fail(bound);
      }
      return { ok: true, value: numbers };
    }
    default: {
      const n = Number(raw);
      if (!Number.isFinite(n)) return fail(`must be a finite number, got "${raw}"`);
      if (option.kind === 'integer' && !Number.isInteger(n))
        return fail(`must be an integer, got ${raw}`);
      const bound = checkBounds(option, n);
      return bound ? fail(bound) : { ok: true, value: n };
    }
  }
}

function checkBounds(option: OptionDescription, n: number): string | null {
  const { min, max, exclusiveMin, exclusiveMax } = option;
  if (min !== undefined && (exclusiveMin ? n <= min : n < min)) {
    return `must be ${exclusiveMin ? '>' : '≥'} ${min}, got ${n}`;
  }
  if (max !== undefined && (exclusiveMax ? n >= max : n > max)) {
    return `must be ${exclusiveMax ? '<' : '≤'} ${max}, got ${n}`;
  }
  return null;
}

function cloneDefault(value: number | boolean | string | readonly number[]): OptionValue {
  return Array.isArray(value) ? [...value] : (value as number | boolean | string);
}

/** A config (`{ type, ...options }`) with every option at its default. */
export function defaultsOf(
  type: string,
  options: readonly OptionDescription[],
): Record<string, unknown> {
  const config: Record<string, unknown> = { type };
  for (const option of options) {
    if (option.default !== null) config[option.name] = cloneDefault(option.default);
  }
  return config;
}

/** Errors of every option of a config, keyed by option name (empty when all are valid). */
export function validateConfig(
  config: Record<string, unknown>,
  options: readonly OptionDescription[],
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const option of options) {
    const value = config[option.name];
    if (value === undefined) {
      if (option.default === null && option.kind !== 'string')
        errors[option.name] = `${option.name} is required`;
      continue;
    }
    const parsed = parseOption(
      option,
      typeof value === 'boolean' ? value : formatOption(option, value),
    );
    if (!parsed.ok) errors[option.name] = parsed.error;
  }
  return errors;
}

/** "1e-3 (steps)" style hint: the default and the unit. */
export function optionHint(option: OptionDescription): string {
  const parts: string[] = [];
  if (option.default !== null) parts.push(`default ${formatOption(option, option.default)}`);
  if (option.unit) parts.push(option.unit);
  return parts.join(' · ');
}
