import type { ExperimentSpec, SuiteSpec } from '../spec/schema.js';

/**
 * The tutorial's OptimizerBenchmark as a suite: for each problem size d ∈ {10, 50, 100}, random
 * data X ~ N(0, 1) [1000, d] with labels uniform on {0, 1, 2} (`np.random.randn(1000, size)`,
 * `np.random.randint(0, 3, 1000)`), the SimpleNN MLP(d → 2d → 3, tanh, 0.01·N(0, 1) weights),
 * 50 epochs of minibatches of 32 in order (no shuffle), each of SGD(0.01), Momentum(0.01, 0.9),
 * Adam(0.001), NAdam(0.001) and AdaFactor() as the tutorial configures them (its NAdam's
 * default lr is 0.001, where PyTorch's is 0.002: the lr is stated).
 *
 * Differences from the tutorial, on purpose: every model starts from the same weights for a seed
 * (the tutorial draws new ones per optimizer), every run gets its own optimizer (the tutorial
 * shares one instance, and so one state, across all layers and all problem sizes), NAdam is
 * PyTorch's and AdaFactor Hugging Face's, `AdafactorHF` (see
 * docs/decisions/0006-experiment-spec-and-runner.md).
 */
export const TUTORIAL_SIZES = [10, 50, 100] as const;

export function tutorialBenchmarkExperiment(size: number): ExperimentSpec {
  return {
    version: 1,
    name: `tutorial-benchmark-size-${size}`,
    description: `The tutorial's OptimizerBenchmark at problem size ${size}: SimpleNN(${size}, ${2 * size}, 3) on random 3-class data, 50 epochs, batch 32.`,
    task: {
      kind: 'classification',
      dataset: { type: 'random-classification', n: 1000, features: size, classes: 3, seed: 42 },
      model: { type: 'mlp', hidden: [2 * size], activation: 'tanh', init: 'small-normal' },
      testFraction: 0,
      validationFraction: 0,
      standardize: false,
    },
    training: {
      epochs: 50,
      batchSize: 32,
      shuffle: false,
      evalEvery: 1,
      scheduleInterval: 'epoch',
      logEvery: 0,
    },
    runs: [
      { name: 'SGD', optimizer: { type: 'SGD', lr: 0.01 }, backend: 'cpu' },
      { name: 'Momentum', optimizer: { type: 'SGD', lr: 0.01, momentum: 0.9 }, backend: 'cpu' },
      { name: 'Adam', optimizer: { type: 'Adam' }, backend: 'cpu' },
      // The tutorial's NAdam takes lr 0.001; PyTorch's defaults to 0.002, so it is stated.
      { name: 'NAdam', optimizer: { type: 'NAdam', lr: 0.001 }, backend: 'cpu' },
      {
        name: 'AdaFactor',
        optimizer: { type: 'AdafactorHF', lr: 0.01, relativeStep: false, scaleParameter: false },
        backend: 'cpu',
      },
    ],
  };
}

export const tutorialSuite: SuiteSpec = {
  version: 1,
  kind: 'suite',
  name: 'tutorial',
  description:
    "The tutorial's OptimizerBenchmark: problem sizes 10/50/100 × SGD, Momentum, Adam, NAdam, AdaFactor.",
  tuningBudget:
    "none: the tutorial's hyperparameters, one run per optimizer and size (seed 0); wall times compare only within one backend and machine",
  experiments: TUTORIAL_SIZES.map(tutorialBenchmarkExperiment),
};
