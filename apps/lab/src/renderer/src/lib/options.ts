/**
 * Form logic for registry options (optimizers, schedules, datasets, functions): the text a user
 * types becomes a candidate value by the option's kind, and @optlab/tensor's `checkOption`, the
 * one rule the spec validation and `optlab list` use too, says whether it fits. The lab has no
 * validator of its own. Forms are generated from these descriptions, so a new optimizer in the
 * registry gets its form without lab changes.
 *
 * An empty field means "not given": the option's default applies, or, for an option whose
 * default is `null`, it stays "optional, not set" (Adafactor's lr in relative-step mode,
 * OneCycleLR's totalSteps). Only an option marked `required` must be filled in.
 */

import { checkOption, describeDefault } from '@optlab/tensor';
import type { OptionDescription } from '@optlab/experiment';

export type { OptionDescription };

export type OptionValue = number | boolean | string | (number | null)[] | null;

/** `value: undefined` is an empty field: the option is left out of the config. */
export type Parsed = { ok: true; value: OptionValue | undefined } | { ok: false; error: string };

/**
 * Options that set up an object rather than tune it (a schedule resumed at `lastEpoch`, an
 * optimizer that maximizes, the tutorial schedules' `initialLr`, which the runner takes from the
 * optimizer): folded under "advanced" so the fields people tune come first.
 */
export const ADVANCED_OPTIONS: readonly string[] = ['lastEpoch', 'maximize', 'initialLr'];

export function isAdvanced(option: OptionDescription): boolean {
  return ADVANCED_OPTIONS.includes(option.name);
}

/** The text a null slot of a pair or list is written as (Adafactor's eps `null, 0.001`). */
const NULL_TEXT = 'null';

/** The text shown in a field for a value (lists as `a, b`; a null slot as `null`). */
export function formatOption(option: OptionDescription, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value))
    return value.map((v) => (v === null ? NULL_TEXT : String(v))).join(', ');
  return String(value);
}

/** A decimal number as a person types it (`-1.5`, `.5`, `2e-3`); `0x10` or `1,5` is not one. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A typed token as a number when it is one, else the text itself, so that `checkOption` words
 * the complaint (`must be a finite number, got "fast"`).
 */
function numberOrText(token: string): number | string {
  return DECIMAL.test(token) ? Number(token) : token;
}

/** The value a field's text stands for, before it is checked. */
function candidate(option: OptionDescription, raw: string): unknown {
  switch (option.kind) {
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'choice':
    case 'string':
      return raw;
    case 'column':
      // A header name, or an integer index (negative counts from the end).
      return /^-?\d+$/.test(raw) ? Number(raw) : raw;
    case 'pair':
    case 'numbers':
      return raw
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map((t) => (t === NULL_TEXT ? null : numberOrText(t)));
    default:
      // PyTorch's per-group form: one value per parameter group.
      if (option.perGroup && /[\s,;]/.test(raw))
        return candidate({ ...option, kind: 'numbers' }, raw);
      return numberOrText(raw);
  }
}

/**
 * Parses what the user typed (a checkbox gives a boolean). An empty field is `undefined`, "not
 * given", which only a required option refuses.
 */
export function parseOption(option: OptionDescription, text: string | boolean): Parsed {
  let value: unknown;
  if (typeof text === 'boolean') value = text;
  else if (option.kind === 'string') {
    // A string keeps its spaces (a tab delimiter, a CSV's text); only an empty one is unset.
    value = text === '' ? undefined : text;
  } else {
    const raw = text.trim();
    value = raw === '' ? undefined : candidate(option, raw);
  }
  const problem = checkOption(option, value);
  if (problem) return { ok: false, error: `${option.name} ${problem}` };
  return { ok: true, value: value as OptionValue | undefined };
}

function cloneDefault(value: NonNullable<OptionDescription['default']>): OptionValue {
  return Array.isArray(value) ? [...(value as number[])] : (value as number | boolean | string);
}

/** A config (`{ type, ...options }`) with every option that has a default at its default. */
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

/** Errors of the options of a config by `checkOption`, keyed by option name (empty: all fit). */
export function validateConfig(
  config: Readonly<Record<string, unknown>>,
  options: readonly OptionDescription[],
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const option of options) {
    const value = Object.hasOwn(config, option.name) ? config[option.name] : undefined;
    const problem = checkOption(option, value);
    if (problem) errors[option.name] = `${option.name} ${problem}`;
  }
  return errors;
}

/** What an empty field means, as the placeholder: the default, "required" or "not set". */
export function optionPlaceholder(option: OptionDescription): string {
  if (option.required) return 'required';
  if (option.default === null) return 'not set';
  return formatOption(option, option.default);
}

/**
 * The hint under a field: `describeDefault`'s words ("required", "optional, no default",
 * "default 0.001"), with list defaults written as the field shows them, and the unit.
 */
export function optionHint(option: OptionDescription): string {
  const parts = [
    option.required || option.default === null
      ? describeDefault(option)
      : `default ${formatOption(option, option.default)}`,
  ];
  if (option.kind === 'numbers' && option.minItems) {
    parts.push(`at least ${option.minItems} number${option.minItems === 1 ? '' : 's'}`);
  }
  if (option.unit) parts.push(option.unit);
  return parts.join(' · ');
}
