import type {
  ExperimentSpec,
  ProtocolSpec,
  RunSpec,
  TaskSpec,
  TypedConfig,
} from '../spec/schema.js';

/**
 * The DeepOBS test problems OptLab runs (Schneider, Balles & Hennig 2019, "DeepOBS: A Deep
 * Learning Optimizer Benchmark Suite", ICLR), each as the task, batch size and training length
 * DeepOBS defines, with the files they come from. A problem is not a new kind of task: it is an
 * ordinary spec's task (a dataset and a model), so every result file states it in full.
 *
 * Sources, all in fsschneider/DeepOBS:
 * - deepobs/pytorch/testproblems/*.py (the problems), testproblems_modules.py at 009aa5eb (the
 *   networks and their initialisation), deepobs/pytorch/datasets/*.py (the data);
 * - deepobs/config.py at 06e33ed4, DEFAULT_TEST_PROBLEMS_SETTINGS (batch sizes and epochs);
 * - baselines/<problem>/<optimizer>/ at 873bbc27: DeepOBS's own tuning (36 learning rates
 *   10⁻⁵ … 10², one seed) and the reruns of the best on ten seeds (42 … 51), TensorFlow. The
 *   learning rates below are those reruns'. DeepOBS publishes no baselines for mnist_logreg,
 *   fmnist_logreg and fmnist_mlp.
 *
 * None of these five problems uses L2 regularisation (each class says "No weight decay … is used
 * in this test problem"), and every DeepOBS data loader drops the last partial batch.
 */
export type DeepobsProblemName =
  'quadratic_deep' | 'mnist_logreg' | 'fmnist_logreg' | 'fmnist_mlp' | 'fmnist_2c2d';

export interface DeepobsProblem {
  readonly name: DeepobsProblemName;
  /** The files that define it, with their commits. */
  readonly source: string;
  /** What it is, in one paragraph (architecture, initialisation, loss, data). */
  readonly summary: string;
  readonly task: TaskSpec;
  /** DeepOBS's batch size and epochs (deepobs/config.py). */
  readonly batchSize: number;
  readonly epochs: number;
  /**
   * The learning rates DeepOBS's baselines found best (SGD; Momentum with momentum 0.99; Adam),
   * where DeepOBS publishes baselines for the problem.
   */
  readonly bestLearningRates: { sgd: number; momentum: number; adam: number } | null;
  /** Needs data that is not installed by default (MNIST: a folder the user names). */
  readonly needsFolder?: boolean;
}

const TWO_C_TWO_D_LAYERS = [
  { type: 'conv2d', out: 32, kernel: 5, padding: 'same' },
  { type: 'relu' },
  { type: 'maxPool2d', kernel: 2 },
  { type: 'conv2d', out: 64, kernel: 5, padding: 'same' },
  { type: 'relu' },
  { type: 'maxPool2d', kernel: 2 },
  { type: 'flatten' },
  { type: 'dense', out: 1024 },
  { type: 'relu' },
  { type: 'dense', out: 10 },
];

const LOGREG_MODEL = { type: 'logistic-regression', init: 'zeros' };

/** A Fashion-MNIST task of DeepOBS: the official test set, no split, pixels ÷255 only. */
function imageTask(model: TypedConfig): TaskSpec {
  return {
    kind: 'classification',
    dataset: { type: 'fashion-mnist' },
    model,
    testFraction: 0,
    validationFraction: 0,
    standardize: false,
  };
}

export const DEEPOBS_PROBLEMS: Readonly<Record<DeepobsProblemName, DeepobsProblem>> = {
  quadratic_deep: {
    name: 'quadratic_deep',
    source:
      'deepobs/pytorch/testproblems/quadratic_deep.py (07c71449), datasets/quadratic.py (51fa5861), testproblems_modules.py net_quadratic_deep (009aa5eb)',
    summary:
      "mean ½·(θ − x)ᵀH(θ − x) over a batch, θ ∈ ℝ¹⁰⁰ from ones; H has 90 eigenvalues in U(0, 1) and 10 in U(30, 60) under a Haar rotation; 1000 points of N(0, 0.6²·I) to train, 1000 to test (DeepOBS's own, from NumPy RandomState 42 and 43); OptLab validates on 1000 more from RandomState(44)",
    task: {
      kind: 'regression',
      dataset: { type: 'deepobs-quadratic' },
      model: { type: 'quadratic-deep' },
      testFraction: 0,
      validationFraction: 0,
      standardize: false,
    },
    batchSize: 128,
    epochs: 100,
    bestLearningRates: { sgd: 0.015848931925, momentum: 0.0025118864315, adam: 0.039810717055 },
  },
  mnist_logreg: {
    name: 'mnist_logreg',
    source:
      'deepobs/pytorch/testproblems/mnist_logreg.py (0b911d32), testproblems_modules.py net_mnist_logreg',
    summary:
      'multinomial logistic regression 784 → 10 on MNIST, weights and biases zero, cross-entropy, pixels ÷255',
    task: {
      kind: 'classification',
      dataset: { type: 'mnist', folder: 'mnist' },
      model: LOGREG_MODEL,
      testFraction: 0,
      validationFraction: 0,
      standardize: false,
    },
    batchSize: 128,
    epochs: 50,
    bestLearningRates: null,
    needsFolder: true,
  },
  fmnist_logreg: {
    name: 'fmnist_logreg',
    source:
      'deepobs/pytorch/testproblems/fmnist_logreg.py (7802e2d3), testproblems_modules.py net_mnist_logreg',
    summary:
      'multinomial logistic regression 784 → 10 on Fashion-MNIST, weights and biases zero, cross-entropy, pixels ÷255',
    task: imageTask(LOGREG_MODEL),
    // config.py lists no fmnist_logreg: mnist_logreg's settings.
    batchSize: 128,
    epochs: 50,
    bestLearningRates: null,
  },
  fmnist_mlp: {
    name: 'fmnist_mlp',
    source:
      'deepobs/pytorch/testproblems/fmnist_mlp.py (312e2ec1), testproblems_modules.py net_mlp (009aa5eb)',
    summary:
      'MLP 784 → 1000 → 500 → 100 → 10 with ReLU on Fashion-MNIST, weights 0.03·N(0, 1) truncated at ±2σ, biases zero, cross-entropy, pixels ÷255',
    task: imageTask({
      type: 'mlp',
      hidden: [1000, 500, 100],
      activation: 'relu',
      init: 'deepobs-truncated-normal',
    }),
    batchSize: 128,
    epochs: 100,
    bestLearningRates: null,
  },
  fmnist_2c2d: {
    name: 'fmnist_2c2d',
    source:
      'deepobs/pytorch/testproblems/fmnist_2c2d.py (312e2ec1), testproblems_modules.py net_mnist_2c2d (009aa5eb)',
    summary:
      'conv 5×5 → 32 (same padding), ReLU, max-pool 2×2, conv 5×5 → 64, ReLU, max-pool 2×2, dense 3136 → 1024, ReLU, dense → 10 on Fashion-MNIST; weights 0.05·N(0, 1) truncated at ±2σ, biases 0.05; cross-entropy; pixels ÷255',
    task: imageTask({
      type: 'cnn',
      layers: TWO_C_TWO_D_LAYERS,
      init: 'deepobs-2c2d-truncated-normal',
      biasInit: 0.05,
    }),
    batchSize: 128,
    epochs: 100,
    bestLearningRates: { sgd: 0.15848931925, momentum: 0.0025118864315, adam: 0.00025118864315 },
  },
};

export interface DeepobsExperimentOptions {
  /** Epochs actually run (default DeepOBS's). */
  readonly epochs?: number;
  /** Only the first training images (image problems), to fit a laptop. */
  readonly trainRows?: number;
  /**
   * Fraction of the training rows held out to select configurations on (image problems;
   * quadratic_deep brings its own validation set).
   */
  readonly validationFraction?: number;
  readonly runs: RunSpec[];
  readonly protocol?: ProtocolSpec;
  readonly evalEvery?: number;
}

/**
 * An experiment on a DeepOBS problem: its task and batch size, the last partial batch dropped,
 * and a description that states every way this run differs from DeepOBS's definition.
 */
export function deepobsExperiment(
  problem: DeepobsProblem,
  options: DeepobsExperimentOptions,
): ExperimentSpec {
  const epochs = options.epochs ?? problem.epochs;
  const differences: string[] = [];
  if (epochs !== problem.epochs) {
    differences.push(
      `${epochs} epoch${epochs === 1 ? '' : 's'} instead of DeepOBS's ${problem.epochs}`,
    );
  }
  let task = problem.task;
  if (task.kind !== 'function' && options.trainRows !== undefined) {
    task = { ...task, dataset: { ...task.dataset, trainRows: options.trainRows } };
    differences.push(`the first ${options.trainRows} training images only`);
  }
  if (task.kind !== 'function' && (options.validationFraction ?? 0) > 0) {
    task = { ...task, validationFraction: options.validationFraction! };
    differences.push(
      `${Math.round(options.validationFraction! * 100)}% of the training rows held out for validation`,
    );
  }
  return {
    version: 1,
    name: `deepobs-${problem.name.replace(/_/g, '-')}`,
    description: `DeepOBS's ${problem.name} (fsschneider/DeepOBS ${problem.source}): ${problem.summary}; no L2 regularisation; batch size ${problem.batchSize}, last partial batch dropped. ${differences.length > 0 ? `Differences from DeepOBS, to fit a laptop: ${differences.join('; ')}.` : 'As DeepOBS defines it.'}`,
    task,
    training: {
      epochs,
      batchSize: problem.batchSize,
      shuffle: true,
      dropLast: true,
      evalEvery: options.evalEvery ?? 1,
      scheduleInterval: 'epoch',
      logEvery: 0,
    },
    runs: options.runs,
    ...(options.protocol ? { protocol: options.protocol } : {}),
  };
}
