import { quantileSorted } from '../metrics/spread.js';

/**
 * The learning-rate range test (Smith 2017, "Cyclical Learning Rates for Training Neural
 * Networks", §3.3; fastai's `lr_find`), as pure functions: the lr grows exponentially from
 * `start` to `end` over `steps` updates; each update's loss is smoothed; the test stops once the
 * smoothed loss exceeds `divergeFactor` × its best. What trains is the caller's (`run-lr-find.ts`
 * for a spec's run; the lab reuses this module in its workers).
 *
 * Following fastai: the loss of update i is the training loss at the parameters update i starts
 * from (a minibatch's loss before its step), smoothed by an exponential moving average with
 * debiasing, sᵢ = (β·aᵢ₋₁ + (1 − β)·lossᵢ) / (1 − βⁱ⁺¹) with a₋₁ = 0, β = 0.98. One difference:
 * the lr of update i is start·(end/start)^(i/(steps − 1)), so the last update uses `end` (fastai
 * uses i/steps and stops one short of it).
 */
export interface LrFindOptions {
  /** First learning rate (> 0). */
  readonly start: number;
  /** Last learning rate (> start). */
  readonly end: number;
  /** Updates at most (≥ 2). */
  readonly steps: number;
  /** Smoothing factor β of the loss's moving average, 0 ≤ β < 1. */
  readonly beta: number;
  /** Stop once the smoothed loss exceeds this many times its best. */
  readonly divergeFactor: number;
}

export const LR_FIND_DEFAULTS: LrFindOptions = {
  start: 1e-7,
  end: 10,
  steps: 100,
  beta: 0.98,
  divergeFactor: 4,
};

/** Most updates a range test may ask for. */
export const LR_FIND_MAX_STEPS = 100_000;

export interface LrFindPoint {
  /** 0-based update. */
  readonly step: number;
  readonly lr: number;
  readonly loss: number;
  readonly smoothed: number;
}

/** The lr of update `i` (0-based). */
export function lrAt(options: Pick<LrFindOptions, 'start' | 'end' | 'steps'>, i: number): number {
  const { start, end, steps } = options;
  return start * Math.pow(end / start, i / (steps - 1));
}

/** fastai's `AvgSmoothLoss`: an exponential moving average, debiased by 1 − βⁿ. */
export class LossSmoother {
  #average = 0;
  #count = 0;

  constructor(private readonly beta: number) {}

  push(loss: number): number {
    this.#count++;
    this.#average = this.beta * this.#average + (1 - this.beta) * loss;
    return this.#average / (1 - Math.pow(this.beta, this.#count));
  }
}

export type LrFindStop = 'end' | 'diverged' | 'non-finite';

/** Records the test's points and decides when it stops. */
export class LrRangeRecorder {
  readonly points: LrFindPoint[] = [];
  #best = Number.POSITIVE_INFINITY;
  #stop: LrFindStop | null = null;
  readonly #smoother: LossSmoother;

  constructor(private readonly options: LrFindOptions) {
    this.#smoother = new LossSmoother(options.beta);
  }

  get stopped(): LrFindStop | null {
    return this.#stop;
  }

  /** Records update `step`'s loss; returns false once the test must stop. */
  record(step: number, lr: number, loss: number): boolean {
    const smoothed = this.#smoother.push(loss);
    this.points.push({ step, lr, loss, smoothed });
    if (!Number.isFinite(loss) || !Number.isFinite(smoothed)) this.#stop = 'non-finite';
    else {
      if (smoothed < this.#best) this.#best = smoothed;
      if (smoothed > this.options.divergeFactor * this.#best) this.#stop = 'diverged';
      else if (step + 1 >= this.options.steps) this.#stop = 'end';
    }
    return this.#stop === null;
  }
}

export interface LrSuggestion {
  readonly lr: number;
  /** The smoothed loss there. */
  readonly loss: number;
  readonly step: number;
}

export interface LrSuggestions {
  /** The lr where the smoothed loss falls fastest against log lr (fastai's `steep`). */
  readonly steepest: LrSuggestion | null;
  /** The lr of the smallest smoothed loss (`minimum.lr / 10` is the suggestion). */
  readonly minimum: LrSuggestion | null;
  /** fastai's `minimum`: the lr of the smallest smoothed loss ÷ 10. */
  readonly minimumDiv10: number | null;
  /** Why a suggestion is missing (too few points), or null. */
  readonly why: string | null;
}

/**
 * The suggestions, from the points fastai uses: the first ⌊steps/10⌋ (where the debiased average
 * still swings) and the last 5 (where it blows up) are left out, and so is everything from the
 * first non-finite loss on. `steepest` is the lr at the left end of the interval where
 * Δsmoothed / Δln(lr) is most negative; `minimum` the lr of the smallest smoothed loss.
 */
export function suggestLrs(points: readonly LrFindPoint[], steps: number): LrSuggestions {
  const skipStart = Math.floor(steps / 10);
  let used = points.slice(skipStart, Math.max(skipStart, points.length - 5));
  const bad = used.findIndex((p) => !Number.isFinite(p.smoothed));
  if (bad >= 0) used = used.slice(0, bad);
  const tooFew = (need: number) =>
    `the test stopped after ${points.length} updates: suggestions leave out the first ` +
    `${skipStart} and the last 5, and need ${need} more`;
  if (used.length === 0) {
    return { steepest: null, minimum: null, minimumDiv10: null, why: tooFew(1) };
  }
  let min = used[0];
  for (const p of used) if (p.smoothed < min.smoothed) min = p;
  const minimum = { lr: min.lr, loss: min.smoothed, step: min.step };
  if (used.length < 2) {
    return { steepest: null, minimum, minimumDiv10: min.lr / 10, why: tooFew(2) };
  }
  let best = 0;
  let bestSlope = Number.POSITIVE_INFINITY;
  for (let j = 0; j + 1 < used.length; j++) {
    const slope =
      (used[j + 1].smoothed - used[j].smoothed) / (Math.log(used[j + 1].lr) - Math.log(used[j].lr));
    if (slope < bestSlope) {
      bestSlope = slope;
      best = j;
    }
  }
  const s = used[best];
  return {
    steepest: { lr: s.lr, loss: s.smoothed, step: s.step },
    minimum,
    minimumDiv10: min.lr / 10,
    why: null,
  };
}

export interface LrFindResult {
  readonly points: readonly LrFindPoint[];
  readonly stopped: LrFindStop;
  readonly suggestions: LrSuggestions;
}

/**
 * Runs a range test: `update(lr, i)` must return the loss at the current parameters and then
 * update them with learning rate `lr` (fastai's order: the loss of the batch, then its step).
 */
export async function lrRangeTest(
  update: (lr: number, step: number) => number | Promise<number>,
  options: LrFindOptions = LR_FIND_DEFAULTS,
): Promise<LrFindResult> {
  const recorder = new LrRangeRecorder(options);
  for (let i = 0; i < options.steps; i++) {
    const lr = lrAt(options, i);
    if (!recorder.record(i, lr, await update(lr, i))) break;
  }
  return {
    points: recorder.points,
    stopped: recorder.stopped ?? 'end',
    suggestions: suggestLrs(recorder.points, options.steps),
  };
}

/** How much a suggestion moves over seeds: min, median and max (null values left out). */
export function suggestionSpread(
  values: readonly (number | null)[],
): { min: number; median: number; max: number; n: number } | null {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  return {
    min: sorted[0],
    median: quantileSorted(sorted, 0.5),
    max: sorted[sorted.length - 1],
    n: sorted.length,
  };
}

/** Problems with range-test options, each naming its option, or an empty list. */
export function checkLrFindOptions(o: LrFindOptions): { option: string; message: string }[] {
  const issues: { option: string; message: string }[] = [];
  if (!(Number.isFinite(o.start) && o.start > 0)) {
    issues.push({ option: 'start', message: `must be a number > 0, not ${o.start}` });
  }
  if (!(Number.isFinite(o.end) && o.end > o.start)) {
    issues.push({ option: 'end', message: `must be a number > start (${o.start}), not ${o.end}` });
  }
  if (!(Number.isInteger(o.steps) && o.steps >= 2 && o.steps <= LR_FIND_MAX_STEPS)) {
    issues.push({
      option: 'steps',
      message: `must be a whole number from 2 to ${LR_FIND_MAX_STEPS}, not ${o.steps}`,
    });
  }
  if (!(o.beta >= 0 && o.beta < 1)) {
    issues.push({ option: 'beta', message: `must be ≥ 0 and < 1, not ${o.beta}` });
  }
  if (!(o.divergeFactor > 1)) {
    issues.push({ option: 'divergeFactor', message: `must be > 1, not ${o.divergeFactor}` });
  }
  return issues;
}
