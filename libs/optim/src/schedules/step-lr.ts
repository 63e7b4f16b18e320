import { ScheduleError, formatValue } from './errors.js';
import { LAST_EPOCH_OPTION, readOptions, type ScheduleOptionInfo } from './option-reader.js';
import { Scheduler } from './scheduler.js';
import type { SchedulableOptimizer } from './types.js';

const GAMMA: ScheduleOptionInfo = {
  name: 'gamma',
  kind: 'number',
  default: 0.1,
  min: 0,
  exclusiveMin: true,
  unit: '×lr',
  doc: 'Multiplicative factor of each decay.',
};

export interface StepLROptions {
  /** Period of the decay, in steps. Required. */
  stepSize: number;
  /** Factor applied every `stepSize` steps. Default 0.1. */
  gamma?: number;
  lastEpoch?: number;
}

/**
 * PyTorch's StepLR: `lr_t = base · γ^⌊t / stepSize⌋`. The chainable form multiplies the lr in
 * force by γ at every multiple of `stepSize`.
 */
export class StepLR extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    {
      name: 'stepSize',
      kind: 'integer',
      default: null,
      required: true,
      min: 1,
      unit: 'steps',
      doc: 'Period of the decay: the lr is multiplied by gamma every stepSize steps.',
    },
    GAMMA,
    LAST_EPOCH_OPTION,
  ];
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: StepLROptions) {
    const o = readOptions('StepLR', StepLR.options, options);
    super('StepLR', optimizer, { lastEpoch: o.number('lastEpoch') });
    this.stepSize = o.number('stepSize');
    this.gamma = o.number('gamma');
    this.start();
  }

  closedLr(step: number, baseLr: number): number {
    return baseLr * this.gamma ** Math.floor(step / this.stepSize);
  }

  override chainLr(step: number, prevLr: number): number {
    return step === 0 || step % this.stepSize !== 0 ? prevLr : prevLr * this.gamma;
  }
}

export interface MultiStepLROptions {
  /** Steps at which the lr is multiplied by gamma (non-decreasing; a repeat decays twice). */
  milestones: number[];
  gamma?: number;
  lastEpoch?: number;
}

/**
 * PyTorch's MultiStepLR: `lr_t = base · γ^(number of milestones ≤ t)`. A milestone listed twice
 * decays twice, as PyTorch's Counter does.
 */
export class MultiStepLR extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    {
      name: 'milestones',
      kind: 'numbers',
      default: null,
      required: true,
      min: 0,
      unit: 'steps',
      doc: 'Steps at which the lr is multiplied by gamma (non-decreasing integers).',
    },
    GAMMA,
    LAST_EPOCH_OPTION,
  ];
  readonly milestones: readonly number[];
  readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: MultiStepLROptions) {
    const o = readOptions('MultiStepLR', MultiStepLR.options, options);
    const milestones = o.numbers('milestones');
    const ok = milestones.every(
      (m, i) => Number.isInteger(m) && (i === 0 || m >= milestones[i - 1]),
    );
    if (!ok) {
      throw new ScheduleError(
        'MultiStepLR',
        'milestones',
        `Invalid milestones: ${formatValue(milestones)} (expected non-decreasing integers ≥ 0)`,
      );
    }
    super('MultiStepLR', optimizer, { lastEpoch: o.number('lastEpoch') });
    this.milestones = milestones;
    this.gamma = o.number('gamma');
    this.start();
  }

  closedLr(step: number, baseLr: number): number {
    const passed = this.milestones.filter((m) => m <= step).length;
    return baseLr * this.gamma ** passed;
  }

  override chainLr(step: number, prevLr: number): number {
    const hits = this.milestones.filter((m) => m === step).length;
    return hits === 0 ? prevLr : prevLr * this.gamma ** hits;
  }
}
