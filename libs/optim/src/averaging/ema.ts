import type { OptionInfo, Parameter } from '@optlab/tensor';
import { readAveragingOptions } from './options.js';
import { WeightAverage, type AverageRule } from './weight-average.js';

export interface EMAOptions {
  decay?: number;
  minDecay?: number;
  useWarmup?: boolean;
  warmupGamma?: number;
  warmupPower?: number;
}

/**
 * timm's options (ModelEmaV3), camelCased; `update_after_step` is the runner's `start`.
 * Defaults are timm's.
 */
export const EMA_OPTIONS: readonly OptionInfo[] = [
  {
    name: 'decay',
    kind: 'number',
    default: 0.9999,
    min: 0,
    max: 1,
    doc: 'EMA decay β: avg ← β·avg + (1 − β)·θ (with useWarmup, the cap of the warmup decay).',
  },
  {
    name: 'minDecay',
    kind: 'number',
    default: 0,
    min: 0,
    max: 1,
    doc: 'Floor of the warmup decay (useWarmup only).',
  },
  {
    name: 'useWarmup',
    kind: 'boolean',
    default: false,
    doc: "Ramp the decay up as 1 − (1 + n/warmupGamma)^(−warmupPower) (timm's ModelEmaV3).",
  },
  {
    name: 'warmupGamma',
    kind: 'number',
    default: 1,
    min: 0,
    exclusiveMin: true,
    doc: 'Warmup γ: the update count n is divided by it.',
  },
  {
    name: 'warmupPower',
    kind: 'number',
    default: 2 / 3,
    min: 0,
    exclusiveMin: true,
    doc: 'Warmup power (2/3 for runs of a million steps or more, 3/4 for shorter ones).',
  },
];

/**
 * An exponential moving average of the weights, as timm's `ModelEmaV3` computes it
 * (repository huggingface/pytorch-image-models, path timm/utils/model_ema.py, commit
 * 0a044bf43ddc280594c6f9237c17b41b7067a26e: `get_decay(step)` and `apply_update_` with
 * `lerp_(model_v, weight=1 − decay)`), called with the update count as `step`:
 *
 * ```
 * update 1:          avg ← θ                                  (get_decay returns 0)
 * update n + 1 ≥ 2:  β_n = useWarmup ? max(min(1 − (1 + n/γ)^(−p), decay), minDecay) : decay
 *                    avg ← avg + (1 − β_n)(θ − avg)
 * ```
 * PyTorch 1.13's `AveragedModel` with an EMA `avg_fn` of (avg, θ, n) gives the same numbers (the
 * fixtures check both ways); PyTorch ≥ 2.1's `get_ema_multi_avg_fn(decay)` is the case without
 * warmup.
 */
export class EMA extends WeightAverage {
  readonly decay: number;
  readonly minDecay: number;
  readonly useWarmup: boolean;
  readonly warmupGamma: number;
  readonly warmupPower: number;

  constructor(params: readonly Parameter[], options: EMAOptions = {}) {
    const o = readAveragingOptions('EMA', EMA_OPTIONS, options);
    super('EMA', params);
    this.decay = o.decay as number;
    this.minDecay = o.minDecay as number;
    this.useWarmup = o.useWarmup as boolean;
    this.warmupGamma = o.warmupGamma as number;
    this.warmupPower = o.warmupPower as number;
  }

  /** β at update n + 1 (n ≥ 1 models averaged before it): timm's `get_decay(n + 1)`. */
  decayAt(n: number): number {
    if (!this.useWarmup) return this.decay;
    const warm = 1 - (1 + n / this.warmupGamma) ** -this.warmupPower;
    return Math.max(Math.min(warm, this.decay), this.minDecay);
  }

  protected rule(n: number): AverageRule {
    return { kind: 'lerp', weight: 1 - this.decayAt(n) };
  }

  protected options(): Record<string, number | boolean> {
    const { decay, minDecay, useWarmup, warmupGamma, warmupPower } = this;
    return { decay, minDecay, useWarmup, warmupGamma, warmupPower };
  }
}
