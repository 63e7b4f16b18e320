import type { Parameter } from '@optlab/tensor';
import {
  AveragedModel,
  EMA,
  SWALR,
  type LRScheduler,
  type Optimizer,
  type WeightAverage,
} from '@optlab/optim';
import { optionsOf } from '../spec/options-check.js';
import type { RunSpec } from '../spec/schema.js';

/** What an evaluation ran on: the raw weights, or the run's average of them. */
export type EvaluatedOn = 'raw' | 'ema' | 'swa';

/**
 * A run's weight averaging (`averaging` in its spec), as the training loop sees it: the loop
 * trains on the raw weights, calls `afterStep` after every update, and evaluates through `on`,
 * which swaps the averages into the parameters and back (one fused pass per tensor each way,
 * nothing read back). Until the first average is taken (steps ≤ start) evaluations run on the raw
 * weights and say so.
 *
 * SWA with `swaLr` follows PyTorch's SWA recipe: at the first schedule tick after step `start`,
 * SWALR is built on the optimizer (annealing from the lr then in force) and replaces the run's
 * schedule; `annealEpochs` counts its ticks (epochs or steps, as `scheduleInterval` says).
 */
export class RunAverager {
  readonly kind: 'ema' | 'swa';
  readonly start: number;
  private readonly average: WeightAverage;
  private readonly swaLr: unknown;
  private readonly swaOptions: Record<string, unknown>;
  private swalr: LRScheduler | null = null;

  constructor(config: NonNullable<RunSpec['averaging']>, params: readonly Parameter[]) {
    const { start, swaLr, annealEpochs, annealStrategy, ...options } = optionsOf(config);
    this.kind = config.type === 'swa' ? 'swa' : 'ema';
    this.start = typeof start === 'number' ? start : 0;
    this.average = this.kind === 'swa' ? new AveragedModel(params) : new EMA(params, options);
    this.swaLr = swaLr;
    this.swaOptions = Object.fromEntries(
      Object.entries({ annealEpochs, annealStrategy }).filter(([, v]) => v !== undefined),
    );
  }

  /** After update `step` (1-based): average the weights in once past `start`. */
  afterStep(step: number): void {
    if (step > this.start) this.average.update();
  }

  /** What an evaluation now would run on. */
  get evaluatedOn(): EvaluatedOn {
    return this.average.nAveraged > 0 ? this.kind : 'raw';
  }

  /** Runs `f` on the averaged weights (once there are any), the raw ones restored after. */
  async on<T>(f: () => Promise<T>): Promise<T> {
    if (this.average.nAveraged === 0) return f();
    this.average.swap();
    try {
      return await f();
    } finally {
      this.average.swap();
    }
  }

  /**
   * The schedule to step at a tick after update `step`: the run's own, or from the first tick
   * past `start`, SWALR (SWA with swaLr only).
   */
  scheduleAt(step: number, optimizer: Optimizer, own: LRScheduler | null): LRScheduler | null {
    if (this.kind !== 'swa' || this.swaLr === undefined || this.swaLr === null) return own;
    if (step <= this.start) return own;
    this.swalr ??= new SWALR(optimizer, { swaLr: this.swaLr as number, ...this.swaOptions });
    return this.swalr;
  }

  dispose(): void {
    this.average.dispose();
  }
}
