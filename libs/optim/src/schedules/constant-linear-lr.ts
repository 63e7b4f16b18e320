import { LAST_EPOCH_OPTION, readOptions, type ScheduleOptionInfo } from './option-reader.js';
import { Scheduler } from './scheduler.js';
import type { SchedulableOptimizer } from './types.js';

const TOTAL_ITERS: ScheduleOptionInfo = {
  name: 'totalIters',
  kind: 'integer',
  default: 5,
  min: 1,
  unit: 'steps',
  doc: 'Number of steps the factor applies to (ConstantLR) or changes over (LinearLR).',
};

export interface ConstantLROptions {
  factor?: number;
  totalIters?: number;
  lastEpoch?: number;
}

/**
 * PyTorch's ConstantLR: `lr_t = base · factor` for `t < totalIters`, then `base`. PyTorch
 * accepts factor 0 and then divides by it at `totalIters`; here factor must be > 0.
 */
export class ConstantLR extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    {
      name: 'factor',
      kind: 'number',
      default: 1 / 3,
      min: 0,
      exclusiveMin: true,
      max: 1,
      unit: '×lr',
      doc: 'Factor applied to the lr until totalIters.',
    },
    TOTAL_ITERS,
    LAST_EPOCH_OPTION,
  ];
  readonly factor: number;
  readonly totalIters: number;

  constructor(optimizer: SchedulableOptimizer, options: ConstantLROptions = {}) {
    const o = readOptions('ConstantLR', ConstantLR.options, options);
    super('ConstantLR', optimizer, { lastEpoch: o.number('lastEpoch') });
    this.factor = o.number('factor');
    this.totalIters = o.number('totalIters');
    this.start();
  }

  closedLr(step: number, baseLr: number): number {
    return baseLr * (this.factor + (step >= this.totalIters ? 1 - this.factor : 0));
  }

  override chainLr(step: number, prevLr: number): number {
    if (step === 0) return prevLr * this.factor;
    if (step !== this.totalIters) return prevLr;
    return prevLr * (1 / this.factor);
  }
}

export interface LinearLROptions {
  startFactor?: number;
  endFactor?: number;
  totalIters?: number;
  lastEpoch?: number;
}

/**
 * PyTorch's LinearLR: the factor goes linearly from `startFactor` (step 0) to `endFactor`
 * (step `totalIters`) and stays there:
 * `lr_t = base · (start + (end − start) · min(t, totalIters) / totalIters)`.
 * startFactor must be > 0 (PyTorch ≥ 2.0; 1.13 accepted 0 and divided by zero at step 1).
 */
export class LinearLR extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    {
      name: 'startFactor',
      kind: 'number',
      default: 1 / 3,
      min: 0,
      exclusiveMin: true,
      max: 1,
      unit: '×lr',
      doc: 'Factor at step 0.',
    },
    {
      name: 'endFactor',
      kind: 'number',
      default: 1,
      min: 0,
      max: 1,
      unit: '×lr',
      doc: 'Factor reached at totalIters and kept after.',
    },
    TOTAL_ITERS,
    LAST_EPOCH_OPTION,
  ];
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: SchedulableOptimizer, options: LinearLROptions = {}) {
    const o = readOptions('LinearLR', LinearLR.options, options);
    super('LinearLR', optimizer, { lastEpoch: o.number('lastEpoch') });
    this.startFactor = o.number('startFactor');
    this.endFactor = o.number('endFactor');
    this.totalIters = o.number('totalIters');
    this.start();
  }

  closedLr(step: number, baseLr: number): number {
    const { startFactor: s, endFactor: e, totalIters: n } = this;
    return baseLr * (s + ((e - s) * Math.min(n, step)) / n);
  }

  override chainLr(step: number, prevLr: number): number {
    const { startFactor: s, endFactor: e, totalIters: n } = this;
    if (step === 0) return prevLr * s;
    if (step > n) return prevLr;
    return prevLr * (1 + (e - s) / (n * s + (step - 1) * (e - s)));
  }
}
