import type { OptionProblem } from '@optlab/tensor';
import { ScheduleError, formatValue } from './errors.js';
import { readOptions, type ScheduleOptionInfo } from './option-reader.js';
import { Scheduler, checkStep } from './scheduler.js';
import type { JsonValue, SchedulableOptimizer, SchedulerState } from './types.js';

/** Children must be closed-form schedules on the same optimizer (ReduceLROnPlateau is neither). */
function checkChildren(
  schedule: string,
  optimizer: SchedulableOptimizer,
  value: unknown,
): Scheduler[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ScheduleError(
      schedule,
      'schedulers',
      `Invalid schedulers: ${formatValue(value)} (expected a non-empty list of schedulers)`,
    );
  }
  value.forEach((child: unknown, i) => {
    if (!(child instanceof Scheduler)) {
      const what = (child as { name?: unknown } | null)?.name;
      throw new ScheduleError(
        schedule,
        'schedulers',
        `schedulers[${i}] (${typeof what === 'string' ? what : formatValue(child)}) cannot be composed: ` +
          'only schedules with a closed form can (not ReduceLROnPlateau)',
      );
    }
    if (child.optimizer !== optimizer) {
      throw new ScheduleError(
        schedule,
        'schedulers',
        `schedulers[${i}] (${child.name}) belongs to another optimizer; all must share the optimizer passed in`,
      );
    }
  });
  return value as Scheduler[];
}

/** The base lr a composite hands to a child: its own where it owns one (CyclicLR's baseLr). */
function baseFor(child: Scheduler, baseLr: number, group: number): number {
  return child.ownsBase ? child.baseLrs[group] : baseLr;
}

function childStates(children: readonly Scheduler[]): Record<string, JsonValue> {
  return { schedulers: children.map((c) => c.stateDict()) };
}

function loadChildStates(
  schedule: string,
  children: readonly Scheduler[],
  state: SchedulerState,
): void {
  const states = state.schedulers;
  if (!Array.isArray(states) || states.length !== children.length) {
    throw new ScheduleError(
      schedule,
      null,
      `Invalid state: expected ${children.length} scheduler states, got ${formatValue(states)}`,
    );
  }
  children.forEach((c, i) => c.loadStateDict(states[i] as SchedulerState));
}

export interface SequentialLROptions {
  /** The schedules, built on the same optimizer, in the order they run. */
  schedulers: Scheduler[];
  /** Steps at which the next schedule takes over (strictly increasing, one fewer than schedulers). */
  milestones: number[];
}

/**
 * PyTorch's SequentialLR: schedule `i` runs from `milestones[i − 1]` (0 for the first), restarted
 * there from its own step 0 (PyTorch calls `step(0)`, the closed form), so
 * `lr_t = schedulers[i].lrAt(t − milestones[i − 1])`. Continuity at a milestone is the user's
 * business, as in PyTorch: a warmup must reach the next schedule's first value (for example
 * LinearLR with totalIters equal to the milestone, or LinearWarmup with warmupSteps equal to it).
 */
export class SequentialLR extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    {
      name: 'milestones',
      kind: 'numbers',
      default: null,
      required: true,
      min: 1,
      unit: 'steps',
      doc: 'Steps at which the next schedule takes over (one fewer than schedulers).',
    },
  ];
  readonly schedulers: readonly Scheduler[];
  readonly milestones: readonly number[];

  constructor(optimizer: SchedulableOptimizer, options: SequentialLROptions) {
    const o = readOptions('SequentialLR', SequentialLR.options, options, ['schedulers']);
    const children = checkChildren('SequentialLR', optimizer, o.raw('schedulers'));
    const milestones = o.numbers('milestones');
    const problem = SequentialLR.checkMilestones(milestones, children.length);
    if (problem) throw new ScheduleError('SequentialLR', 'milestones', problem.message);
    super('SequentialLR', optimizer, { lastEpoch: -1 });
    this.schedulers = children;
    this.milestones = milestones;
    this.start();
  }

  /**
   * The rule the descriptions cannot state: one milestone fewer than schedulers, strictly
   * increasing integers. Pure: `checkScheduleOptions` calls it on a spec.
   */
  static checkMilestones(
    milestones: readonly number[],
    schedulers: number,
  ): OptionProblem | undefined {
    if (milestones.length !== schedulers - 1) {
      return {
        path: ['milestones'],
        message: `Expected ${schedulers - 1} milestones for ${schedulers} schedulers, got ${milestones.length}`,
      };
    }
    if (!milestones.every((m, i) => Number.isInteger(m) && (i === 0 || m > milestones[i - 1]))) {
      return {
        path: ['milestones'],
        message: `Invalid milestones: ${formatValue(milestones)} (expected strictly increasing integers ≥ 1)`,
      };
    }
    return undefined;
  }

  /** [index of the schedule running at `step`, the step in that schedule's own count]. */
  private locate(step: number): [number, number] {
    let i = 0;
    while (i < this.milestones.length && this.milestones[i] <= step) i += 1;
    return [i, step - (i > 0 ? this.milestones[i - 1] : 0)];
  }

  override step(): void {
    this.lastEpoch += 1;
    const [i, local] = this.locate(this.lastEpoch);
    if (local === 0) this.schedulers[i].restart();
    else this.schedulers[i].step();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  closedLr(step: number, baseLr: number, group: number): number {
    const [i, local] = this.locate(step);
    const child = this.schedulers[i];
    return child.closedLr(local, baseFor(child, baseLr, group), group);
  }

  override chainLr(step: number, prevLr: number, baseLr: number, group: number): number {
    const [i, local] = this.locate(step);
    const child = this.schedulers[i];
    const base = baseFor(child, baseLr, group);
    return local === 0 ? child.closedLr(0, base, group) : child.chainLr(local, prevLr, base, group);
  }

  override lrCurve(steps: number, baseLr: number = this.baseLrs[0]): number[] {
    checkStep(this.name, steps, 'number of steps');
    const bounds = [0, ...this.milestones, Infinity];
    const curve: number[] = [];
    this.schedulers.forEach((child, i) => {
      const length = Math.min(bounds[i + 1], steps) - bounds[i];
      if (length > 0) curve.push(...child.lrCurve(length, baseFor(child, baseLr, 0)));
    });
    return curve;
  }

  override rewind(): void {
    super.rewind();
    this.schedulers.forEach((c) => c.rewind());
  }

  protected override extraState(): Record<string, JsonValue> {
    return childStates(this.schedulers);
  }

  protected override loadExtraState(state: SchedulerState): void {
    loadChildStates(this.name, this.schedulers, state);
  }
}

export interface ChainedSchedulerOptions {
  /** The schedules, built on the same optimizer; each step applies them in this order. */
  schedulers: Scheduler[];
}

/**
 * PyTorch's ChainedScheduler: every step steps each schedule in turn, each working on the lr the
 * previous one left (PyTorch's chainable forms). For multiplicative schedules (StepLR,
 * ExponentialLR, ConstantLR, LinearLR, ...) the result is the product of their factors; a
 * schedule that sets an absolute value (CyclicLR, LambdaLR, CosineAnnealingWarmRestarts) overrides
 * what came before it. `lrAt(t)` replays the children's recurrences from step 0 (O(t) per call;
 * `lrCurve` is one pass).
 */
export class ChainedScheduler extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [];
  readonly schedulers: readonly Scheduler[];

  constructor(optimizer: SchedulableOptimizer, options: ChainedSchedulerOptions) {
    const o = readOptions('ChainedScheduler', ChainedScheduler.options, options, ['schedulers']);
    const children = checkChildren('ChainedScheduler', optimizer, o.raw('schedulers'));
    super('ChainedScheduler', optimizer, { lastEpoch: -1 });
    this.schedulers = children;
    // The children took their construction steps already: the chain is at step 0.
    this.lastEpoch = children[0].lastEpoch;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  override step(): void {
    this.lastEpoch += 1;
    this.schedulers.forEach((c) => c.step());
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  override chainLr(step: number, prevLr: number, baseLr: number, group: number): number {
    let lr = prevLr;
    for (const child of this.schedulers)
      lr = child.chainLr(step, lr, baseFor(child, baseLr, group), group);
    return lr;
  }

  closedLr(step: number, baseLr: number, group: number): number {
    let lr = baseLr;
    for (let s = 0; s <= step; s++) lr = this.chainLr(s, lr, baseLr, group);
    return lr;
  }

  override lrCurve(steps: number, baseLr: number = this.baseLrs[0]): number[] {
    checkStep(this.name, steps, 'number of steps');
    const curve: number[] = [];
    let lr = baseLr;
    for (let s = 0; s < steps; s++) {
      lr = this.chainLr(s, lr, baseLr, 0);
      curve.push(lr);
    }
    return curve;
  }

  override rewind(): void {
    super.rewind();
    this.schedulers.forEach((c) => c.rewind());
  }

  protected override extraState(): Record<string, JsonValue> {
    return childStates(this.schedulers);
  }

  protected override loadExtraState(state: SchedulerState): void {
    loadChildStates(this.name, this.schedulers, state);
  }
}
