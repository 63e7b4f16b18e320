import { ScheduleError, formatValue } from './errors.js';
import { momentumSlots, writeMomentum, type MomentumSlot } from './momentum.js';
import { LAST_EPOCH_OPTION, readOptions, type ScheduleOptionInfo } from './option-reader.js';
import { Scheduler, checkOptimizer, checkStep } from './scheduler.js';
import type { SchedulableOptimizer } from './types.js';

export type CyclicMode = 'triangular' | 'triangular2' | 'exp_range';

export interface CyclicLROptions {
  /** Lower lr bound of the cycle (one per group, or one for all). Required. */
  baseLr: number | number[];
  /** Upper lr bound of the cycle. Required. */
  maxLr: number | number[];
  stepSizeUp?: number;
  /** Steps of the decreasing half; default: stepSizeUp. */
  stepSizeDown?: number | null;
  mode?: CyclicMode;
  gamma?: number;
  /** A custom amplitude scale in [0, 1] (replaces `mode`), called with the cycle or the step. */
  scaleFn?: (x: number) => number;
  scaleMode?: 'cycle' | 'iterations';
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  lastEpoch?: number;
}

/**
 * PyTorch's CyclicLR (Smith 2017, Cyclical Learning Rates for Training Neural Networks,
 * https://arxiv.org/abs/1506.01186). With `c = ⌊1 + t / (up + down)⌋` and
 * `x = 1 + t / (up + down) − c`, the position in the cycle is `s = x / r` while `x ≤ r` and
 * `(x − 1) / (r − 1)` after it (`r = up / (up + down)`);
 * `lr = baseLr + (maxLr − baseLr) · s · scale` and, inversely,
 * `momentum = maxMomentum − (maxMomentum − baseMomentum) · s · scale`, with scale 1
 * (triangular), `1 / 2^(c − 1)` (triangular2) or `γ^t` (exp_range). Momentum goes into `betas[0]`
 * for groups with betas (PyTorch ≥ 2.0; 1.13 required `momentum`).
 */
export class CyclicLR extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    {
      name: 'baseLr',
      kind: 'number',
      default: null,
      required: true,
      min: 0,
      perGroup: true,
      doc: 'Lower lr bound of the cycle (replaces the optimizer lr).',
    },
    {
      name: 'maxLr',
      kind: 'number',
      default: null,
      required: true,
      min: 0,
      perGroup: true,
      doc: 'Upper lr bound of the cycle.',
    },
    {
      name: 'stepSizeUp',
      kind: 'integer',
      default: 2000,
      min: 1,
      unit: 'steps',
      doc: 'Steps of the increasing half of a cycle.',
    },
    {
      name: 'stepSizeDown',
      kind: 'integer',
      default: null,
      min: 1,
      unit: 'steps',
      doc: 'Steps of the decreasing half of a cycle (default: stepSizeUp).',
    },
    {
      name: 'mode',
      kind: 'choice',
      default: 'triangular',
      choices: ['triangular', 'triangular2', 'exp_range'],
      doc: 'Amplitude policy: constant, halved every cycle, or gamma^step.',
    },
    {
      name: 'gamma',
      kind: 'number',
      default: 1,
      min: 0,
      exclusiveMin: true,
      doc: 'Base of the exp_range amplitude, gamma^step.',
    },
    {
      name: 'scaleMode',
      kind: 'choice',
      default: 'cycle',
      choices: ['cycle', 'iterations'],
      doc: 'What a custom scaleFn receives: the cycle number or the step (ignored without scaleFn).',
    },
    {
      name: 'cycleMomentum',
      kind: 'boolean',
      default: true,
      doc: 'Cycle momentum (or betas[0]) inversely to the lr.',
    },
    {
      name: 'baseMomentum',
      kind: 'number',
      default: 0.8,
      min: 0,
      max: 1,
      perGroup: true,
      doc: 'Momentum at the peak lr.',
    },
    {
      name: 'maxMomentum',
      kind: 'number',
      default: 0.9,
      min: 0,
      max: 1,
      perGroup: true,
      doc: 'Momentum at the base lr.',
    },
    LAST_EPOCH_OPTION,
  ];
  readonly maxLrs: readonly number[];
  readonly totalSize: number;
  readonly stepRatio: number;
  readonly mode: CyclicMode;
  readonly gamma: number;
  readonly scaleMode: 'cycle' | 'iterations';
  readonly cycleMomentum: boolean;
  readonly baseMomentums: readonly number[];
  readonly maxMomentums: readonly number[];
  private readonly scaleFn: (x: number) => number;
  private readonly slots: readonly MomentumSlot[];

  constructor(optimizer: SchedulableOptimizer, options: CyclicLROptions) {
    const o = readOptions('CyclicLR', CyclicLR.options, options, ['scaleFn']);
    checkOptimizer('CyclicLR', optimizer);
    const groups = optimizer.paramGroups.length;
    const customScale = o.raw('scaleFn');
    if (customScale !== undefined && typeof customScale !== 'function') {
      throw new ScheduleError(
        'CyclicLR',
        'scaleFn',
        `Invalid scaleFn: ${formatValue(customScale)} (expected a function)`,
      );
    }
    super('CyclicLR', optimizer, {
      lastEpoch: o.number('lastEpoch'),
      own: o.perGroup('baseLr', groups),
    });
    this.maxLrs = o.perGroup('maxLr', groups);
    const up = o.number('stepSizeUp');
    const down = o.numberOrNull('stepSizeDown') ?? up;
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.mode = o.choice<CyclicMode>('mode');
    this.gamma = o.number('gamma');
    this.cycleMomentum = o.boolean('cycleMomentum');
    this.slots = this.cycleMomentum ? momentumSlots('CyclicLR', optimizer) : [];
    this.baseMomentums = o.perGroup('baseMomentum', groups);
    this.maxMomentums = o.perGroup('maxMomentum', groups);
    if (typeof customScale === 'function') {
      this.scaleFn = customScale as (x: number) => number;
      this.scaleMode = o.choice('scaleMode');
    } else {
      this.scaleFn = this.builtInScale(this.mode);
      this.scaleMode = this.mode === 'exp_range' ? 'iterations' : 'cycle';
    }
    this.start();
  }

  private builtInScale(mode: CyclicMode): (x: number) => number {
    if (mode === 'triangular2') return (c) => 1 / 2 ** (c - 1);
    if (mode === 'exp_range') return (t) => this.gamma ** t;
    return () => 1;
  }

  /** The cycle position in [0, 1] times the amplitude scale at `step`. */
  private height(step: number): number {
    const cycle = Math.floor(1 + step / this.totalSize);
    const x = 1 + step / this.totalSize - cycle;
    const position = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    return position * this.scaleFn(this.scaleMode === 'cycle' ? cycle : step);
  }

  /** `baseLr` is the lower bound of the cycle (the group's `baseLr` option by default). */
  closedLr(step: number, baseLr: number, group: number): number {
    return baseLr + (this.maxLrs[group] - baseLr) * this.height(step);
  }

  /** The momentum (or beta1) the schedule sets at `step` for a group (pure). */
  momentumAt(step: number, group = 0): number {
    checkStep(this.name, step);
    const max = this.maxMomentums[group];
    return max - (max - this.baseMomentums[group]) * this.height(step);
  }

  protected override afterStep(): void {
    if (!this.cycleMomentum) return;
    this.optimizer.paramGroups.forEach((g, i) => {
      writeMomentum(g, this.slots[i], this.momentumAt(this.lastEpoch, i));
    });
  }
}
