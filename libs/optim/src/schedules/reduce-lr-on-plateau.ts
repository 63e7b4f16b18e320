import { ScheduleError, formatValue } from './errors.js';
import { readOptions, type ScheduleOptionInfo } from './option-reader.js';
import { checkOptimizer, stateNumber, stateNumbers } from './scheduler.js';
import type { LRScheduler, SchedulableOptimizer, SchedulerState } from './types.js';

export interface ReduceLROnPlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  minLr?: number | number[];
  eps?: number;
}

/**
 * PyTorch's ReduceLROnPlateau: `step(metric)` counts the steps without improvement (better than
 * the best by `threshold`, relative or absolute); after more than `patience` of them every group's
 * lr becomes `max(lr · factor, minLr)` (unless that changes it by less than `eps`), followed by
 * `cooldown` steps in which bad steps are not counted. The lr depends on the metrics, so there is
 * no `lrAt`, no curve before a run, and it cannot be sequenced or chained.
 */
export class ReduceLROnPlateau implements LRScheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    {
      name: 'mode',
      kind: 'choice',
      default: 'min',
      choices: ['min', 'max'],
      doc: 'Whether the metric should go down (a loss) or up (an accuracy).',
    },
    {
      name: 'factor',
      kind: 'number',
      default: 0.1,
      min: 0,
      max: 1,
      exclusiveMax: true,
      unit: '×lr',
      doc: 'Factor applied to the lr on a plateau.',
    },
    {
      name: 'patience',
      kind: 'integer',
      default: 10,
      min: 0,
      unit: 'steps',
      doc: 'Steps without improvement tolerated before the lr is reduced.',
    },
    {
      name: 'threshold',
      kind: 'number',
      default: 1e-4,
      min: 0,
      doc: 'Least change that counts as an improvement.',
    },
    {
      name: 'thresholdMode',
      kind: 'choice',
      default: 'rel',
      choices: ['rel', 'abs'],
      doc: 'Threshold relative to the best value (rel) or absolute (abs).',
    },
    {
      name: 'cooldown',
      kind: 'integer',
      default: 0,
      min: 0,
      unit: 'steps',
      doc: 'Steps after a reduction during which bad steps are not counted.',
    },
    {
      name: 'minLr',
      kind: 'number',
      default: 0,
      min: 0,
      perGroup: true,
      doc: 'Lower bound of the lr.',
    },
    {
      name: 'eps',
      kind: 'number',
      default: 1e-8,
      min: 0,
      doc: 'Reductions smaller than this are skipped.',
    },
  ];
  readonly name = 'ReduceLROnPlateau';
  readonly pure = false;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: readonly number[];
  readonly eps: number;
  lastEpoch = 0;
  /** The best metric so far (±Infinity before the first step). */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  private lastLr: number[];

  constructor(
    readonly optimizer: SchedulableOptimizer,
    options: ReduceLROnPlateauOptions = {},
  ) {
    const o = readOptions('ReduceLROnPlateau', ReduceLROnPlateau.options, options);
    checkOptimizer('ReduceLROnPlateau', optimizer);
    this.mode = o.choice('mode');
    this.factor = o.number('factor');
    this.patience = o.number('patience');
    this.threshold = o.number('threshold');
    this.thresholdMode = o.choice('thresholdMode');
    this.cooldown = o.number('cooldown');
    this.minLrs = o.perGroup('minLr', optimizer.paramGroups.length);
    this.eps = o.number('eps');
    this.best = this.worst;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private get worst(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  /** The current lr of each group: a plateau schedule has no separate base. */
  get baseLrs(): readonly number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  private isBetter(a: number): boolean {
    const { best, threshold } = this;
    if (this.mode === 'min') {
      return this.thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    }
    return this.thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  /** Reads the metric of the step just taken (a validation loss, say) and reduces on a plateau. */
  step(metric?: number): void {
    if (typeof metric !== 'number') {
      throw new ScheduleError(
        this.name,
        null,
        `step(metric) needs the monitored metric as a number, got ${formatValue(metric)}`,
      );
    }
    this.lastEpoch += 1;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduce();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduce(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const newLr = Math.max(g.lr * this.factor, this.minLrs[i]);
      if (g.lr - newLr > this.eps) g.lr = newLr;
    });
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  private noClosedForm(): never {
    throw new ScheduleError(
      this.name,
      null,
      'The learning rate depends on the metrics passed to step(metric): there is no lrAt or curve before a run',
    );
  }

  lrAt(_step: number, _baseLr?: number): number {
    return this.noClosedForm();
  }

  lrsAt(_step: number): number[] {
    return this.noClosedForm();
  }

  lrCurve(_steps: number, _baseLr?: number): number[] {
    return this.noClosedForm();
  }

  /** Plain JSON: an infinite `best` (no step yet) is saved as null. */
  stateDict(): SchedulerState {
    return {
      type: this.name,
      lastEpoch: this.lastEpoch,
      best: Number.isFinite(this.best) ? this.best : null,
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
      lastLr: [...this.lastLr],
    };
  }

  loadStateDict(state: SchedulerState): void {
    if (state?.type !== this.name) {
      throw new ScheduleError(
        this.name,
        null,
        `Cannot load the state of ${formatValue(state?.type)} into a ${this.name}`,
      );
    }
    this.lastEpoch = stateNumber(this.name, state, 'lastEpoch');
    this.best = state.best === null ? this.worst : stateNumber(this.name, state, 'best');
    this.numBadEpochs = stateNumber(this.name, state, 'numBadEpochs');
    this.cooldownCounter = stateNumber(this.name, state, 'cooldownCounter');
    this.lastLr = [...stateNumbers(this.name, state, 'lastLr', this.optimizer.paramGroups.length)];
  }
}
