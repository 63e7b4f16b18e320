import { checkOption, type OptionInfo } from '@optlab/tensor';
import { ScheduleError, formatValue } from './errors.js';

/**
 * An option as a schedule declares it: the shared `OptionInfo` of @optlab/tensor, whose
 * `required` and `perGroup` say how it is read. `default: null` means "not set" unless `required`.
 * Kept as a name for API stability.
 */
export type ScheduleOptionInfo = OptionInfo;

/** The expectation printed after an invalid value: "an integer ≥ 1", "a number ≥ 0 and < 1". */
function expectation(info: ScheduleOptionInfo): string {
  const what =
    info.kind === 'integer'
      ? 'an integer'
      : info.kind === 'pair'
        ? 'two numbers'
        : info.kind === 'numbers'
          ? 'a list of numbers'
          : 'a number';
  if (info.kind === 'boolean') return 'true or false';
  if (info.kind === 'choice')
    return `one of ${(info.choices ?? []).map((c) => `'${c}'`).join(', ')}`;
  const lo = info.min === undefined ? null : `${info.exclusiveMin ? '>' : '≥'} ${info.min}`;
  const hi = info.max === undefined ? null : `${info.exclusiveMax ? '<' : '≤'} ${info.max}`;
  const each = info.kind === 'pair' || info.kind === 'numbers' ? ', each' : '';
  const least =
    info.kind === 'numbers' && (info.minItems ?? 0) > 0 ? ` (at least ${info.minItems})` : '';
  const bounds = [lo, hi].filter((b) => b !== null).join(' and ');
  const perGroup = info.perGroup ? ' (or one per parameter group)' : '';
  return `${what}${least}${bounds ? `${each} ${bounds}` : ''}${perGroup}`;
}

/**
 * Options after validation, with defaults filled in. Getters return the declared kind; the
 * schedule decides what an unset optional (`null`) means.
 */
export class ScheduleOptions {
  constructor(
    readonly schedule: string,
    private readonly values: ReadonlyMap<string, unknown>,
  ) {}

  has(name: string): boolean {
    const v = this.values.get(name);
    return v !== undefined && v !== null;
  }

  raw(name: string): unknown {
    return this.values.get(name);
  }

  number(name: string): number {
    return this.values.get(name) as number;
  }

  numberOrNull(name: string): number | null {
    const v = this.values.get(name);
    return v === undefined || v === null ? null : (v as number);
  }

  boolean(name: string): boolean {
    return this.values.get(name) as boolean;
  }

  choice<T extends string>(name: string): T {
    return this.values.get(name) as T;
  }

  numbers(name: string): number[] {
    return [...(this.values.get(name) as number[])];
  }

  /** A per-group option spread over `groups` groups (a single number applies to all). */
  perGroup(name: string, groups: number): number[] {
    const v = this.values.get(name) as number | number[];
    if (typeof v === 'number') return new Array<number>(groups).fill(v);
    if (v.length !== groups) {
      throw new ScheduleError(
        this.schedule,
        name,
        `Invalid ${name}: ${formatValue(v)} (expected ${groups} values, one per parameter group, got ${v.length})`,
      );
    }
    return [...v];
  }
}

/**
 * Validates `options` against the declared infos: unknown names are refused with the known ones
 * listed, required options must be present, every value must have its kind and bounds. Keys in
 * `programmatic` (functions, scheduler instances) are accepted as they are; the schedule checks them.
 */
export function readOptions(
  schedule: string,
  infos: readonly ScheduleOptionInfo[],
  options: unknown,
  programmatic: readonly string[] = [],
): ScheduleOptions {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ScheduleError(
      schedule,
      null,
      `Invalid options: ${formatValue(options)} (expected an object)`,
    );
  }
  const given = options as Record<string, unknown>;
  const known = new Set([...infos.map((i) => i.name), ...programmatic]);
  for (const key of Object.keys(given)) {
    if (!known.has(key)) {
      const list = [...known].join(', ') || '(none)';
      throw new ScheduleError(schedule, key, `Unknown option '${key}'. Known options: ${list}`);
    }
  }
  const values = new Map<string, unknown>();
  for (const info of infos) {
    const value = given[info.name];
    if (value === undefined || value === null) {
      if (info.required) {
        throw new ScheduleError(
          schedule,
          info.name,
          `Missing required option ${info.name} (${expectation(info)})`,
        );
      }
      values.set(info.name, info.default);
      continue;
    }
    values.set(info.name, checkValue(schedule, info, value));
  }
  for (const key of programmatic) values.set(key, given[key]);
  return new ScheduleOptions(schedule, values);
}

/** The value when it fits its description (lists copied); else the schedule's error, naming it. */
function checkValue(schedule: string, info: ScheduleOptionInfo, value: unknown): unknown {
  if (checkOption(info, value) !== undefined) {
    throw new ScheduleError(
      schedule,
      info.name,
      `Invalid ${info.name}: ${formatValue(value)} (expected ${expectation(info)})`,
    );
  }
  return Array.isArray(value) ? [...(value as unknown[])] : value;
}

/** PyTorch's `last_epoch`, shared by every stateful schedule that can resume. */
export const LAST_EPOCH_OPTION: ScheduleOptionInfo = {
  name: 'lastEpoch',
  kind: 'integer',
  default: -1,
  min: -1,
  unit: 'steps',
  doc: 'Index of the last step taken, to resume a run (-1: start from the beginning; groups then need initialLr).',
};
