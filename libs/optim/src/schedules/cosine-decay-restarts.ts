import { LAST_EPOCH_OPTION, readOptions, type ScheduleOptionInfo } from './option-reader.js';
import { Scheduler } from './scheduler.js';
import { INITIAL_LR_OPTION, ownBase } from './tutorial-schedules.js';
import type { SchedulableOptimizer } from './types.js';

export interface CosineDecayRestartsOptions {
  initialLr?: number | null;
  lastEpoch?: number;
  /** Length of the first period, in steps. Required. */
  firstDecaySteps: number;
  tMul?: number;
  mMul?: number;
  alpha?: number;
}

/**
 * Cosine decay with warm restarts with TensorFlow's `CosineDecayRestarts` semantics (SGDR,
 * Loshchilov & Hutter 2017). With `f = t / firstDecaySteps`, restart `i` and the fraction `p` of
 * its period are
 * - `tMul = 1`: `i = ⌊f⌋`, `p = f − i`;
 * - otherwise: `i = ⌊log(1 − f (1 − tMul)) / log(tMul)⌋`, `S_i = (1 − tMul^i) / (1 − tMul)`,
 *   `p = (f − S_i) / tMul^i` (period `i` lasts `firstDecaySteps · tMul^i` steps);
 * and `lr = initialLr · ((1 − α) · mMul^i · (1 + cos(π p)) / 2 + α)`.
 *
 * The tutorial's `cosine_decay_restart` differs: its period is `firstDecaySteps · tMul^(i − 1)`
 * (exponent off by one), it takes log₂ whatever tMul is, and it scales α by `mMul^i` too.
 *
 * One deliberate difference from TensorFlow's floating-point code: `i` is corrected so that
 * `S_i ≤ f < S_(i+1)` holds exactly. TF's float logarithm can land one period short at a restart
 * (tMul = 3: steps 121·firstDecaySteps and 29524·firstDecaySteps in float64), giving the end of
 * the old period (α) where the restart's peak belongs.
 */
export class CosineDecayRestarts extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    INITIAL_LR_OPTION,
    {
      name: 'firstDecaySteps',
      kind: 'number',
      default: null,
      required: true,
      min: 0,
      exclusiveMin: true,
      unit: 'steps',
      doc: 'Length of the first period.',
    },
    {
      name: 'tMul',
      kind: 'number',
      default: 2,
      min: 1,
      doc: 'Each period is tMul times longer than the previous one.',
    },
    {
      name: 'mMul',
      kind: 'number',
      default: 1,
      min: 0,
      doc: 'Each restart peaks at mMul times the previous peak.',
    },
    {
      name: 'alpha',
      kind: 'number',
      default: 0,
      min: 0,
      max: 1,
      unit: '×lr',
      doc: 'Minimum lr as a fraction of the initial lr.',
    },
    LAST_EPOCH_OPTION,
  ];
  readonly firstDecaySteps: number;
  readonly tMul: number;
  readonly mMul: number;
  readonly alpha: number;

  constructor(optimizer: SchedulableOptimizer, options: CosineDecayRestartsOptions) {
    const o = readOptions('CosineDecayRestarts', CosineDecayRestarts.options, options);
    super('CosineDecayRestarts', optimizer, {
      lastEpoch: o.number('lastEpoch'),
      own: ownBase(o, optimizer),
    });
    this.firstDecaySteps = o.number('firstDecaySteps');
    this.tMul = o.number('tMul');
    this.mMul = o.number('mMul');
    this.alpha = o.number('alpha');
    this.start();
  }

  /** [restart index, fraction of its period done] at `step`. */
  restartAt(step: number): [number, number] {
    const f = step / this.firstDecaySteps;
    const t = this.tMul;
    if (t === 1) {
      const i = Math.floor(f);
      return [i, f - i];
    }
    const sum = (i: number): number => (1 - t ** i) / (1 - t);
    let i = Math.floor(Math.log(1 - f * (1 - t)) / Math.log(t));
    while (sum(i + 1) <= f) i += 1;
    while (i > 0 && sum(i) > f) i -= 1;
    return [i, (f - sum(i)) / t ** i];
  }

  closedLr(step: number, baseLr: number): number {
    const [i, p] = this.restartAt(step);
    const cosineDecayed = 0.5 * this.mMul ** i * (1 + Math.cos(Math.PI * p));
    return baseLr * ((1 - this.alpha) * cosineDecayed + this.alpha);
  }
}
