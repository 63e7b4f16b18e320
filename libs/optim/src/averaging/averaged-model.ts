import type { Parameter } from '@optlab/tensor';
import { readAveragingOptions } from './options.js';
import { WeightAverage, type AverageRule } from './weight-average.js';

/**
 * Stochastic Weight Averaging (Izmailov et al. 2018, https://arxiv.org/abs/1803.05407), as
 * PyTorch's `torch.optim.swa_utils.AveragedModel` with its default `avg_fn`: the first
 * `updateParameters()` copies the parameters, each later one takes the running equal average
 * `avg ← avg + (θ − avg) / (n + 1)` (n = models averaged so far). When to start (PyTorch's
 * `swa_start`) is the caller's choice, as in PyTorch; the runner's `averaging.start` is it.
 * Batch-norm statistics (`update_bn`) do not apply: OptLab's models have no buffers.
 */
export class AveragedModel extends WeightAverage {
  constructor(params: readonly Parameter[], options: Record<string, never> = {}) {
    readAveragingOptions('AveragedModel', [], options);
    super('AveragedModel', params);
  }

  protected rule(n: number): AverageRule {
    return { kind: 'mean', count: n + 1 };
  }

  protected options(): Record<string, number | boolean> {
    return {};
  }
}
