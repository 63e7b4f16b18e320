/**
 * How long runs take: the estimate before a run starts, from a quick calibration (calibration.ts
 * times a few updates and one evaluation of each run, in a worker), and the time left while runs
 * train, from their progress. Pure arithmetic, tested as a unit (test/time-estimate.test.ts).
 */

/** What a calibration measured of one run (first seed), and the run's size. */
export interface RunCalibration {
  readonly runIndex: number;
  readonly name: string;
  /** Milliseconds to read and prepare the data (each run's worker does it once). */
  readonly loadMs: number;
  /** Milliseconds of one full evaluation (the initial one: loss and accuracies on every split). */
  readonly evalMs: number;
  /** Milliseconds per update, the mean over the timed updates. */
  readonly msPerStep: number;
  /** Updates timed (after the first ones, which compile code, were dropped). */
  readonly stepsTimed: number;
  /** Updates of the whole run (one seed). */
  readonly totalSteps: number;
  /** Evaluations after updates (the initial one not counted). */
  readonly evaluations: number;
  /** Seeds the run trains, one after the other in its worker. */
  readonly seeds: number;
  /** The untimed warm-up every run gets before its clock starts. */
  readonly warmUpMs: number;
}

/** Evaluations a run makes after its updates, as the runner schedules them (`evaluatesAfter`). */
export function evaluationCount(training: {
  readonly epochs?: number | null;
  readonly steps?: number | null;
  readonly evalEvery: number;
}): number {
  const every = Math.max(1, training.evalEvery);
  const count = training.epochs ?? training.steps ?? 0;
  // Every `every`-th epoch (or step), and always the last one.
  return Math.floor(count / every) + (count % every === 0 ? 0 : 1);
}

export interface RunEstimate {
  readonly totalMs: number;
  /** The terms of the sum, for the explanation. */
  readonly loadMs: number;
  readonly warmUpMs: number;
  readonly stepsMs: number;
  readonly evaluationsMs: number;
}

/**
 * One run: load + warm-up + seeds × (updates × ms per update + (evaluations + the initial one) ×
 * ms per evaluation).
 */
export function estimateRun(c: RunCalibration): RunEstimate {
  const stepsMs = c.seeds * c.totalSteps * c.msPerStep;
  const evaluationsMs = c.seeds * (c.evaluations + 1) * c.evalMs;
  return {
    totalMs: c.loadMs + c.warmUpMs + stepsMs + evaluationsMs,
    loadMs: c.loadMs,
    warmUpMs: c.warmUpMs,
    stepsMs,
    evaluationsMs,
  };
}

/**
 * Run all starts every run in its own worker at once: with `cores` cores, the runs share them, so
 * the whole takes at least the longest run and at least the total work spread over the cores.
 * (Calibrated one at a time, each run is assumed to use one core.)
 */
export function estimateRunAll(runMs: readonly number[], cores: number): number {
  if (runMs.length === 0) return 0;
  const total = runMs.reduce((a, b) => a + b, 0);
  return Math.max(Math.max(...runMs), total / Math.max(1, Math.min(cores, runMs.length)));
}

/** `850 ms`, `12 s`, `3 min 05 s`, `1 h 02 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/**
 * Time left from progress: the rate is the slope of progress over the samples of the last
 * `windowMs` of training time (at least the last two), so a run that slows down or speeds up
 * (an evaluation, a busy machine) is followed within that window; the setup before the first
 * progress is not counted. Times are the run's own (paused time excluded by its clock).
 */
export class TimeLeft {
  readonly #samples: { t: number; p: number }[] = [];

  constructor(private readonly windowMs = 10_000) {}

  /** Adds the progress `fraction` (0…1) reached at `elapsedMs`; ignores a sample that goes back. */
  add(elapsedMs: number, fraction: number): void {
    const last = this.#samples.at(-1);
    if (last && (elapsedMs < last.t || fraction < last.p)) return;
    if (last && elapsedMs === last.t) {
      last.p = fraction;
      return;
    }
    this.#samples.push({ t: elapsedMs, p: fraction });
    // Keep what the window needs, plus the sample just before it.
    const from = elapsedMs - this.windowMs;
    while (this.#samples.length > 2 && this.#samples[1].t <= from) this.#samples.shift();
  }

  /** Milliseconds left, or null while there is not yet a rate (under two distinct samples). */
  remainingMs(): number | null {
    const n = this.#samples.length;
    if (n === 0) return null;
    const last = this.#samples[n - 1];
    if (last.p >= 1) return 0;
    const first = this.#samples[0];
    const dp = last.p - first.p;
    const dt = last.t - first.t;
    if (!(dp > 0) || !(dt > 0)) return null;
    return ((1 - last.p) * dt) / dp;
  }
}

/** Time left of several runs training side by side: the longest of theirs (null if any is unknown). */
export function remainingOfAll(remaining: readonly (number | null)[]): number | null {
  if (remaining.length === 0 || remaining.some((r) => r === null)) return null;
  return Math.max(...(remaining as number[]));
}
