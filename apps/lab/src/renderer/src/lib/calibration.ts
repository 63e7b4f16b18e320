/**
 * A quick calibration of an experiment's runs, before they start: the data is prepared once (timed:
 * each run's worker will do it too), then each run's first seed is started (its initial
 * evaluation timed) and trained for a few updates, timed by the runner's own clock, and stopped.
 * A warm-up as long as the runner's comes first; the first updates of each run are dropped. `time-estimate.ts` turns the numbers into
 * an estimate. Runs in a worker (run.worker.ts), never on the page's thread.
 */
import { UnitRunner, WARM_UP, unitsOf, seedsOf, type ExperimentSpec } from '@optlab/experiment';
import { evaluationCount, type RunCalibration } from './time-estimate.js';

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Updates of the first run trained before any is timed (with at least WARM_UP.firstMs). */
export const PRIME_STEPS = 300;
/** Longest priming, in ms, whatever the updates done. */
export const PRIME_MAX_MS = 5000;

export interface CalibrationOptions {
  /** Updates dropped at the start (code compiling). Default 2. */
  readonly skipSteps?: number;
  /** Updates timed at most. Default 1000. */
  readonly steps?: number;
  /** Stop timing updates of a run after this many milliseconds (at least 1 is timed). Default 1000. */
  readonly budgetMs?: number;
  /** Clock; default performance.now. */
  readonly now?: () => number;
}

export async function calibrate(
  spec: ExperimentSpec,
  options: CalibrationOptions = {},
): Promise<RunCalibration[]> {
  const now = options.now ?? (() => performance.now());
  const skip = options.skipSteps ?? 2;
  const wanted = options.steps ?? 1000;
  const budget = options.budgetMs ?? 1000;
  const t0 = now();
  // Every update reported (a step event each), so that each can be timed.
  const timed: ExperimentSpec = { ...spec, training: { ...spec.training, logEvery: 1 } };
  const runner = await UnitRunner.create(timed, { warmUp: false, now });
  const loadMs = now() - t0;
  const out: RunCalibration[] = [];
  try {
    // Code is compiled, and then optimised, as it runs: the run's worker trains it for
    // WARM_UP.firstMs before its clock starts, so the calibration does too (the first run, its
    // first seed), then times warm code. Cold, digits' first 100 updates took 4× the warm ones.
    // Time alone is not enough on a busy machine (half a second may be a few updates), so it also
    // takes PRIME_STEPS updates, up to PRIME_MAX_MS.
    const first = unitsOf(timed)[0];
    if (first) {
      const primed = now();
      for await (const event of runner.run(first)) {
        if (event.type === 'end' || event.type === 'diverged') break;
        if (event.type !== 'step') continue;
        const ms = now() - primed;
        if ((ms >= WARM_UP.firstMs && event.step >= PRIME_STEPS) || ms >= PRIME_MAX_MS) break;
      }
    }
    for (const [runIndex, run] of spec.runs.entries()) {
      const unit = unitsOf(spec).find((u) => u.runIndex === runIndex)!;
      const began = now();
      let evalMs = 0;
      let totalSteps = 0;
      let previous: number | null = null;
      let timedFrom = 0;
      const times: number[] = [];
      /** Every update's time, the compiling ones too: the fallback for a run too short to skip them. */
      const all: number[] = [];
      for await (const event of runner.run(unit)) {
        if (event.type === 'start') {
          evalMs = now() - began;
          totalSteps = event.totalSteps;
          timedFrom = now();
        } else if (event.type === 'step') {
          all.push(event.elapsedMs - (previous ?? 0));
          if (previous !== null && event.step > skip) times.push(event.elapsedMs - previous);
          previous = event.elapsedMs;
          if (times.length >= wanted || (times.length > 0 && now() - timedFrom > budget)) break;
        } else if (event.type === 'eval' && previous !== null) {
          // An evaluation (an epoch's end) is timed as evaluations are, not as an update.
          previous = event.elapsedMs;
        } else if (event.type === 'end' || event.type === 'diverged') {
          break;
        }
      }
      const training = spec.training;
      out.push({
        runIndex,
        name: run.name,
        loadMs,
        evalMs,
        // The mean, not the median: the occasional slow update (garbage collection, a yield to
        // the event loop) is part of a run's time. Rosenbrock with Adam: median 0.011 ms, mean
        // 0.070 ms over 20,000 updates, the mean matching the run's time.
        msPerStep: times.length > 0 ? mean(times) : all.length > 0 ? mean(all) : 0,
        stepsTimed: times.length > 0 ? times.length : all.length,
        totalSteps,
        evaluations: spec.task.kind === 'function' ? 0 : evaluationCount(training),
        seeds: seedsOf(run).length,
        warmUpMs: WARM_UP.firstMs,
      });
    }
  } finally {
    await runner.dispose();
  }
  return out;
}
