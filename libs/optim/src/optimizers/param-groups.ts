import { Parameter, checkOption, type OptionInfo } from '@optlab/tensor';

/**
 * Parameter groups as in PyTorch: every group holds its parameters and the value of every option
 * of its optimizer. Schedules write `lr` (and OneCycleLR/CyclicLR `momentum` or `betas[0]`), so
 * optimizers read a group's options afresh at every `step()` and never cache them.
 */
export interface ParamGroup {
  params: Parameter[];
  /** The learning rate in force; schedules write it. */
  lr: number;
  /** The learning rate a schedule started from (PyTorch's `initial_lr`), set by schedules. */
  initialLr?: number;
  [option: string]: unknown;
}

/**
 * What every optimizer's groups have in common. Only Adafactor's relative-step mode has no
 * learning rate (`lr: null`, as in Hugging Face's Adafactor); every other group is a `ParamGroup`.
 */
export interface ParamGroupBase {
  params: Parameter[];
  lr: number | null;
  initialLr?: number;
  [option: string]: unknown;
}

/** A group as passed to a constructor: its parameters and the options it overrides. */
export interface ParamGroupInput {
  params: readonly Parameter[];
  [option: string]: unknown;
}

/** What `resolveParamGroups` needs to know about an optimizer's options. */
export interface OptimizerSpec {
  /** PyTorch's class name, used in every error message. */
  readonly name: string;
  readonly options: readonly OptionInfo[];
  /**
   * Rules across options that the descriptions cannot state (nesterov needs momentum, Adafactor's
   * lr unless relativeStep): the option at fault and why, or undefined. Pure, so that a spec can
   * be checked without building the optimizer.
   */
  readonly check?: (
    group: Readonly<Record<string, unknown>>,
  ) => { option: string; message: string } | undefined;
  /**
   * Options this optimizer lacks that another one of a similar name has (Hugging Face's options
   * given to torch's Adafactor): the option's name → that optimizer's type, so that a spec is told
   * where the option lives rather than that it is unknown.
   */
  readonly movedOptions?: Readonly<Record<string, string>>;
}

/** The problem with giving `key` to `spec`'s optimizer when another optimizer owns it, if so. */
export function movedOptionProblem(spec: OptimizerSpec, key: string): string | undefined {
  const owner =
    spec.movedOptions && Object.hasOwn(spec.movedOptions, key) ? spec.movedOptions[key] : undefined;
  if (owner === undefined) return undefined;
  const own = spec.options.map((o) => o.name).join(', ');
  return `"${key}" is an ${owner} option; use type ${owner}, or ${spec.name}'s options: ${own}`;
}

/** Keys a group may carry besides the optimizer's options. */
const GROUP_KEYS = new Set(['params', 'initialLr']);

/**
 * Turns constructor arguments into validated groups, PyTorch-style: the options give the
 * defaults of every group, a group's own keys override them; unknown option names, values out of
 * range and a parameter listed twice are refused with a message naming the option and the value.
 */
export function resolveParamGroups<G extends ParamGroupBase>(
  spec: OptimizerSpec,
  params: readonly Parameter[] | readonly ParamGroupInput[],
  options: Readonly<Record<string, unknown>> = {},
): G[] {
  checkKnown(spec, options, 'option');
  const defaults: Record<string, unknown> = {};
  for (const info of spec.options) {
    defaults[info.name] = options[info.name] === undefined ? info.default : options[info.name];
  }
  if (!Array.isArray(params) || params.length === 0) {
    throw new Error(`${spec.name}: optimizer got an empty parameter list`);
  }
  const inputs: readonly ParamGroupInput[] =
    params[0] instanceof Parameter
      ? [{ params: params as readonly Parameter[] }]
      : (params as readonly ParamGroupInput[]);

  const seen = new Set<Parameter>();
  return inputs.map((input, g) => {
    if (input === null || typeof input !== 'object' || !Array.isArray(input.params)) {
      throw new Error(
        `${spec.name}: parameter group ${g} must be a Parameter or { params: Parameter[], ... }`,
      );
    }
    checkKnown(spec, input, 'option in parameter group ' + g);
    if (input.params.length === 0) {
      throw new Error(`${spec.name}: parameter group ${g} has no parameters`);
    }
    for (const p of input.params) {
      if (!(p instanceof Parameter)) {
        throw new Error(
          `${spec.name}: parameter group ${g} holds something that is not a Parameter`,
        );
      }
      if (seen.has(p)) {
        throw new Error(
          `${spec.name}: some parameters appear in more than one parameter group` +
            (p.name ? ` ("${p.name}")` : ''),
        );
      }
      seen.add(p);
    }
    // Arrays (betas, eps pairs) are copied: a schedule writing `betas[0]` in place must not
    // reach another group or the registry's defaults.
    const group: Record<string, unknown> = {};
    for (const [key, value] of Object.entries({ ...defaults, ...input })) {
      if (key !== 'params' && value !== undefined) {
        group[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
      }
    }
    group.params = [...input.params];
    validateGroupOptions(spec, group);
    return group as G;
  });
}

/** Checks every option of a (possibly reloaded) group; throws on the first bad one. */
export function validateGroupOptions(spec: OptimizerSpec, group: Record<string, unknown>): void {
  for (const info of spec.options) validateOption(spec.name, info, group[info.name]);
  if (group.initialLr !== undefined) {
    validateOption(
      spec.name,
      { name: 'initialLr', kind: 'number', default: null, min: 0, doc: '' },
      group.initialLr,
    );
  }
  const problem = spec.check?.(group);
  if (problem) throw new Error(`${spec.name}: ${problem.message}`);
}

function checkKnown(spec: OptimizerSpec, given: object, what: string): void {
  const known = spec.options.map((o) => o.name);
  for (const key of Object.keys(given)) {
    if (what !== 'option' && GROUP_KEYS.has(key)) continue;
    if (!known.includes(key)) {
      throw new Error(`${spec.name}: unknown ${what} "${key}"; known: ${known.join(', ')}`);
    }
  }
}

/** PyTorch's wording for the options it validates; the others read `Invalid <name> value`. */
function label(name: string, index?: number): string {
  const at = index === undefined ? '' : ` at index ${index}`;
  if (name === 'lr') return 'learning rate';
  if (name === 'eps') return `epsilon value${at}`;
  if (name === 'betas') return `beta parameter${at}`;
  return `${name} value${at}`;
}

function validateOption(optimizer: string, info: OptionInfo, value: unknown): void {
  const problem = checkOption(info, value);
  if (problem === undefined) return;
  const isList = Array.isArray(value) && (info.kind === 'numbers' || value.length === 2);
  if (info.kind !== 'number' && info.kind !== 'integer' && info.kind !== 'pair') {
    throw new Error(`${optimizer}: option "${info.name}" ${problem}`);
  }
  if (info.kind === 'pair' && !isList) {
    throw new Error(`${optimizer}: option "${info.name}" ${problem}`);
  }
  // PyTorch's wording for a number out of range: `Invalid learning rate: -1`.
  const element: OptionInfo = { ...info, kind: info.kind === 'integer' ? 'integer' : 'number' };
  const index = isList
    ? (value as unknown[]).findIndex((v) => checkOption(element, v) !== undefined)
    : -1;
  throw new Error(
    `${optimizer}: Invalid ${label(info.name, index < 0 ? undefined : index)}: ${show(
      index < 0 ? value : (value as unknown[])[index],
    )}`,
  );
}

function show(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined)
    return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
