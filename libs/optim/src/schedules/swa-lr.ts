import { LAST_EPOCH_OPTION, readOptions, type ScheduleOptionInfo } from './option-reader.js';
import { Scheduler } from './scheduler.js';
import type { SchedulableOptimizer } from './types.js';

export type AnnealStrategy = 'cos' | 'linear';

export interface SWALROptions {
  /** The lr annealed to and then held (one for all groups, or one per group). Required. */
  swaLr: number | number[];
  annealEpochs?: number;
  annealStrategy?: AnnealStrategy;
  lastEpoch?: number;
}

/**
 * PyTorch's `torch.optim.swa_utils.SWALR` (Izmailov et al. 2018, "Averaging Weights Leads to
 * Wider Optima and Better Generalization", https://arxiv.org/abs/1803.05407): from the lr in
 * force when it starts, the lr moves to `swaLr` over `annealEpochs` steps and stays there:
 *
 * ```
 * α(t) = anneal(clamp(t / max(1, A), 0, 1))     anneal: (1 − cos πx) / 2 ('cos') or x ('linear')
 * lr_t = swaLr · α(t) + lr_0 · (1 − α(t))        (A = 0: α = 1 from step 0)
 * ```
 *
 * `step()` follows PyTorch's recurrence, which recovers lr_0 from the lr in force and the previous
 * α (so it anneals from whatever lr another schedule left, as in PyTorch's SWA recipe); `lrAt` is
 * the closed form above with lr_0 = the base lr. Difference: on resuming (`lastEpoch` ≥ 0) the
 * anneal continues at step lastEpoch + 1; PyTorch 1.13 counts SWALR's steps from its own
 * construction (`_step_count`) and so restarts the anneal.
 */
export class SWALR extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    {
      name: 'swaLr',
      kind: 'number',
      default: null,
      required: true,
      min: 0,
      perGroup: true,
      doc: 'The lr annealed to and then held during SWA.',
    },
    {
      name: 'annealEpochs',
      kind: 'integer',
      default: 10,
      min: 0,
      unit: 'steps',
      doc: 'Steps of the anneal from the lr in force to swaLr (0: jump at once).',
    },
    {
      name: 'annealStrategy',
      kind: 'choice',
      default: 'cos',
      choices: ['cos', 'linear'],
      doc: 'Shape of the anneal: half a cosine or a straight line.',
    },
    LAST_EPOCH_OPTION,
  ];
  readonly swaLrs: readonly number[];
  readonly annealEpochs: number;
  readonly annealStrategy: AnnealStrategy;

  constructor(optimizer: SchedulableOptimizer, options: SWALROptions) {
    const o = readOptions('SWALR', SWALR.options, options);
    super('SWALR', optimizer, { lastEpoch: o.number('lastEpoch') });
    this.swaLrs = o.perGroup('swaLr', optimizer.paramGroups.length);
    this.annealEpochs = o.number('annealEpochs');
    this.annealStrategy = o.choice<AnnealStrategy>('annealStrategy');
    this.start();
  }

  private anneal(x: number): number {
    return this.annealStrategy === 'cos' ? (1 - Math.cos(Math.PI * x)) / 2 : x;
  }

  /**
   * α at `step`, or at `step − 1` with `previous` (PyTorch's `anneal_func`, with its
   * `max(1, step)` when annealEpochs is 0).
   */
  private alpha(step: number, previous = false): number {
    const s = (this.annealEpochs === 0 ? Math.max(1, step) : step) - (previous ? 1 : 0);
    return this.anneal(Math.max(0, Math.min(1, s / Math.max(1, this.annealEpochs))));
  }

  closedLr(step: number, baseLr: number, group: number): number {
    const a = this.alpha(step);
    return this.swaLrs[group] * a + baseLr * (1 - a);
  }

  /** PyTorch's `get_lr`: lr_0 recovered from the lr in force and α(t − 1), then α(t) applied. */
  override chainLr(step: number, prevLr: number, _baseLr: number, group: number): number {
    const swaLr = this.swaLrs[group];
    const prevAlpha = this.alpha(step, true);
    const lr0 = prevAlpha === 1 ? swaLr : (prevLr - prevAlpha * swaLr) / (1 - prevAlpha);
    const a = this.alpha(step);
    return swaLr * a + lr0 * (1 - a);
  }
}
