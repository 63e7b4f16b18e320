import type { CatalogEntry, OptionDescription } from './catalog.js';
import { formatPath, type PathSegment, type SpecIssue } from './issues.js';
import { show } from './zod-issues.js';

/**
 * Checks the options given beside `type` in an optimizer, schedule, dataset or function config
 * against the registry's descriptions: unknown names (listing the known ones), wrong types,
 * NaN/Infinity, values outside the stated bounds, choices outside their list.
 */
export function checkOptions(
  path: readonly PathSegment[],
  what: string,
  entry: CatalogEntry,
  config: Readonly<Record<string, unknown>>,
  issues: SpecIssue[],
): void {
  const byName = new Map(entry.options.map((o) => [o.name, o]));
  for (const [key, value] of Object.entries(config)) {
    if (key === 'type') continue;
    const info = byName.get(key);
    const at = formatPath([...path, key]);
    if (!info) {
      const known = entry.options.map((o) => o.name).join(', ') || '(none)';
      issues.push({
        path: at,
        message: `unknown option "${key}" for ${what} ${entry.name}; known: ${known}`,
      });
      continue;
    }
    const problem = checkValue(info, value);
    if (problem) issues.push({ path: at, message: problem });
  }
}

/** Why `value` is not acceptable for `info`, or undefined when it is. */
export function checkValue(info: OptionDescription, value: unknown): string | undefined {
  switch (info.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, got ${show(value)}`;
    case 'string':
      return typeof value === 'string' ? undefined : `must be a string, got ${show(value)}`;
    case 'column':
      return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))
        ? undefined
        : `must be a column name or an integer index, got ${show(value)}`;
    case 'choice':
      return typeof value === 'string' && info.choices?.includes(value)
        ? undefined
        : `must be one of ${(info.choices ?? []).map((c) => JSON.stringify(c)).join(', ')}, got ${show(value)}`;
    case 'pair':
      if (!Array.isArray(value) || value.length !== 2) {
        return `must be a pair of numbers [a, b], got ${show(value)}`;
      }
      return firstProblem(info, value, (i) => `[${i}] `);
    case 'numbers':
      if (!Array.isArray(value)) return `must be a list of numbers, got ${show(value)}`;
      return firstProblem(info, value, (i) => `[${i}] `);
    default:
      return numberProblem(info, value);
  }
}

function firstProblem(
  info: OptionDescription,
  values: readonly unknown[],
  prefix: (i: number) => string,
): string | undefined {
  for (let i = 0; i < values.length; i++) {
    const p = numberProblem(info, values[i]);
    if (p) return `${prefix(i)}${p}`;
  }
  return undefined;
}

function numberProblem(info: OptionDescription, v: unknown): string | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    return `must be a finite number, got ${show(v)}`;
  }
  if (info.kind === 'integer' && !Number.isInteger(v)) return `must be an integer, got ${show(v)}`;
  if (info.min !== undefined && (info.exclusiveMin ? v <= info.min : v < info.min)) {
    return `must be ${info.exclusiveMin ? '>' : '≥'} ${info.min}, got ${show(v)}`;
  }
  if (info.max !== undefined && (info.exclusiveMax ? v >= info.max : v > info.max)) {
    return `must be ${info.exclusiveMax ? '<' : '≤'} ${info.max}, got ${show(v)}`;
  }
  return undefined;
}

/** The options of a config without its `type`. */
export function optionsOf(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { type: _type, ...rest } = config;
  return rest;
}

export function unknownName(kind: string, given: string, known: readonly string[]): string {
  return `unknown ${kind} ${JSON.stringify(given)}; known: ${known.join(', ')}`;
}

export { formatPath };
