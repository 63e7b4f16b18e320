import type { RunAggregate, RunMetrics } from '@optlab/experiment';

/** A runner's RunMetrics for one seed of a function task (SGD on Rosenbrock), with overrides. */
export function runMetrics(overrides: Partial<RunMetrics> = {}): RunMetrics {
  return {
    run: 'SGD',
    seed: 0,
    optimizer: 'SGD',
    schedule: null,
    label: 'SGD(lr=0.001)',
    backend: 'cpu',
    device: 'cpu float32 (typed arrays)',
    status: 'done',
    diverged: null,
    steps: 10,
    epochs: null,
    initialLoss: 12.5,
    finalLoss: 3,
    bestLoss: 3,
    bestStep: 10,
    epochsToConverge: 4,
    historyUnit: 'step',
    target: null,
    wallTimeMs: 20,
    stepsPerSecond: 500,
    concurrentRuns: 1,
    finalLr: 0.001,
    trainAccuracy: null,
    testAccuracy: null,
    testLoss: null,
    validationLoss: null,
    bestValidationLoss: null,
    validationAccuracy: null,
    bestValidationAccuracy: null,
    finalParams: [-1.2, 1.5],
    finalParamsMode: 'full',
    finalParamsSample: null,
    linearRegression: null,
    evaluations: 10,
    paramGroups: null,
    ...overrides,
  };
}

/** The runner's median and spread over three seeds of `runMetrics()`. */
export function runAggregate(overrides: Partial<RunAggregate> = {}): RunAggregate {
  const spread = (median: number) => ({
    n: 3,
    median,
    min: median / 2,
    max: median * 2,
    q1: median,
    q3: median,
  });
  return {
    run: 'SGD',
    optimizer: 'SGD',
    schedule: null,
    label: 'SGD(lr=0.001)',
    backend: 'cpu',
    device: 'cpu float32 (typed arrays)',
    seeds: [0, 1, 2],
    diverged: 0,
    finalLoss: spread(3),
    bestLoss: spread(3),
    epochsToConverge: spread(4),
    targetStep: null,
    targetMs: null,
    reachedTarget: 0,
    wallTimeMs: spread(20),
    stepsPerSecond: spread(500),
    trainAccuracy: null,
    testAccuracy: null,
    ...overrides,
  };
}
