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
import { CNN } from './cnn.js';
import { QuadraticDeep } from './quadratic-deep.js';
import {
  checkCnnLayers,
  CNN_LAYERS,
  planCnn,
  squareImage,
  type CnnLayerInfo,
  type CnnLayerSpec,
} from './cnn-layers.js';
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
  /** The shape of one row as an image [C, H, W], where the data knows it (IDX images). */
  inputShape?: readonly number[];
}

export interface ModelInfo {
  readonly kind: string;
  readonly summary: string;
  readonly task: Task;
  readonly options: readonly OptionInfo[];
  /** Rules across options that the descriptions cannot state, on the options with defaults filled in. */
  readonly check?: (values: Readonly<Record<string, unknown>>) => OptionProblem | undefined;
  /**
   * Options whose values are structured (a cnn's list of layers): `checkOptionValues` skips
   * them and `checkStructured` checks them, each problem with its path inside the option.
   */
  readonly structured?: readonly StructuredOption[];
  /**
   * Problems that only the data's widths reveal (a kernel larger than the image, logits that are
   * not the classes), on options already checked; paths relative to the options.
   */
  readonly checkData?: (
    values: Readonly<Record<string, unknown>>,
    features: number,
    classes: number,
  ) => OptionProblem | undefined;
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

/**
 * An option that `OptionInfo`'s kinds cannot describe (a list of objects). `optlab list` and the
 * lab show `name`, `doc` and `example`; `check` returns every problem with a path from the
 * option's name (`['layers', 2, 'kernel']`).
 */
export interface StructuredOption {
  readonly name: string;
  readonly doc: string;
  readonly required: boolean;
  readonly example: unknown;
  /**
   * A list of `{"type": …, …fields}` objects: each type with its fields described as options
   * are, for forms (the lab's layers editor) and `optlab list`.
   */
  readonly itemTypes?: readonly CnnLayerInfo[];
  check(value: unknown): OptionProblem[];
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
  cnn: {
    kind: 'cnn',
    summary:
      'Convolutional classifier from a list of layers (conv2d, maxPool2d, avgPool2d, flatten, dense, relu, tanh, sigmoid, gelu, dropout); rows are images [C, H, W] flattened',
    task: 'classification',
    options: [
      {
        name: 'inputShape',
        kind: 'numbers',
        default: null,
        min: 1,
        minItems: 3,
        doc: "One image [C, H, W] (default: the dataset's, e.g. [1, 28, 28] for IDX images; else one channel of a square image)",
      },
      {
        name: 'init',
        kind: 'choice',
        default: 'pytorch-default',
        choices: INIT_CHOICES,
        doc: "Weight initialiser of conv and dense layers (default PyTorch's, U(±1/√fanIn))",
      },
      {
        name: 'biasInit',
        kind: 'number',
        default: null,
        doc: "Every bias starts at this value (default: PyTorch's U(±1/√fanIn))",
      },
    ],
    structured: [
      {
        name: 'layers',
        required: true,
        doc: 'The layers in order: {"type": "conv2d", "out", "kernel", "stride"?, "padding"? (a number, [h, w] or "same")}, {"type": "maxPool2d" | "avgPool2d", "kernel", "stride"?, "padding"?}, {"type": "flatten"}, {"type": "dense", "out"} (the last may leave out "out": the classes), {"type": "dropout", "p"}, {"type": "relu" | "tanh" | "sigmoid" | "gelu"}',
        example: [
          { type: 'conv2d', out: 32, kernel: 5, padding: 2 },
          { type: 'relu' },
          { type: 'maxPool2d', kernel: 2 },
          { type: 'flatten' },
          { type: 'dense', out: 10 },
        ],
        itemTypes: CNN_LAYERS,
        check: checkCnnLayers,
      },
    ],
    check: inputShapeProblem,
    checkData: (o, features, classes) => {
      const input = cnnInput(o, features);
      if (!input) {
        return {
          path: ['inputShape'],
          message: `the data has ${features} values per row, no square image: give inputShape [C, H, W]`,
        };
      }
      if (input.reduce((a, b) => a * b, 1) !== features) {
        return {
          path: ['inputShape'],
          message: `[${input.join(', ')}] holds ${input.reduce((a, b) => a * b, 1)} values, but the data has ${features} per row`,
        };
      }
      const plan = planCnn(o.layers as CnnLayerSpec[], input, classes);
      return 'shapes' in plan ? undefined : plan;
    },
    parameterCount: (o, features, classes) => {
      const input = cnnInput(o, features) ?? [features, 1, 1];
      const plan = planCnn(o.layers as CnnLayerSpec[], input, classes);
      return 'shapes' in plan ? plan.parameters : 0;
    },
    // Conv2d and Dense layers are named by their position in the list: layers.0.W, layers.0.b, …
    parameterLayout: (o) =>
      (o.layers as CnnLayerSpec[]).flatMap((l, i) =>
        l.type === 'conv2d'
          ? [
              { name: `layers.${i}.W`, rank: 4 },
              { name: `layers.${i}.b`, rank: 1 },
            ]
          : l.type === 'dense'
            ? denseLayout(`layers.${i}`)
            : [],
      ),
    create: (backend, o, ctx) => {
      const inputShape =
        (o.inputShape as number[] | null) ?? ctx.inputShape ?? squareImage(ctx.features);
      if (!inputShape || inputShape.reduce((a, b) => a * b, 1) !== ctx.features) {
        throw new ModelsError(
          `model "cnn": the data has ${ctx.features} values per row, which is not the image ${inputShape ? `[${inputShape.join(', ')}]` : 'of any square'}: give inputShape [C, H, W]`,
        );
      }
      return new CNN(backend, {
        layers: o.layers as CnnLayerSpec[],
        inputShape,
        classes: ctx.classes,
        init: o.init as Initializer,
        biasInit: o.biasInit as number | null,
        seed: ctx.seed,
      });
    },
  },
  'quadratic-deep': {
    kind: 'quadratic-deep',
    summary:
      "DeepOBS's quadratic_deep: mean ½·(θ − x)ᵀH(θ − x) over a batch, θ ∈ ℝ¹⁰⁰ from ones, H with 90 eigenvalues in (0, 1) and 10 in (30, 60); data: the deepobs-quadratic dataset",
    task: 'regression',
    options: [],
    checkData: (_o, features) =>
      features === 100
        ? undefined
        : {
            path: [],
            message: `needs 100-D points (the deepobs-quadratic dataset), the data has ${features} features`,
          },
    parameterCount: () => 100,
    parameterLayout: () => [{ name: 'theta', rank: 1 }],
    create: (backend, _o, ctx) => {
      if (ctx.features !== 100) {
        throw new ModelsError(
          `model "quadratic-deep": needs 100-D points (the deepobs-quadratic dataset), the data has ${ctx.features} features`,
        );
      }
      return new QuadraticDeep(backend);
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

/** A cnn's input [C, H, W]: the option, else one channel of a square image (null: none). */
function cnnInput(
  o: Readonly<Record<string, unknown>>,
  features: number,
): readonly number[] | null {
  return (o.inputShape as number[] | null) ?? squareImage(features);
}

/** A cnn's inputShape, when given, is three whole numbers. */
function inputShapeProblem(values: Readonly<Record<string, unknown>>): OptionProblem | undefined {
  const shape = values.inputShape as number[] | null;
  if (shape === null) return undefined;
  if (shape.length !== 3) {
    return { path: ['inputShape'], message: `must be [C, H, W], got ${JSON.stringify(shape)}` };
  }
  const i = shape.findIndex((v) => !Number.isInteger(v));
  return i < 0
    ? undefined
    : { path: ['inputShape', i], message: `must be an integer, got ${shape[i]}` };
}

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
  const structured = info.structured ?? [];
  const problems = checkOptionValues(
    info.options,
    options,
    structured.map((o) => o.name),
    `model ${info.kind}`,
  );
  for (const o of structured) {
    const value = Object.hasOwn(options, o.name) ? options[o.name] : undefined;
    if (value === undefined) {
      if (o.required) problems.push({ path: [o.name], message: 'is required' });
    } else problems.push(...o.check(value));
  }
  if (problems.length > 0 || !info.check) return problems;
  const cross = info.check(filledOptions(info, options));
  return cross ? [cross] : [];
}

/**
 * The first problem that the data's widths reveal in a model's (valid) options, e.g. a cnn
 * kernel larger than the image; undefined when none, or for an unknown model.
 */
export function modelDataProblem(
  type: string,
  options: Readonly<Record<string, unknown>>,
  features: number,
  classes: number,
): OptionProblem | undefined {
  const info = lookup(MODELS, type);
  return info?.checkData?.(filledOptions(info, options), features, classes);
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
  for (const o of info.structured ?? []) out[o.name] = given[o.name];
  return out;
}

/** Builds the model a spec names, with the dataset's widths and the run's seed. */
export function createModel(backend: Backend, spec: ModelSpec, context: ModelContext): Model {
  const info = lookup(MODELS, spec?.kind);
  if (!info) throw new ModelsError(unknownModel(spec?.kind));
  const structured = info.structured ?? [];
  const options = resolveOptions(`model "${info.kind}"`, info.options, spec, [
    'kind',
    ...structured.map((o) => o.name),
  ]);
  const { kind: _kind, ...given } = spec;
  const [problem] = structured.length > 0 ? checkModelOptions(info.kind, given) : [];
  if (problem) {
    throw new ModelsError(
      `model "${info.kind}": option "${problem.path[0]}"${problem.path.length > 1 ? ` [${problem.path.slice(1).join('].[')}]` : ''} ${problem.message}`,
    );
  }
  for (const o of structured) options[o.name] = spec[o.name];
  return info.create(backend, options, context);
}
