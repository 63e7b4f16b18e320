/**
 * Descriptions of the options of datasets, models and test functions, read by the experiment
 * spec's validation, `optlab list` and the lab's forms. The shape matches @optlab/optim's
 * `OptionInfo` (models may not import optim), plus `string` for free text such as CSV contents.
 */
export interface OptionInfo {
  /** camelCase name, as written in a spec. */
  readonly name: string;
  /** `column`: a column of a CSV file, by header name (a string) or index (an integer). */
  readonly kind: 'number' | 'integer' | 'boolean' | 'numbers' | 'choice' | 'string' | 'column';
  /** The default; `null` where the option is required. */
  readonly default: number | boolean | string | readonly number[] | null;
  /** Inclusive bounds unless marked exclusive. */
  readonly min?: number;
  readonly max?: number;
  readonly exclusiveMin?: boolean;
  readonly exclusiveMax?: boolean;
  /** Allowed values of a `choice` option. */
  readonly choices?: readonly string[];
  /** One line for forms and `optlab list`. */
  readonly doc: string;
}

/** Thrown for a bad model, dataset or function option; the message names the field and value. */
export class ModelsError extends Error {
  override name = 'ModelsError';
}

type Options = Readonly<Record<string, unknown>>;

/**
 * Reads the options of `owner` (e.g. `dataset "moons"`) against their descriptions: fills
 * defaults, checks types and bounds, and refuses unknown names, listing the known ones.
 */
export function resolveOptions(
  owner: string,
  infos: readonly OptionInfo[],
  given: Options,
  ignore: readonly string[] = ['kind'],
): Record<string, unknown> {
  const known = new Set(infos.map((i) => i.name));
  for (const key of Object.keys(given)) {
    if (!known.has(key) && !ignore.includes(key)) {
      throw new ModelsError(
        `${owner}: unknown option "${key}"; known: ${infos.map((i) => i.name).join(', ') || '(none)'}`,
      );
    }
  }
  const out: Record<string, unknown> = {};
  for (const info of infos) {
    const v = given[info.name];
    if (v === undefined) {
      if (info.default === null)
        throw new ModelsError(`${owner}: option "${info.name}" is required`);
      out[info.name] = info.default;
      continue;
    }
    out[info.name] = checkOption(owner, info, v);
  }
  return out;
}

function checkOption(owner: string, info: OptionInfo, v: unknown): unknown {
  const bad = (why: string): ModelsError =>
    new ModelsError(`${owner}: option "${info.name}" ${why}, got ${show(v)}`);
  switch (info.kind) {
    case 'boolean':
      if (typeof v !== 'boolean') throw bad('must be true or false');
      return v;
    case 'string':
      if (typeof v !== 'string') throw bad('must be a string');
      return v;
    case 'column':
      if (typeof v === 'string' && v !== '') return v;
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      throw bad('must be a column name or an integer index');
    case 'choice':
      if (typeof v !== 'string' || !info.choices?.includes(v)) {
        throw bad(`must be one of ${info.choices?.join(', ')}`);
      }
      return v;
    case 'numbers':
      if (!Array.isArray(v) || v.length === 0) throw bad('must be a non-empty list of numbers');
      v.forEach((x) => checkNumber(info, x, bad));
      return v;
    default:
      checkNumber(info, v, bad);
      return v;
  }
}

function checkNumber(info: OptionInfo, v: unknown, bad: (why: string) => ModelsError): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad('must be a finite number');
  if (info.kind === 'integer' || info.kind === 'numbers') {
    if (info.kind === 'integer' && !Number.isInteger(v)) throw bad('must be an integer');
  }
  if (info.min !== undefined && (info.exclusiveMin ? v <= info.min : v < info.min)) {
    throw bad(`must be ${info.exclusiveMin ? '>' : '≥'} ${info.min}`);
  }
  if (info.max !== undefined && (info.exclusiveMax ? v >= info.max : v > info.max)) {
    throw bad(`must be ${info.exclusiveMax ? '<' : '≤'} ${info.max}`);
  }
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
