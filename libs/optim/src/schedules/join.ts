import { ScheduleError, formatValue } from './errors.js';
import { CosineDecayRestarts } from './cosine-decay-restarts.js';
import { LinearWarmup } from './tutorial-schedules.js';
import type { LRScheduler, SchedulableOptimizer } from './types.js';

/** A learning rate as a pure function of the step, as in Optax. */
export type ScheduleFn = (step: number) => number;

/** A one-group stand-in optimizer, for building a schedule only to read its closed form. */
export function probeOptimizer(lr: number): SchedulableOptimizer {
  return { paramGroups: [{ lr, momentum: 0 } as { lr: number }] };
}

/** A scheduler's closed form as a function (`lrAt` for a fixed base lr). */
export function scheduleFn(scheduler: LRScheduler, baseLr?: number): ScheduleFn {
  return (step) => scheduler.lrAt(step, baseLr);
}

/**
 * Optax's `join_schedules`: `schedules[i]` runs from `boundaries[i − 1]` (0 for the first) and
 * receives the step counted from there. Nothing smooths a boundary: check continuity where it
 * matters (the warmup helper below is continuous by construction).
 */
export function joinSchedules(
  schedules: readonly ScheduleFn[],
  boundaries: readonly number[],
): ScheduleFn {
  if (schedules.length === 0 || boundaries.length !== schedules.length - 1) {
    throw new ScheduleError(
      'joinSchedules',
      'boundaries',
      `Expected ${Math.max(schedules.length - 1, 0)} boundaries for ${schedules.length} schedules, got ${boundaries.length}`,
    );
  }
  if (
    !boundaries.every((b, i) => Number.isInteger(b) && b >= 1 && (i === 0 || b > boundaries[i - 1]))
  ) {
    throw new ScheduleError(
      'joinSchedules',
      'boundaries',
      `Invalid boundaries: ${formatValue(boundaries)} (expected strictly increasing integers ≥ 1)`,
    );
  }
  return (step) => {
    let i = 0;
    while (i < boundaries.length && boundaries[i] <= step) i += 1;
    return schedules[i](step - (i > 0 ? boundaries[i - 1] : 0));
  };
}

export interface WarmupCosineDecayRestartsOptions {
  /** The lr reached at the end of the warmup and at the first cosine peak. */
  peakLr: number;
  /** Steps of linear warmup from 0 (the tutorial's LinearWarmup). */
  warmupSteps: number;
  firstDecaySteps: number;
  tMul?: number;
  mMul?: number;
  alpha?: number;
}

/**
 * The tutorial's "warmup + cosine restarts" as one pure function: LinearWarmup for `warmupSteps`
 * steps (0 → peakLr), then CosineDecayRestarts counted from the end of the warmup, so the first
 * cosine value equals the peak the warmup aims at. The same curve as
 * `SequentialLR([LinearWarmup, CosineDecayRestarts], milestones: [warmupSteps])`.
 */
export function warmupCosineDecayRestarts(options: WarmupCosineDecayRestartsOptions): ScheduleFn {
  const { peakLr, warmupSteps, ...cosine } = options;
  const probe = probeOptimizer(peakLr);
  const warmup = new LinearWarmup(probe, { warmupSteps });
  const restarts = new CosineDecayRestarts(probe, cosine);
  return warmupSteps === 0
    ? scheduleFn(restarts, peakLr)
    : joinSchedules([scheduleFn(warmup, peakLr), scheduleFn(restarts, peakLr)], [warmupSteps]);
}
