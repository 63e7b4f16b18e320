/**
 * A quick calibration of an experiment's runs, before they start: the data is prepared once (timed:
 * each run's worker will do it too), then each run's first seed is started (its initial
 * evaluation timed) and trained for a few updates, timed by the runner's own clock, and stopped.
 * The first updates compile code and are dropped. `time-estimate.ts` turns the numbers into
 * an estimate. Runs in a worker (run.worker.ts), never on the page's thread.
 */
import { UnitRunner, WARM_UP, unitsOf, seedsOf, type ExperimentSpec } from '@optlab/experiment';
import { evaluationCount, median, type RunCalibration } from './time-estimate.js';

export interface CalibrationOptions {
  /** Updates dropped at the start (code compiling). Default 2. */
  readonly skipSteps?: number;
  /** Updates timed at most. Default 10. */
  readonly steps?: number;
  /** Stop timing updates of a run after this many milliseconds (at least 1 is timed). Default 2000. */
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
  const wanted = options.steps ?? 10;
  const budget = options.budgetMs ?? 2000;
  const t0 = now();
  // Every update reported (a step event each), so that each can be timed.
  const timed: ExperimentSpec = { ...spec, training: { ...spec.training, logEvery: 1 } };
  const runner = await UnitRunner.create(timed, { warmUp: false, now });
  const loadMs = now() - t0;
  const out: RunCalibration[] = [];
  try {
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
        msPerStep: times.length > 0 ? median(times) : all.length > 0 ? median(all) : 0,
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
