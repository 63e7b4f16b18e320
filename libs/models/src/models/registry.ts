import type { Backend } from '@optlab/tensor';
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
  create(backend: Backend, options: Record<string, unknown>, context: ModelContext): Model;
}

const INIT_CHOICES = [...INITIALIZERS];

/** Every model a spec can name, keyed by kind. */
export const MODELS: Readonly<Record<string, ModelInfo>> = {
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
    create: (backend, o, ctx) => {
      const hidden = o.hidden as number[];
      hidden.forEach((h, i) => {
        if (!Number.isInteger(h)) {
          throw new ModelsError(`model "mlp": option "hidden" [${i}] must be an integer, got ${h}`);
        }
      });
      return new MLP(backend, {
        sizes: [ctx.features, ...hidden, ctx.classes],
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
    create: (backend, o, ctx) =>
      new LogisticRegression(backend, {
        features: ctx.features,
        classes: ctx.classes,
        init: o.init as Initializer,
        seed: ctx.seed,
      }),
  },
};

/** Builds the model a spec names, with the dataset's widths and the run's seed. */
export function createModel(backend: Backend, spec: ModelSpec, context: ModelContext): Model {
  const info = Object.hasOwn(MODELS, spec?.kind) ? MODELS[spec.kind] : undefined;
  if (!info) {
    throw new ModelsError(
      `unknown model "${String(spec?.kind)}"; known: ${Object.keys(MODELS).join(', ')}`,
    );
  }
  const options = resolveOptions(`model "${info.kind}"`, info.options, spec);
  return info.create(backend, options, context);
}
