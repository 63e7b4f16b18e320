import {
  LAST_EPOCH_OPTION,
  readOptions,
  type ScheduleOptionInfo,
  type ScheduleOptions,
} from './option-reader.js';
import { Scheduler } from './scheduler.js';
import type { SchedulableOptimizer } from './types.js';

/**
 * The tutorial's schedules (`LearningRateScheduler` and `AdvancedLRScheduler` in
 * shared/seed/optimizers-tutorial.txt), with the tutorial's own formulas. They are absolute
 * functions of the step: `step()` sets `lr = f(t)` whatever the lr was. `t` counts from 0, so
 * the tutorial's `AdamWithScheduler` (epoch 0 on the first update) matches
 * `opt.step(); sched.step()`. How each relates to PyTorch's schedules is in docs/schedules.md.
 */

/** The tutorial's `initial_lr`: by default the optimizer's lr (PyTorch's base lr). */
export const INITIAL_LR_OPTION: ScheduleOptionInfo = {
  name: 'initialLr',
  kind: 'number',
  default: null,
  min: 0,
  doc: "Learning rate at step 0 (default: the optimizer's lr).",
};

/** Base lrs from `initialLr` when it is given, else the optimizer's. */
export function ownBase(o: ScheduleOptions, optimizer: SchedulableOptimizer): number[] | undefined {
  const lr = o.numberOrNull('initialLr');
  return lr === null ? undefined : optimizer.paramGroups.map(() => lr);
}

export interface StepDecayOptions {
  initialLr?: number | null;
  lastEpoch?: number;
  drop?: number;
  epochsDrop?: number;
}

/**
 * The tutorial's step decay: `lr_t = initialLr · drop^⌊(1 + t) / epochsDrop⌋`. The `1 +` makes
 * the first drop happen at t = epochsDrop − 1, one step before StepLR(stepSize = epochsDrop).
 */
export class StepDecay extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    INITIAL_LR_OPTION,
    {
      name: 'drop',
      kind: 'number',
      default: 0.5,
      min: 0,
      exclusiveMin: true,
      unit: '×lr',
      doc: 'Factor of each drop.',
    },
    {
      name: 'epochsDrop',
      kind: 'number',
      default: 10,
      min: 0,
      exclusiveMin: true,
      unit: 'steps',
      doc: 'Steps between drops.',
    },
    LAST_EPOCH_OPTION,
  ];
  readonly drop: number;
  readonly epochsDrop: number;

  constructor(optimizer: SchedulableOptimizer, options: StepDecayOptions = {}) {
    const o = readOptions('StepDecay', StepDecay.options, options);
    super('StepDecay', optimizer, {
      lastEpoch: o.number('lastEpoch'),
      own: ownBase(o, optimizer),
    });
    this.drop = o.number('drop');
    this.epochsDrop = o.number('epochsDrop');
    this.start();
  }

  closedLr(step: number, baseLr: number): number {
    return baseLr * this.drop ** Math.floor((1 + step) / this.epochsDrop);
  }
}

export interface ExponentialDecayOptions {
  initialLr?: number | null;
  lastEpoch?: number;
  k?: number;
}

/** The tutorial's exponential decay: `lr_t = initialLr · e^(−k t)` (ExponentialLR with γ = e^(−k)). */
export class ExponentialDecay extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    INITIAL_LR_OPTION,
    { name: 'k', kind: 'number', default: 0.1, min: 0, doc: 'Decay rate per step.' },
    LAST_EPOCH_OPTION,
  ];
  readonly k: number;

  constructor(optimizer: SchedulableOptimizer, options: ExponentialDecayOptions = {}) {
    const o = readOptions('ExponentialDecay', ExponentialDecay.options, options);
    super('ExponentialDecay', optimizer, {
      lastEpoch: o.number('lastEpoch'),
      own: ownBase(o, optimizer),
    });
    this.k = o.number('k');
    this.start();
  }

  closedLr(step: number, baseLr: number): number {
    return baseLr * Math.exp(-this.k * step);
  }
}

export interface CosineDecayOptions {
  initialLr?: number | null;
  lastEpoch?: number;
  /** Steps from the initial lr down to 0. Required. */
  totalEpochs: number;
}

/**
 * The tutorial's cosine decay: `lr_t = initialLr · (1 + cos(π t / totalEpochs)) / 2`, i.e.
 * CosineAnnealingLR(TMax = totalEpochs, etaMin = 0). Like it, and unlike TensorFlow's CosineDecay
 * (which holds the floor), it climbs back up after totalEpochs.
 */
export class CosineDecay extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    INITIAL_LR_OPTION,
    {
      name: 'totalEpochs',
      kind: 'number',
      default: null,
      required: true,
      min: 0,
      exclusiveMin: true,
      unit: 'steps',
      doc: 'Steps from the initial lr down to 0.',
    },
    LAST_EPOCH_OPTION,
  ];
  readonly totalEpochs: number;

  constructor(optimizer: SchedulableOptimizer, options: CosineDecayOptions) {
    const o = readOptions('CosineDecay', CosineDecay.options, options);
    super('CosineDecay', optimizer, {
      lastEpoch: o.number('lastEpoch'),
      own: ownBase(o, optimizer),
    });
    this.totalEpochs = o.number('totalEpochs');
    this.start();
  }

  closedLr(step: number, baseLr: number): number {
    return baseLr * 0.5 * (1 + Math.cos((Math.PI * step) / this.totalEpochs));
  }
}

export interface LinearWarmupOptions {
  initialLr?: number | null;
  lastEpoch?: number;
  warmupSteps?: number;
}

/**
 * The tutorial's linear warmup: `lr_t = initialLr · t / warmupSteps` for `t < warmupSteps`, then
 * `initialLr`. It starts at exactly 0 (the first update does nothing); LinearLR starts at
 * `startFactor · base` instead.
 */
export class LinearWarmup extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    INITIAL_LR_OPTION,
    {
      name: 'warmupSteps',
      kind: 'integer',
      default: 1000,
      min: 0,
      unit: 'steps',
      doc: 'Steps over which the lr rises linearly from 0.',
    },
    LAST_EPOCH_OPTION,
  ];
  readonly warmupSteps: number;

  constructor(optimizer: SchedulableOptimizer, options: LinearWarmupOptions = {}) {
    const o = readOptions('LinearWarmup', LinearWarmup.options, options);
    super('LinearWarmup', optimizer, {
      lastEpoch: o.number('lastEpoch'),
      own: ownBase(o, optimizer),
    });
    this.warmupSteps = o.number('warmupSteps');
    this.start();
  }

  closedLr(step: number, baseLr: number): number {
    return step < this.warmupSteps ? baseLr * (step / this.warmupSteps) : baseLr;
  }
}
