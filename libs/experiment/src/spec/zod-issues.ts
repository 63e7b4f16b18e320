import type * as z from 'zod';
import { formatPath, type PathSegment, type SpecIssue } from './issues.js';
import { LIMITS } from './limits.js';

/**
 * Turns zod's issues into OptLab's: a JSON path and a sentence that says what is allowed
 * (`must be one of "cpu", "cpu64", "gpu", got "tpu"`), including the known fields of an object
 * where a field is not one of them.
 */
export function fromZodIssues(
  schema: z.ZodType,
  data: unknown,
  issues: readonly z.core.$ZodIssue[],
): SpecIssue[] {
  const out: SpecIssue[] = [];
  for (const issue of issues) {
    const path = issue.path as PathSegment[];
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, data, path);
      for (const key of issue.keys) {
        out.push({
          path: formatPath([...path, key]),
          message: `unknown field "${key}"${known ? `; known: ${known.join(', ')}` : ''}`,
        });
      }
      continue;
    }
    out.push({ path: formatPath(path), message: describeIssue(issue) });
  }
  return out;
}

const limitValues = new Set<number>(Object.values(LIMITS));

function describeIssue(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return `required (${expectedType(issue.expected)})`;
      return `expected ${expectedType(issue.expected)}, got ${show(input)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${show(issue.values[0])}, got ${show(input)}`
        : `must be one of ${issue.values.map(show).join(', ')}, got ${show(input)}`;
    case 'invalid_union': {
      const note = issue as { discriminator?: string; options?: unknown[] };
      if (note.discriminator !== undefined) {
        const given = (input as Record<string, unknown> | undefined)?.[note.discriminator];
        return `unknown ${note.discriminator} ${show(given)}; known: ${(note.options ?? []).map(String).join(', ')}`;
      }
      const alternatives = issue.errors.map((branch) =>
        branch.length > 0 ? expectedOf(branch[0]) : 'another form',
      );
      return `expected ${[...new Set(alternatives)].join(' or ')}, got ${show(input)}`;
    }
    case 'too_small':
    case 'too_big':
      return sizeMessage(issue, input);
    case 'custom':
      return issue.message;
    default:
      return issue.message;
  }
}

/** What a branch of a union wanted, as a noun phrase. */
function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return expectedType(issue.expected);
    case 'invalid_value':
      return issue.values.map(show).join(' or ');
    case 'too_small':
      return `a number ${issue.inclusive ? '≥' : '>'} ${issue.minimum}`;
    case 'too_big':
      return `a number ${issue.inclusive ? '≤' : '<'} ${issue.maximum}`;
    default:
      return issue.message;
  }
}

function sizeMessage(
  issue: z.core.$ZodIssue & { code: 'too_small' | 'too_big' },
  input: unknown,
): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  const limit = !small && limitValues.has(bound) ? ' (limit)' : '';
  switch (issue.origin) {
    case 'array':
    case 'set': {
      const n = Array.isArray(input) ? input.length : '?';
      return small
        ? `needs at least ${bound} item${bound === 1 ? '' : 's'}, got ${n}`
        : `at most ${bound} items${limit}, got ${n}`;
    }
    case 'string':
      return small
        ? bound <= 1
          ? 'must not be empty'
          : `needs at least ${bound} characters`
        : `at most ${bound} characters${limit}`;
    default: {
      const op = small ? (issue.inclusive ? '≥' : '>') : issue.inclusive ? '≤' : '<';
      return `must be ${op} ${bound}${limit}, got ${show(input)}`;
    }
  }
}

function expectedType(expected: string): string {
  switch (expected) {
    case 'int':
      return 'an integer';
    case 'number':
      return 'a finite number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    default:
      return expected;
  }
}

/** A value as it would appear in JSON (NaN and Infinity by name), shortened. */
export function show(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (v !== null && typeof v === 'object') return 'an object';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
};
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Unwraps optional/default/pipe wrappers down to the schema that holds the value. */
function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (;;) {
    const d = defOf(cur);
    if ((d.type === 'optional' || d.type === 'default' || d.type === 'nullable') && d.innerType) {
      cur = d.innerType;
    } else if (d.type === 'pipe' && d.in) {
      cur = d.in;
    } else return cur;
  }
}

/** Picks the union branch that fits `data` (by discriminator, else the first object branch). */
function pickBranch(s: z.ZodType, data: unknown): z.ZodType {
  const d = defOf(s);
  if (d.type !== 'union' || !d.options) return s;
  if (d.discriminator && data && typeof data === 'object') {
    const value = (data as Record<string, unknown>)[d.discriminator];
    for (const option of d.options) {
      const shape = defOf(unwrap(option)).shape;
      const disc = shape?.[d.discriminator];
      if (disc && (disc as unknown as z.ZodType).safeParse(value).success) return option;
    }
  }
  return d.options.find((o) => defOf(unwrap(o)).type === 'object') ?? s;
}

/** The field names allowed at `path` of `data`, following the schema. */
function knownKeys(
  schema: z.ZodType,
  data: unknown,
  path: readonly PathSegment[],
): string[] | undefined {
  let s = pickBranch(unwrap(schema), data);
  let value = data;
  for (const seg of path) {
    const d = defOf(s);
    if (d.type === 'object' && d.shape && typeof seg === 'string') s = d.shape[seg];
    else if (d.type === 'array' && d.element) s = d.element;
    else return undefined;
    if (!s) return undefined;
    value = (value as Record<string | number, unknown> | undefined)?.[seg];
    s = pickBranch(unwrap(s), value);
  }
  const shape = defOf(s).shape;
  return shape ? Object.keys(shape) : undefined;
}
