/**
 * The one description of an option (of an optimizer, a schedule, a dataset, a model or a test
 * function) and the one rule for whether a value fits it. @optlab/optim and @optlab/models
 * declare their options with it, the experiment spec's validation and `optlab list` read it, and
 * the lab builds its forms from it. It lives here because @optlab/tensor is the only library all
 * of them depend on (docs/decisions/0009-one-option-model.md).
 */

/**
 * - `pair`: two numbers (Adam's betas, Adafactor's eps).
 * - `numbers`: a list of numbers (MultiStepLR's milestones, an MLP's hidden widths).
 * - `choice`: one of `choices`.
 * - `column`: a column of a CSV file, by header name (a string) or index (an integer).
 */
export type OptionKind =
  'number' | 'integer' | 'boolean' | 'pair' | 'numbers' | 'choice' | 'string' | 'column';

export type OptionValue = number | boolean | string | readonly number[];

export interface OptionInfo {
  /** camelCase name as written in code and in a spec (`weightDecay`, `TMax`, `labelColumn`). */
  readonly name: string;
  readonly kind: OptionKind;
  /**
   * The value used when the option is not given. `null` alone means "not set": the option is
   * optional and its owner decides what leaving it out means (Adafactor's lr, OneCycleLR's
   * totalSteps). An option that must be given says `required: true`.
   */
  readonly default: OptionValue | null;
  /** The option must be given (it has no default). */
  readonly required?: boolean;
  /** Bounds of a number (of each number of a pair or list); inclusive unless marked exclusive. */
  readonly min?: number;
  readonly max?: number;
  readonly exclusiveMin?: boolean;
  readonly exclusiveMax?: boolean;
  /**
   * The shortest `numbers` list accepted. Without it a list may be empty (MultiStepLR with no
   * milestones is a constant); options whose empty list means nothing (an MLP's hidden widths, a
   * quadratic's coefficients) state 1.
   */
  readonly minItems?: number;
  /** Allowed values of a `choice` option. */
  readonly choices?: readonly string[];
  /** A `number` or `integer` that may also be a list, one value per parameter group (PyTorch's form). */
  readonly perGroup?: boolean;
  /** Unit for display (`steps`, `epochs`, `×lr`). */
  readonly unit?: string;
  /** One line for forms and `optlab list`. */
  readonly doc: string;
}

/** A problem with one option, or with the options together: where (relative to the options object) and why. */
export interface OptionProblem {
  /** Keys from the options object down to the culprit: `['lr']`, `['schedulers', 1, 'options', 'gamma']`. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** How a value is shown in a message: JSON, long strings cut. */
export function showOptionValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number') return String(v);
  if (typeof v === 'function') return 'a function';
  if (v === undefined) return 'nothing';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * Why `value` does not fit `info`, or undefined when it does. `undefined` (not given) fits unless
 * the option is required; `null` fits where the default is `null` (explicitly "not set"). Pure:
 * no defaults are filled and nothing is thrown.
 */
export function checkOption(info: OptionInfo, value: unknown): string | undefined {
  if (value === undefined) return info.required ? 'is required' : undefined;
  if (value === null) {
    if (info.required) return 'is required';
    if (info.default === null) return undefined;
  }
  switch (info.kind) {
    case 'boolean':
      return typeof value === 'boolean'
        ? undefined
        : `must be true or false, got ${showOptionValue(value)}`;
    case 'string':
      return typeof value === 'string'
        ? undefined
        : `must be a string, got ${showOptionValue(value)}`;
    case 'column':
      // Number.isSafeInteger is false for anything but a number, so it needs no typeof before it.
      return (typeof value === 'string' && value !== '') || Number.isSafeInteger(value)
        ? undefined
        : `must be a column name or an integer index, got ${showOptionValue(value)}`;
    case 'choice':
      // Stryker disable next-line ArrayDeclaration: `?? ["Stryker was here"]` differs only for a value equal to Stryker's placeholder (equivalent for every real choice)
      return typeof value === 'string' && (info.choices ?? []).includes(value)
        ? undefined
        : `must be one of ${[...(info.default === null ? ['null'] : []), ...(info.choices ?? []).map((c) => JSON.stringify(c))].join(', ')}, got ${showOptionValue(value)}`;
    case 'pair':
      if (!Array.isArray(value) || value.length !== 2) {
        return `must be a pair of numbers, got ${showOptionValue(value)}`;
      }
      return listProblem(info, value);
    case 'numbers': {
      if (!Array.isArray(value)) return `must be a list of numbers, got ${showOptionValue(value)}`;
      const least = info.minItems ?? 0;
      if (value.length < least) {
        return `must list at least ${least} number${least === 1 ? '' : 's'}, got ${showOptionValue(value)}`;
      }
      return listProblem(info, value);
    }
    default:
      if (info.perGroup && Array.isArray(value)) {
        if (value.length === 0) {
          return `must be a number or a non-empty list (one per parameter group), got []`;
        }
        return listProblem(info, value);
      }
      return numberProblem(info, value);
  }
}

function listProblem(info: OptionInfo, values: readonly unknown[]): string | undefined {
  for (let i = 0; i < values.length; i++) {
    // A slot whose default is null ("the owner's rule", as Adafactor's eps[0]) may be null.
    const nullable = Array.isArray(info.default) && (info.default[i] as unknown) === null;
    if (nullable && values[i] === null) continue;
    const p = numberProblem(info, values[i]);
    if (p) return `[${i}] ${p}`;
  }
  return undefined;
}

function numberProblem(info: OptionInfo, v: unknown): string | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    return `must be a finite number, got ${showOptionValue(v)}`;
  }
  if (info.kind === 'integer' && !Number.isInteger(v)) {
    return `must be an integer, got ${showOptionValue(v)}`;
  }
  if (info.min !== undefined && (info.exclusiveMin ? v <= info.min : v < info.min)) {
    return `must be ${info.exclusiveMin ? '>' : '≥'} ${info.min}, got ${showOptionValue(v)}`;
  }
  if (info.max !== undefined && (info.exclusiveMax ? v >= info.max : v > info.max)) {
    return `must be ${info.exclusiveMax ? '<' : '≤'} ${info.max}, got ${showOptionValue(v)}`;
  }
  return undefined;
}

/**
 * Checks a whole options object against its descriptions: every key must be described (keys in
 * `ignore` excepted), every required option given, every value fit. Own keys only, so a
 * `__proto__` key that JSON.parse made an own property is refused like any unknown name.
 */
export function checkOptionValues(
  infos: readonly OptionInfo[],
  given: Readonly<Record<string, unknown>>,
  // Stryker disable next-line ArrayDeclaration: a default of ["Stryker was here"] differs only for an option named like Stryker's placeholder (equivalent for every real name)
  ignore: readonly string[] = [],
  /** Named in the message about an unknown option (`optimizer Adam`). */
  owner?: string,
): OptionProblem[] {
  const byName = new Map(infos.map((i) => [i.name, i]));
  const problems: OptionProblem[] = [];
  for (const key of Object.keys(given)) {
    if (byName.has(key) || ignore.includes(key)) continue;
    const known = infos.map((i) => i.name).join(', ') || '(none)';
    problems.push({
      path: [key],
      message: `unknown option "${key}"${owner ? ` for ${owner}` : ''}; known: ${known}`,
    });
  }
  for (const info of infos) {
    const value = Object.hasOwn(given, info.name) ? given[info.name] : undefined;
    const problem = checkOption(info, value);
    if (problem) problems.push({ path: [info.name], message: problem });
  }
  return problems;
}

/** An option's value when given, else its default (`null`: not set). Own keys only. */
export function optionValue(info: OptionInfo, given: Readonly<Record<string, unknown>>): unknown {
  const v = Object.hasOwn(given, info.name) ? given[info.name] : undefined;
  return v === undefined ? info.default : v;
}

/** What `optlab list` and the lab's forms say about a missing value: "required", "optional, no default" or "default 0.001". */
export function describeDefault(info: OptionInfo): string {
  if (info.required) return 'required';
  if (info.default === null) return 'optional, no default';
  return `default ${typeof info.default === 'string' ? info.default : JSON.stringify(info.default)}`;
}

/** A null-prototype, frozen copy of a registry: lookups can never reach Object.prototype. */
export function registry<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

/** The entry named `name` when the registry itself holds it (never an inherited property). */
export function lookup<T>(entries: Readonly<Record<string, T>>, name: unknown): T | undefined {
  return typeof name === 'string' && Object.hasOwn(entries, name) ? entries[name] : undefined;
}
