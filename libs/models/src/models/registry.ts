import {
  checkOptionValues,
  lookup,
  optionValue,
  registry,
  type Backend,
  type OptionProblem,
} from '@optlab/tensor';
import { ACTIVATIONS, type Activation } from '../layers/activations.js';
import { INITIALIZERS, type Initializer } from '../layers/init.js';
import { ModelsError, resolveOptions, type OptionInfo } from '../options.js';
import { LinearRegression } from './linear-regression.js';
import { LogisticRegression } from './logistic-regression.js';
import { MLP } from './mlp.js';
import type { Model, Task } from './model.js';

/** A model as a spec names it; `kind` picks the entry of `MODELS`, the rest are its options. */
export interface ModelSpec {
  kind: string;
  [option: string]: unknown;
}

/** What the data decides and the run's seed: widths come from the dataset. */
export interface ModelContext {
  features: number;
  /** Classes of a classification dataset (ignored for regression). */
  classes: number;
  /** Seed of the initial weights: the run's seed, so compared runs start from the same weights. */
  seed: number;
}

export interface ModelInfo {
  readonly kind: string;
  readonly summary: string;
  readonly task: Task;
  readonly options: readonly OptionInfo[];
  /** Rules across options that the descriptions cannot state, on the options with defaults filled in. */
  readonly check?: (values: Readonly<Record<string, unknown>>) => OptionProblem | undefined;
  /** Trainable numbers (weights and biases) the model will hold for these widths: the memory it needs. */
  parameterCount(
    options: Readonly<Record<string, unknown>>,
    features: number,
    classes: number,
  ): number;
  /**
   * The names and ranks of `parameters()`, in order, without building the model (names never
   * depend on the data's widths): what a spec's parameter groups match against.
   */
  parameterLayout(options: Readonly<Record<string, unknown>>): ParameterLayout[];
  create(backend: Backend, options: Record<string, unknown>, context: ModelContext): Model;
}

/** A parameter as a model will name it: `layer1.W` (a matrix, rank 2), `layer1.b` (rank 1). */
export interface ParameterLayout {
  readonly name: string;
  /** 2 for a weight matrix, 1 for a bias vector. */
  readonly rank: number;
}

/** A Dense layer's weight matrix `<prefix>.W` and bias `<prefix>.b` (see layers/dense.ts). */
function denseLayout(prefix: string): ParameterLayout[] {
  return [
    { name: `${prefix}.W`, rank: 2 },
    { name: `${prefix}.b`, rank: 1 },
  ];
}

/** Weights and biases of Dense layers of widths `sizes[0] → sizes[1] → …`. */
function denseParameters(sizes: readonly number[]): number {
  let total = 0;
  for (let i = 1; i < sizes.length; i++) total += sizes[i - 1] * sizes[i] + sizes[i];
  return total;
}

/** An MLP's hidden widths must be whole numbers (the `numbers` kind allows any). */
function hiddenProblem(values: Readonly<Record<string, unknown>>): OptionProblem | undefined {
  const hidden = values.hidden as readonly number[];
  const i = hidden.findIndex((h) => !Number.isInteger(h));
  return i < 0
    ? undefined
    : { path: ['hidden', i], message: `must be an integer, got ${hidden[i]}` };
}

const INIT_CHOICES = [...INITIALIZERS];

/** Every model a spec can name, keyed by kind (a null-prototype object: look up with `lookup`). */
export const MODELS: Readonly<Record<string, ModelInfo>> = registry({
  'linear-regression': {
    kind: 'linear-regression',
    summary:
      "The tutorial's linear regression: weights [b, w…], MSE loss, gradient (2/m)·X_bᵀ·error",
    task: 'regression',
    options: [
      {
        name: 'init',
        kind: 'choice',
        default: 'normal',
        choices: ['normal', 'zeros'],
        doc: "Initial weights: N(0, 1) like the tutorial's np.random.randn, or zeros",
      },
    ],
    parameterCount: (_o, features) => features + 1,
    parameterLayout: () => [{ name: 'weights', rank: 2 }],
    create: (backend, o, ctx) =>
      new LinearRegression(backend, {
        features: ctx.features,
        seed: ctx.seed,
        init: o.init as 'normal' | 'zeros',
      }),
  },
  mlp: {
    kind: 'mlp',
    summary:
      "Multi-layer perceptron classifier (softmax cross-entropy); the tutorial's SimpleNN is hidden [64], tanh, small-normal",
    task: 'classification',
    options: [
      {
        name: 'hidden',
        kind: 'numbers',
        default: [64],
        min: 1,
        minItems: 1,
        doc: 'Widths of the hidden layers (input and output widths come from the dataset)',
      },
      {
        name: 'activation',
        kind: 'choice',
        default: 'tanh',
        choices: [...ACTIVATIONS],
        doc: 'Activation between Dense layers (gelu is the tanh approximation)',
      },
      {
        name: 'init',
        kind: 'choice',
        default: 'xavier-uniform',
        choices: INIT_CHOICES,
        doc: "Weight initialiser (small-normal = the tutorial's 0.01·N(0, 1)); biases start at 0",
      },
    ],
    check: hiddenProblem,
    parameterCount: (o, features, classes) =>
      denseParameters([features, ...(o.hidden as number[]), classes]),
    // MLP names its Dense layers layer1 … layerN (N = hidden layers + 1).
    parameterLayout: (o) =>
      [...(o.hidden as number[]), 0].flatMap((_, i) => denseLayout(`layer${i + 1}`)),
    create: (backend, o, ctx) => {
      const problem = hiddenProblem(o);
      if (problem) {
        throw new ModelsError(
          `model "mlp": option "hidden" [${String(problem.path[1])}] ${problem.message}`,
        );
      }
      return new MLP(backend, {
        sizes: [ctx.features, ...(o.hidden as number[]), ctx.classes],
        activation: o.activation as Activation,
        init: o.init as Initializer,
        seed: ctx.seed,
      });
    },
  },
  'logistic-regression': {
    kind: 'logistic-regression',
    summary:
      'Logistic regression: binary (one logit, BCE) for 2 classes, softmax regression for more',
    task: 'classification',
    options: [
      {
        name: 'init',
        kind: 'choice',
        default: 'zeros',
        choices: INIT_CHOICES,
        doc: 'Weight initialiser; bias starts at 0',
      },
    ],
    // One logit for two classes (binary), one per class otherwise.
    parameterCount: (_o, features, classes) =>
      denseParameters([features, classes === 2 ? 1 : classes]),
    parameterLayout: () => denseLayout('linear'),
    create: (backend, o, ctx) =>
      new LogisticRegression(backend, {
        features: ctx.features,
        classes: ctx.classes,
        init: o.init as Initializer,
        seed: ctx.seed,
      }),
  },
});

function unknownModel(kind: unknown): string {
  return `unknown model ${JSON.stringify(String(kind))}; known: ${Object.keys(MODELS).join(', ')}`;
}

/**
 * Every problem with a model named `type` and its `options` (without `kind`), without building
 * it: an unknown name (path `['type']`), unknown options, values that do not fit, the model's
 * rules across options. Pure.
 */
export function checkModelOptions(
  type: string,
  options: Readonly<Record<string, unknown>> = {},
): OptionProblem[] {
  const info = lookup(MODELS, type);
  if (!info) return [{ path: ['type'], message: unknownModel(type) }];
  const problems = checkOptionValues(info.options, options, [], `model ${info.kind}`);
  if (problems.length > 0 || !info.check) return problems;
  const cross = info.check(filledOptions(info, options));
  return cross ? [cross] : [];
}

/**
 * Weights and biases of the model `type` with (valid) `options` on data of `features` columns
 * and `classes` classes, computed without building it; undefined for an unknown model.
 */
export function modelParameterCount(
  type: string,
  options: Readonly<Record<string, unknown>>,
  features: number,
  classes: number,
): number | undefined {
  const info = lookup(MODELS, type);
  return info?.parameterCount(filledOptions(info, options), features, classes);
}

/** The parameters' names and ranks of the model `type` with (valid) `options`; undefined for an unknown model. */
export function modelParameterLayout(
  type: string,
  options: Readonly<Record<string, unknown>>,
): ParameterLayout[] | undefined {
  const info = lookup(MODELS, type);
  return info?.parameterLayout(filledOptions(info, options));
}

function filledOptions(
  info: ModelInfo,
  given: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of info.options) out[o.name] = optionValue(o, given);
  return out;
}

/** Builds the model a spec names, with the dataset's widths and the run's seed. */
export function createModel(backend: Backend, spec: ModelSpec, context: ModelContext): Model {
  const info = lookup(MODELS, spec?.kind);
  if (!info) throw new ModelsError(unknownModel(spec?.kind));
  const options = resolveOptions(`model "${info.kind}"`, info.options, spec);
  return info.create(backend, options, context);
}
