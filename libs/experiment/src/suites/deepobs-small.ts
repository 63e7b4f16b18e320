import { DEEPOBS_PROBLEMS, deepobsExperiment, type DeepobsProblem } from '../deepobs/problems.js';
import type { ProtocolSpec, RunSpec, SuiteSpec } from '../spec/schema.js';

/**
 * DeepOBS's small problems run with DeepOBS's protocol, shrunk to fit a 2-core laptop: each of
 * SGD, Momentum (0.99, DeepOBS's) and Adam tunes its learning rate on a 3-point log grid (one
 * seed), the best by final validation loss is rerun on more seeds (5 for quadratic_deep, 4
 * for the others: the fewest with which a two-sided Mann–Whitney verdict can reach α = 0.05;
 * at 3 each its smallest p is 0.1), and test accuracy (test
 * loss for quadratic_deep) is reported. Where DeepOBS publishes a best learning rate the grid is
 * centred on it (÷√10, ×1, ×√10); elsewhere it spans DeepOBS's usual range for the optimizer.
 *
 * Validation: the image problems hold 10% of their training rows out; quadratic_deep has no
 * split of its own in DeepOBS, so its dataset draws 1000 fresh points (RandomState(44)) to
 * validate on, and its test set stays DeepOBS's.
 */
const PROTOCOL = (report: 'test-accuracy' | 'test-loss', rerunSeeds: number): ProtocolSpec => ({
  select: { metric: 'validation-loss', reduce: 'final' },
  tuneSeeds: [0],
  rerunSeeds,
  report,
});

const ROOT10 = Math.sqrt(10);

function tunedRuns(problem: DeepobsProblem, fallback: { sgd: number; adam: number }): RunSpec[] {
  const lrs = problem.bestLearningRates ?? {
    sgd: fallback.sgd,
    momentum: fallback.sgd / 10,
    adam: fallback.adam,
  };
  const grid = (lr: number) => ({
    logspace: [lr / ROOT10, lr * ROOT10, 3] as [number, number, number],
  });
  return [
    {
      name: 'SGD',
      optimizer: { type: 'SGD' },
      sweep: { 'optimizer.lr': grid(lrs.sgd) },
      backend: 'cpu',
    },
    {
      name: 'Momentum',
      optimizer: { type: 'SGD', momentum: 0.99 },
      sweep: { 'optimizer.lr': grid(lrs.momentum) },
      backend: 'cpu',
    },
    {
      name: 'Adam',
      optimizer: { type: 'Adam' },
      sweep: { 'optimizer.lr': grid(lrs.adam) },
      backend: 'cpu',
    },
  ];
}

const P = DEEPOBS_PROBLEMS;

export const deepobsSmallSuite: SuiteSpec = {
  version: 1,
  kind: 'suite',
  name: 'deepobs-small',
  description:
    "DeepOBS's small problems (quadratic_deep, fmnist_logreg, fmnist_mlp, fmnist_2c2d) with DeepOBS's protocol: tune on validation data, rerun the best on more seeds, report test accuracy (test loss for quadratic_deep). Shrunk to fit a laptop: quadratic_deep runs DeepOBS's full 100 epochs; the Fashion-MNIST problems run 1 epoch on the first 10,000 training images (fmnist_2c2d: 3,000), 10% of them held out for validation, tested on all 10,000 official test images. mnist_logreg needs an MNIST folder (Debian packages none) and is left out.",
  tuningBudget:
    "per optimizer and problem: 3 learning rates on a log grid (÷√10, ×1, ×√10 around DeepOBS's published best where it has one: quadratic_deep and fmnist_2c2d; else around 0.1 for SGD, 0.01 for Momentum, 0.001 for Adam), 1 tuning seed, the best by final validation loss rerun on 5 more seeds (quadratic_deep) or 4 (the others, the fewest a verdict at α = 0.05 can decide with); Momentum is 0.99 and Adam's betas are PyTorch's, never tuned.",
  experiments: [
    deepobsExperiment(P.quadratic_deep, {
      runs: tunedRuns(P.quadratic_deep, { sgd: 0.1, adam: 0.001 }),
      protocol: PROTOCOL('test-loss', 5),
      evalEvery: 10,
    }),
    deepobsExperiment(P.fmnist_logreg, {
      epochs: 1,
      trainRows: 10_000,
      validationFraction: 0.1,
      runs: tunedRuns(P.fmnist_logreg, { sgd: 0.1, adam: 0.001 }),
      protocol: PROTOCOL('test-accuracy', 4),
    }),
    deepobsExperiment(P.fmnist_mlp, {
      epochs: 1,
      trainRows: 10_000,
      validationFraction: 0.1,
      runs: tunedRuns(P.fmnist_mlp, { sgd: 0.1, adam: 0.001 }),
      protocol: PROTOCOL('test-accuracy', 4),
    }),
    deepobsExperiment(P.fmnist_2c2d, {
      epochs: 1,
      trainRows: 3_000,
      validationFraction: 0.1,
      runs: tunedRuns(P.fmnist_2c2d, { sgd: 0.1, adam: 0.001 }),
      protocol: PROTOCOL('test-accuracy', 4),
    }),
  ],
};
