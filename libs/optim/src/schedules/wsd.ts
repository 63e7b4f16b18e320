import { LAST_EPOCH_OPTION, readOptions, type ScheduleOptionInfo } from './option-reader.js';
import { Scheduler } from './scheduler.js';
import type { SchedulableOptimizer } from './types.js';

export type WSDDecayType = 'linear' | 'cosine' | '1-sqrt';

export interface WSDOptions {
  warmupSteps: number;
  stableSteps: number;
  decaySteps: number;
  decayType?: WSDDecayType;
  minLrRatio?: number;
  lastEpoch?: number;
}

/** The decay's shape on progress p ∈ [0, 1], from 1 at p = 0 to 0 at p = 1. */
const DECAY: Readonly<Record<WSDDecayType, (p: number) => number>> = {
  linear: (p) => 1 - p,
  cosine: (p) => (1 + Math.cos(Math.PI * p)) / 2,
  '1-sqrt': (p) => 1 - Math.sqrt(p),
};

/**
 * Warmup–stable–decay, the LLM-training schedule (MiniCPM: Hu et al. 2024,
 * https://arxiv.org/abs/2404.06395, Sec. 4; Hägele et al. 2024, "Scaling Laws and
 * Compute-Optimal Training Beyond Fixed Training Durations", https://arxiv.org/abs/2405.18392,
 * Sec. 3, whose cooldown forms are the three decay types). With W, S, D the phase lengths and
 * r = minLrRatio, the factor of the base lr at step t is
 *
 * ```
 * t < W:              t / W                               (linear warmup from 0)
 * W ≤ t < W + S:      1                                   (stable)
 * W + S ≤ t < W+S+D:  r + (1 − r) · g((t − W − S) / D)    (decay; g = 1 − p, (1 + cos πp) / 2, 1 − √p)
 * t ≥ W + S + D:      r
 * ```
 *
 * Each phase meets the next: the warmup's line reaches 1 at t = W, g(0) = 1 and g(1) = 0. Not
 * in PyTorch; the fixtures come from a NumPy transcription of the formula
 * (tools/fixtures/schedules/generate_extra.py).
 */
export class WSD extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    {
      name: 'warmupSteps',
      kind: 'integer',
      default: null,
      required: true,
      min: 0,
      unit: 'steps',
      doc: 'Steps of the linear warmup from 0 to the base lr (0: none).',
    },
    {
      name: 'stableSteps',
      kind: 'integer',
      default: null,
      required: true,
      min: 0,
      unit: 'steps',
      doc: 'Steps at the base lr after the warmup.',
    },
    {
      name: 'decaySteps',
      kind: 'integer',
      default: null,
      required: true,
      min: 1,
      unit: 'steps',
      doc: 'Steps of the decay (the cooldown) from the base lr to minLrRatio · base lr.',
    },
    {
      name: 'decayType',
      kind: 'choice',
      default: '1-sqrt',
      choices: ['linear', 'cosine', '1-sqrt'],
      doc: 'Shape of the decay; Hägele et al. 2024 find 1-sqrt best, hence the default.',
    },
    {
      name: 'minLrRatio',
      kind: 'number',
      default: 0,
      min: 0,
      max: 1,
      unit: '×lr',
      doc: 'Factor of the base lr reached at the end of the decay and kept after.',
    },
    LAST_EPOCH_OPTION,
  ];
  readonly warmupSteps: number;
  readonly stableSteps: number;
  readonly decaySteps: number;
  readonly decayType: WSDDecayType;
  readonly minLrRatio: number;

  constructor(optimizer: SchedulableOptimizer, options: WSDOptions) {
    const o = readOptions('WSD', WSD.options, options);
    super('WSD', optimizer, { lastEpoch: o.number('lastEpoch') });
    this.warmupSteps = o.number('warmupSteps');
    this.stableSteps = o.number('stableSteps');
    this.decaySteps = o.number('decaySteps');
    this.decayType = o.choice<WSDDecayType>('decayType');
    this.minLrRatio = o.number('minLrRatio');
    this.start();
  }

  /** The factor of the base lr at `step`. */
  factorAt(step: number): number {
    const { warmupSteps: w, stableSteps: s, decaySteps: d, minLrRatio: r } = this;
    if (step < w) return step / w;
    if (step < w + s) return 1;
    if (step < w + s + d) return r + (1 - r) * DECAY[this.decayType]((step - w - s) / d);
    return r;
  }

  closedLr(step: number, baseLr: number): number {
    return baseLr * this.factorAt(step);
  }
}
