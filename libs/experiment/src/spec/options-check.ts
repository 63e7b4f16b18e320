import type { OptionProblem } from '@optlab/tensor';
import { formatPath, type PathSegment, type SpecIssue } from './issues.js';

/**
 * Glue between a spec and the libraries' option checks: the options of a config as the JSON
 * gave them, and the libraries' problems as spec issues with full JSON paths.
 */

/**
 * The options of a `{ "type": ..., ...options }` config: its own keys but `type`, in a
 * null-prototype object. Read from the JSON value itself, not zod's copy: a `__proto__` key that
 * JSON.parse made an own property survives here (and is refused as an unknown option), where a
 * copy made by assignment would have dropped it silently.
 */
export function optionsOf(config: unknown): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  if (config === null || typeof config !== 'object') return out;
  for (const key of Object.keys(config)) {
    if (key !== 'type') out[key] = (config as Record<string, unknown>)[key];
  }
  return out;
}

/** The libraries' problems, relative to the config at `at`, as spec issues. */
export function pushProblems(
  at: readonly PathSegment[],
  problems: readonly OptionProblem[],
  issues: SpecIssue[],
): void {
  for (const p of problems)
    issues.push({ path: formatPath([...at, ...p.path]), message: p.message });
}

export function unknownName(kind: string, given: string, known: readonly string[]): string {
  return `unknown ${kind} ${JSON.stringify(given)}; known: ${known.join(', ')}`;
}

/** The entry `name` of a catalog record when the record itself holds it (never an inherited property). */
export function entryOf<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** The value at `path` inside a JSON value, through own properties only. */
export function rawAt(json: unknown, path: readonly PathSegment[]): unknown {
  let v = json;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<PathSegment, unknown>)[key];
  }
  return v;
}

export { formatPath };
