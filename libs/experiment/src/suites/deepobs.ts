import type { ExperimentSpec, RunSpec, SuiteSpec } from '../spec/schema.js';

/**
 * A DeepOBS/AlgoPerf-style ladder of problems, from toy to small real data: 2-D test functions,
 * an ill-conditioned quadratic, linear regression, and MLPs on Iris and the UCI digits. Every
 * problem runs the same five optimizers at fixed hyperparameters (no tuning), three seeds for
 * the data problems, and reports steps-to-target beside wall time, as those benchmarks do.
 */
const SEEDS = [0, 1, 2];

type Optimizer = RunSpec['optimizer'];

function runs(lrs: { sgd: number; adam: number }, seeds?: number[]): RunSpec[] {
  const entries: [string, Optimizer][] = [
    ['SGD', { type: 'SGD', lr: lrs.sgd }],
    ['Momentum', { type: 'SGD', lr: lrs.sgd, momentum: 0.9 }],
    ['Adam', { type: 'Adam', lr: lrs.adam }],
    ['NAdam', { type: 'NAdam', lr: lrs.adam }],
    ['RMSprop', { type: 'RMSprop', lr: lrs.adam }],
  ];
  return entries.map(([name, optimizer]) => ({
    name,
    optimizer,
    backend: 'cpu',
    ...(seeds ? { seeds } : {}),
  }));
}

const training = (t: Partial<ExperimentSpec['training']>): ExperimentSpec['training'] => ({
  batchSize: 'full',
  shuffle: true,
  evalEvery: 1,
  scheduleInterval: 'epoch',
  logEvery: 0,
  ...t,
});

export const deepobsSuite: SuiteSpec = {
  version: 1,
  kind: 'suite',
  name: 'deepobs',
  description:
    'DeepOBS/AlgoPerf-style ladder: Rosenbrock and Beale → ill-conditioned quadratic → linear regression → MLP on Iris and digits; steps to target, median and range over 3 seeds.',
  tuningBudget:
    'none (0 tuning trials): one fixed configuration per optimizer and problem — SGD/Momentum share one lr and Adam/NAdam/RMSprop another, chosen once per problem before any run and never adjusted to results; PyTorch defaults otherwise. Functions are deterministic (one seed); data problems use seeds 0, 1, 2.',
  experiments: [
    {
      version: 1,
      name: 'rosenbrock',
      task: { kind: 'function', function: { type: 'rosenbrock' }, start: [-1.2, 1] },
      training: training({ steps: 2000, targetLoss: 1e-3 }),
      runs: runs({ sgd: 1e-3, adam: 1e-2 }),
    },
    {
      version: 1,
      name: 'beale',
      task: { kind: 'function', function: { type: 'beale' }, start: [1, 1.5] },
      training: training({ steps: 2000, targetLoss: 1e-3 }),
      runs: runs({ sgd: 1e-2, adam: 1e-2 }),
    },
    {
      version: 1,
      name: 'quadratic-ill-conditioned',
      description: '½·Σ cᵢxᵢ² with curvatures 1…100 (condition number 100), from all ones.',
      task: {
        kind: 'function',
        function: { type: 'quadratic', coefficients: [1, 3, 10, 30, 100] },
        start: [1, 1, 1, 1, 1],
      },
      training: training({ steps: 500, targetLoss: 1e-4 }),
      runs: runs({ sgd: 0.015, adam: 0.05 }),
    },
    {
      version: 1,
      name: 'linear-regression',
      task: {
        kind: 'regression',
        dataset: { type: 'linear', n: 1000, noise: 0.5, seed: 7 },
        model: { type: 'linear-regression' },
        testFraction: 0.2,
        validationFraction: 0,
        standardize: false,
      },
      training: training({ epochs: 30, batchSize: 32, targetLoss: 0.27 }),
      runs: runs({ sgd: 0.05, adam: 0.05 }, SEEDS),
    },
    {
      version: 1,
      name: 'iris-mlp',
      task: {
        kind: 'classification',
        dataset: { type: 'iris' },
        model: { type: 'mlp', hidden: [16], activation: 'relu', init: 'kaiming-uniform' },
        testFraction: 0.2,
        validationFraction: 0,
        standardize: true,
      },
      training: training({ epochs: 100, batchSize: 16, targetLoss: 0.1 }),
      runs: runs({ sgd: 0.05, adam: 0.01 }, SEEDS),
    },
    {
      version: 1,
      name: 'digits-mlp',
      task: {
        kind: 'classification',
        dataset: { type: 'digits' },
        model: { type: 'mlp', hidden: [64], activation: 'relu', init: 'kaiming-uniform' },
        testFraction: 0.2,
        validationFraction: 0,
        standardize: true,
      },
      training: training({ epochs: 20, batchSize: 32, targetLoss: 0.1 }),
      runs: runs({ sgd: 0.05, adam: 0.001 }, SEEDS),
    },
  ],
};
