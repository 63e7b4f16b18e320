import { Parameter } from '@optlab/tensor';
import type { OptionInfo } from '../options.js';

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
  /** Rules across options (nesterov needs momentum, ...); throws with a message naming them. */
  readonly check?: (group: Readonly<Record<string, unknown>>) => void;
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
  spec.check?.(group);
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
  if (value === null && info.default === null) return;
  const bad = (index?: number, v: unknown = value): never => {
    throw new Error(`${optimizer}: Invalid ${label(info.name, index)}: ${show(v)}`);
  };
  const checkNumber = (v: unknown, index?: number): void => {
    if (typeof v !== 'number' || !Number.isFinite(v)) bad(index, v);
    const x = v as number;
    if (info.kind === 'integer' && !Number.isInteger(x)) bad(index, v);
    if (info.min !== undefined && (info.exclusiveMin ? x <= info.min : x < info.min)) bad(index, v);
    if (info.max !== undefined && (info.exclusiveMax ? x >= info.max : x > info.max)) bad(index, v);
  };
  switch (info.kind) {
    case 'boolean':
      if (typeof value !== 'boolean') {
        throw new Error(
          `${optimizer}: option "${info.name}" must be true or false, got ${show(value)}`,
        );
      }
      return;
    case 'pair':
      if (!Array.isArray(value) || value.length !== 2) {
        throw new Error(
          `${optimizer}: option "${info.name}" must be a pair of numbers, got ${show(value)}`,
        );
      }
      value.forEach((v, i) => checkNumber(v, i));
      return;
    case 'numbers':
      if (!Array.isArray(value)) {
        throw new Error(
          `${optimizer}: option "${info.name}" must be a list of numbers, got ${show(value)}`,
        );
      }
      value.forEach((v, i) => checkNumber(v, i));
      return;
    case 'number':
    case 'integer':
      checkNumber(value);
      return;
    default:
      throw new Error(`${optimizer}: option "${info.name}" has unsupported kind ${info.kind}`);
  }
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
