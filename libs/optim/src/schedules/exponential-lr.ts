import { LAST_EPOCH_OPTION, readOptions, type ScheduleOptionInfo } from './option-reader.js';
import { Scheduler } from './scheduler.js';
import type { SchedulableOptimizer } from './types.js';

export interface ExponentialLROptions {
  /** Factor applied every step. Required (PyTorch has no default). */
  gamma: number;
  lastEpoch?: number;
}

/** PyTorch's ExponentialLR: `lr_t = base · γ^t`. */
export class ExponentialLR extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    {
      name: 'gamma',
      kind: 'number',
      default: null,
      required: true,
      min: 0,
      exclusiveMin: true,
      unit: '×lr',
      doc: 'Multiplicative factor applied every step.',
    },
    LAST_EPOCH_OPTION,
  ];
  readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: ExponentialLROptions) {
    const o = readOptions('ExponentialLR', ExponentialLR.options, options);
    super('ExponentialLR', optimizer, { lastEpoch: o.number('lastEpoch') });
    this.gamma = o.number('gamma');
    this.start();
  }

  closedLr(step: number, baseLr: number): number {
    return baseLr * this.gamma ** step;
  }

  override chainLr(step: number, prevLr: number): number {
    return step === 0 ? prevLr : prevLr * this.gamma;
  }
}

export interface PolynomialLROptions {
  totalIters?: number;
  power?: number;
  lastEpoch?: number;
}

/** PyTorch's PolynomialLR: `lr_t = base · (1 − min(t, totalIters) / totalIters)^power`. */
export class PolynomialLR extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    {
      name: 'totalIters',
      kind: 'integer',
      default: 5,
      min: 1,
      unit: 'steps',
      doc: 'Steps over which the lr decays to 0.',
    },
    { name: 'power', kind: 'number', default: 1, min: 0, doc: 'Power of the polynomial.' },
    LAST_EPOCH_OPTION,
  ];
  readonly totalIters: number;
  readonly power: number;

  constructor(optimizer: SchedulableOptimizer, options: PolynomialLROptions = {}) {
    const o = readOptions('PolynomialLR', PolynomialLR.options, options);
    super('PolynomialLR', optimizer, { lastEpoch: o.number('lastEpoch') });
    this.totalIters = o.number('totalIters');
    this.power = o.number('power');
    this.start();
  }

  closedLr(step: number, baseLr: number): number {
    return baseLr * (1 - Math.min(this.totalIters, step) / this.totalIters) ** this.power;
  }

  override chainLr(step: number, prevLr: number): number {
    const n = this.totalIters;
    if (step === 0 || step > n) return prevLr;
    return prevLr * ((1 - step / n) / (1 - (step - 1) / n)) ** this.power;
  }
}
