import {
  checkOptionValues,
  lookup,
  optionValue,
  registry,
  type OptionInfo,
  type OptionProblem,
  type Parameter,
} from '@optlab/tensor';
import { Adadelta, ADADELTA_SPEC } from './adadelta.js';
import { Adagrad, ADAGRAD_SPEC } from './adagrad.js';
import { Adam, ADAM_SPEC } from './adam.js';
import { Adamax, ADAMAX_SPEC } from './adamax.js';
import { AdamW, ADAMW_SPEC } from './adamw.js';
import { Lion, LION_SPEC } from './lion.js';
import { NAdam, NADAM_SPEC } from './nadam.js';
import type { Optimizer } from './optimizer.js';
import { movedOptionProblem, type OptimizerSpec, type ParamGroupInput } from './param-groups.js';
import { RAdam, RADAM_SPEC } from './radam.js';
import { MODERN_OPTIMIZERS } from './registry-modern.js';
import { RMSprop, RMSPROP_SPEC } from './rmsprop.js';
import { SGD, SGD_SPEC } from './sgd.js';
import { TORCH_OPTIMIZERS } from './registry-torch.js';
import { ADAPTIVE_OPTIMIZERS } from './registry-adaptive.js';

/**
 * What the experiment runner, `optlab list` and the lab's generated forms know about an
 * optimizer: its options (with PyTorch's defaults and bounds) and how to make one.
 */
export interface OptimizerInfo {
  /** PyTorch's class name. */
  name: string;
  summary: string;
  paper: string;
  /** Optimizer state kept per parameter, e.g. `2 × params (m, v)`. */
  statePerParameter: string;
  options: readonly OptionInfo[];
  /** Rules across options that the descriptions cannot state, on the options with defaults filled in. */
  check?: OptimizerSpec['check'];
  /** Options that belong to another optimizer (see OptimizerSpec.movedOptions). */
  movedOptions?: OptimizerSpec['movedOptions'];
  /**
   * `'matrices'`: it updates 2-D parameters only (Muon); a runner gives the others to a fallback
   * optimizer. Absent: any shape.
   */
  parameterShapes?: 'matrices';
  /** True when its `step` needs a closure (`isClosureOptimizer` of its instances): LBFGS, SAM. */
  requiresClosure?: true;
  /**
   * Replaces the generic check of `checkOptimizerOptions` for optimizers whose options are not
   * all their own (SAM: its own, then the base optimizer's beside them).
   */
  checkOptions?: (options: Readonly<Record<string, unknown>>) => OptionProblem[];
  create(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options?: Record<string, unknown>,
  ): Optimizer;
}

export type Ctor = new (
  params: readonly Parameter[] | readonly ParamGroupInput[],
  options: Record<string, unknown>,
) => Optimizer<never>;

export function info(
  spec: OptimizerSpec,
  ctor: Ctor,
  text: Pick<OptimizerInfo, 'summary' | 'paper' | 'statePerParameter'>,
): OptimizerInfo {
  return {
    name: spec.name,
    ...text,
    options: spec.options,
    check: spec.check,
    movedOptions: spec.movedOptions,
    // Adafactor's relative-step groups have `lr: null`; every other group has a number.
    create: (params, options = {}) => new ctor(params, options) as unknown as Optimizer,
  };
}

/**
 * Every optimizer, keyed by class name, in a null-prototype object (look up with `lookup`, so
 * that "constructor" or "__proto__" is an unknown name). Lookahead wraps one of these and is
 * not listed.
 */
export const OPTIMIZERS: Readonly<Record<string, OptimizerInfo>> = registry({
  SGD: info(SGD_SPEC, SGD as unknown as Ctor, {
    summary: 'Gradient descent with optional (Nesterov) momentum and dampening.',
    paper: 'Polyak 1964; Sutskever et al. 2013 (Nesterov form)',
    statePerParameter: '0 (1 × params with momentum: the momentum buffer)',
  }),
  Adagrad: info(ADAGRAD_SPEC, Adagrad as unknown as Ctor, {
    summary: 'Per-coordinate steps scaled by the root of the summed squared gradients.',
    paper: 'Duchi, Hazan & Singer 2011, JMLR',
    statePerParameter: '1 × params (sum of g²)',
  }),
  RMSprop: info(RMSPROP_SPEC, RMSprop as unknown as Ctor, {
    summary: 'Steps scaled by a running RMS of the gradients; optional momentum and centering.',
    paper: 'Hinton, Srivastava & Swersky 2012 (lecture 6e); Graves 2013 (centered)',
    statePerParameter: '1 × params (+1 centered, +1 momentum)',
  }),
  Adadelta: info(ADADELTA_SPEC, Adadelta as unknown as Ctor, {
    summary: 'Unit-corrected steps from running averages of g² and Δθ².',
    paper: 'Zeiler 2012, arXiv:1212.5701',
    statePerParameter: '2 × params (E[g²], E[Δθ²])',
  }),
  Adam: info(ADAM_SPEC, Adam as unknown as Ctor, {
    summary: 'Bias-corrected first and second moment estimates; weight decay as L2.',
    paper: 'Kingma & Ba 2015, ICLR; AMSGrad: Reddi et al. 2018, ICLR',
    statePerParameter: '2 × params (m, v; +1 with amsgrad)',
  }),
  AdamW: info(ADAMW_SPEC, AdamW as unknown as Ctor, {
    summary: 'Adam with decoupled weight decay.',
    paper: 'Loshchilov & Hutter 2019, ICLR',
    statePerParameter: '2 × params (m, v; +1 with amsgrad)',
  }),
  Adamax: info(ADAMAX_SPEC, Adamax as unknown as Ctor, {
    summary: 'Adam with the infinity norm in place of the second moment.',
    paper: 'Kingma & Ba 2015, ICLR (section 7.1)',
    statePerParameter: '2 × params (m, u)',
  }),
  NAdam: info(NADAM_SPEC, NAdam as unknown as Ctor, {
    summary: 'Adam with Nesterov momentum and a warming momentum schedule.',
    paper: 'Dozat 2016, ICLR workshop',
    statePerParameter: '2 × params (m, v) + 1 number (μ-product)',
  }),
  RAdam: info(RADAM_SPEC, RAdam as unknown as Ctor, {
    summary: 'Adam with the variance of the adaptive step rectified (SGD-like first steps).',
    paper: 'Liu et al. 2020, ICLR',
    statePerParameter: '2 × params (m, v)',
  }),
  Lion: info(LION_SPEC, Lion as unknown as Ctor, {
    summary: 'Sign of an interpolated momentum; decoupled weight decay.',
    paper: 'Chen et al. 2023, NeurIPS',
    statePerParameter: '1 × params (m)',
  }),
  ...TORCH_OPTIMIZERS,
  ...MODERN_OPTIMIZERS,
  ...ADAPTIVE_OPTIMIZERS,
});

/** An optimizer by class name; an unknown name lists the known ones. */
export function createOptimizer(
  name: string,
  params: readonly Parameter[] | readonly ParamGroupInput[],
  options: Record<string, unknown> = {},
): Optimizer {
  const found = lookup(OPTIMIZERS, name);
  if (!found) throw new Error(unknownOptimizer(name));
  return found.create(params, options);
}

function unknownOptimizer(name: unknown): string {
  return `unknown optimizer ${JSON.stringify(String(name))}; known: ${Object.keys(OPTIMIZERS).join(', ')}`;
}

/**
 * Every problem with an optimizer named `type` and its `options`, without building it: an
 * unknown name (path `['type']`), unknown options, values that do not fit their description,
 * then the optimizer's rules across options (Adafactor's lr unless relativeStep, SGD's
 * nesterov). Pure; `createOptimizer` accepts exactly what this accepts (for one group).
 */
export function checkOptimizerOptions(
  type: string,
  options: Readonly<Record<string, unknown>> = {},
): OptionProblem[] {
  const found = lookup(OPTIMIZERS, type);
  if (!found) return [{ path: ['type'], message: unknownOptimizer(type) }];
  if (found.checkOptions) return found.checkOptions(options);
  const moved = Object.keys(options).flatMap((key) => {
    const message = movedOptionProblem(found, key);
    return message ? [{ path: [key], message }] : [];
  });
  if (moved.length > 0) return moved;
  const problems = checkOptionValues(found.options, options, [], `optimizer ${found.name}`);
  if (problems.length > 0 || !found.check) return problems;
  const group: Record<string, unknown> = {};
  for (const o of found.options) group[o.name] = optionValue(o, options);
  const cross = found.check(group);
  return cross ? [{ path: [cross.option], message: cross.message }] : [];
}
