/**
 * What each column of the results table means, shown as its header's tooltip and used as the
 * summary CSV's column names. The definitions are the runner's (libs/experiment/src/metrics).
 */
import type { SortKey } from './table.js';

export interface MetricDoc {
  readonly label: string;
  readonly definition: string;
}

export const METRIC_DOCS: Partial<Record<SortKey | 'finalWeights' | 'leastSquares', MetricDoc>> = {
  name: { label: 'Run', definition: 'The run’s name; its colour is its colour on every chart.' },
  optimizer: { label: 'Optimizer', definition: 'The optimizer the run trains with.' },
  status: {
    label: 'Status',
    definition:
      'done, diverged (the loss became NaN/Inf or exceeded a million times its start, at the step shown), stopped, or error.',
  },
  finalLoss: {
    label: 'Final loss',
    definition: 'The training loss at the last evaluation (for a diverged run, its last value).',
  },
  bestLoss: {
    label: 'Best loss',
    definition: 'The lowest training loss, the loss before the first update (step 0) included.',
  },
  seconds: { label: 'Time (s)', definition: 'Wall time of the run, pauses left out.' },
  stepsPerSecond: {
    label: 'Steps/s',
    definition:
      'Optimizer updates per second of wall time (depends on the backend and the machine).',
  },
  epochsToConverge: {
    label: 'Epochs within 10% of best',
    definition:
      'The tutorial’s convergence count: how many evaluations (epochs) have a loss within 10 % of the run’s best loss — not a time to converge (see Step at target). “—” for a diverged run.',
  },
  stepToTarget: {
    label: 'Step at target',
    definition: 'The first step at which the loss reached the training’s target loss (targetLoss).',
  },
  secondsToTarget: {
    label: 'Time to target (s)',
    definition: 'Wall time until the loss first reached the target loss.',
  },
  trainAccuracy: {
    label: 'Train acc.',
    definition:
      'Fraction of the training rows the final model classifies correctly. “—” for a diverged run (its model is NaN).',
  },
  testAccuracy: {
    label: 'Test acc.',
    definition:
      'Fraction of the held-out rows (task.testFraction) the final model classifies correctly.',
  },
  finalWeights: {
    label: 'Final weights [b, w…]',
    definition: 'Linear regression: the bias and weights the run ends with.',
  },
  leastSquares: {
    label: 'Least squares',
    definition:
      'Linear regression: the exact least-squares solution of the same data, for comparison.',
  },
  device: {
    label: 'Backend that ran',
    definition:
      'The backend the run asked for; the tooltip names the device that actually ran it (gpu.js mode and renderer).',
  },
};
