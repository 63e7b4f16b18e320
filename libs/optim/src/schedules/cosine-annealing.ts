import { LAST_EPOCH_OPTION, readOptions, type ScheduleOptionInfo } from './option-reader.js';
import { Scheduler, stateNumber } from './scheduler.js';
import type { JsonValue, SchedulableOptimizer, SchedulerState } from './types.js';

const ETA_MIN: ScheduleOptionInfo = {
  name: 'etaMin',
  kind: 'number',
  default: 0,
  min: 0,
  doc: 'Minimum learning rate.',
};

export interface CosineAnnealingLROptions {
  /** Half-period of the cosine, in steps. Required. */
  TMax: number;
  etaMin?: number;
  lastEpoch?: number;
}

/**
 * PyTorch's CosineAnnealingLR (the annealing half of SGDR, Loshchilov & Hutter 2017,
 * https://arxiv.org/abs/1608.03983): `lr_t = η_min + (base − η_min)(1 + cos(π t / T_max)) / 2`.
 * Past T_max the cosine goes on (back up to base at 2·T_max), as PyTorch's does.
 */
export class CosineAnnealingLR extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    {
      name: 'TMax',
      kind: 'integer',
      default: null,
      required: true,
      min: 1,
      unit: 'steps',
      doc: 'Steps from the base lr down to etaMin (half a cosine period).',
    },
    ETA_MIN,
    LAST_EPOCH_OPTION,
  ];
  readonly TMax: number;
  readonly etaMin: number;

  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingLROptions) {
    const o = readOptions('CosineAnnealingLR', CosineAnnealingLR.options, options);
    super('CosineAnnealingLR', optimizer, { lastEpoch: o.number('lastEpoch') });
    this.TMax = o.number('TMax');
    this.etaMin = o.number('etaMin');
    this.start();
  }

  closedLr(step: number, baseLr: number): number {
    const { etaMin, TMax } = this;
    return etaMin + ((baseLr - etaMin) * (1 + Math.cos((Math.PI * step) / TMax))) / 2;
  }

  /**
   * PyTorch's recurrence: the ratio of consecutive cosine factors applied to `lr − η_min`, with
   * its special case where the previous factor is 0 (t − 1 an odd multiple of T_max), and the
   * closed form on the construction step of a resumed run.
   */
  override chainLr(
    step: number,
    prevLr: number,
    baseLr: number,
    _group: number,
    resuming = false,
  ): number {
    const { etaMin, TMax } = this;
    if (step === 0) return prevLr;
    if (resuming) return this.closedLr(step, baseLr);
    if ((step - 1 - TMax) % (2 * TMax) === 0) {
      return prevLr + ((baseLr - etaMin) * (1 - Math.cos(Math.PI / TMax))) / 2;
    }
    return (
      ((1 + Math.cos((Math.PI * step) / TMax)) / (1 + Math.cos((Math.PI * (step - 1)) / TMax))) *
        (prevLr - etaMin) +
      etaMin
    );
  }
}

export interface CosineAnnealingWarmRestartsOptions {
  /** Length of the first period, in steps. Required. */
  T0: number;
  /** Each period is TMult times longer than the one before. Default 1. */
  TMult?: number;
  etaMin?: number;
  lastEpoch?: number;
}

/**
 * PyTorch's CosineAnnealingWarmRestarts (SGDR, Loshchilov & Hutter 2017): periods of T0, T0·TMult,
 * T0·TMult², ... steps; within a period `lr = η_min + (base − η_min)(1 + cos(π T_cur / T_i)) / 2`,
 * back to base at each restart. The period is found exactly by walking the integer periods
 * (PyTorch's `step(epoch)` path uses a float logarithm instead).
 */
export class CosineAnnealingWarmRestarts extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    {
      name: 'T0',
      kind: 'integer',
      default: null,
      required: true,
      min: 1,
      unit: 'steps',
      doc: 'Length of the first period.',
    },
    {
      name: 'TMult',
      kind: 'integer',
      default: 1,
      min: 1,
      doc: 'Factor by which each period is longer than the previous one.',
    },
    ETA_MIN,
    LAST_EPOCH_OPTION,
  ];
  readonly T0: number;
  readonly TMult: number;
  readonly etaMin: number;
  /** Steps since the last restart, and the length of the current period (PyTorch's T_cur, T_i). */
  private TCur = -1;
  private Ti: number;

  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingWarmRestartsOptions) {
    const o = readOptions(
      'CosineAnnealingWarmRestarts',
      CosineAnnealingWarmRestarts.options,
      options,
    );
    super('CosineAnnealingWarmRestarts', optimizer, { lastEpoch: o.number('lastEpoch') });
    this.T0 = o.number('T0');
    this.TMult = o.number('TMult');
    this.etaMin = o.number('etaMin');
    this.Ti = this.T0;
    if (this.lastEpoch >= 0) {
      // Resume where the uninterrupted run would be (PyTorch 1.13 subtracts one period only).
      [this.TCur, this.Ti] = this.position(this.lastEpoch);
    }
    this.start();
  }

  /** [T_cur, T_i] at `step`. */
  private position(step: number): [number, number] {
    if (this.TMult === 1) return [step % this.T0, this.T0];
    let tCur = step;
    let ti = this.T0;
    while (tCur >= ti) {
      tCur -= ti;
      ti *= this.TMult;
    }
    return [tCur, ti];
  }

  private value(tCur: number, ti: number, baseLr: number): number {
    return this.etaMin + ((baseLr - this.etaMin) * (1 + Math.cos((Math.PI * tCur) / ti))) / 2;
  }

  closedLr(step: number, baseLr: number): number {
    const [tCur, ti] = this.position(step);
    return this.value(tCur, ti, baseLr);
  }

  override step(): void {
    if (this.lastEpoch < 0) {
      this.TCur = 0;
      this.Ti = this.T0;
    } else {
      this.TCur += 1;
      if (this.TCur >= this.Ti) {
        this.TCur -= this.Ti;
        this.Ti *= this.TMult;
      }
    }
    super.step();
  }

  protected override nextLr(_prevLr: number, group: number): number {
    return this.value(this.TCur, this.Ti, this.baseLrs[group]);
  }

  protected override resetCounters(): void {
    this.TCur = -1;
    this.Ti = this.T0;
  }

  protected override extraState(): Record<string, JsonValue> {
    return { TCur: this.TCur, Ti: this.Ti };
  }

  protected override loadExtraState(state: SchedulerState): void {
    this.TCur = stateNumber(this.name, state, 'TCur');
    this.Ti = stateNumber(this.name, state, 'Ti');
  }
}
