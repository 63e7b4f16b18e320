import { ScheduleError, formatValue } from './errors.js';
import type { JsonValue, LRScheduler, SchedulableOptimizer, SchedulerState } from './types.js';

/** Refuses anything but a non-negative integer step (`lrAt(-1)`, `lrAt(2.5)`). */
export function checkStep(schedule: string, step: number, what = 'step'): void {
  if (!Number.isInteger(step) || step < 0) {
    throw new ScheduleError(
      schedule,
      null,
      `Invalid ${what}: ${formatValue(step)} (expected an integer ≥ 0)`,
    );
  }
}

function checkBaseLr(schedule: string, baseLr: number): void {
  if (typeof baseLr !== 'number' || !Number.isFinite(baseLr) || baseLr < 0) {
    throw new ScheduleError(schedule, null, `Invalid base learning rate: ${formatValue(baseLr)}`);
  }
}

/** The optimizer must have at least one parameter group, each with a finite `lr ≥ 0`. */
export function checkOptimizer(schedule: string, optimizer: SchedulableOptimizer): void {
  const groups = (optimizer as { paramGroups?: unknown } | null)?.paramGroups;
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new ScheduleError(
      schedule,
      null,
      'Expected an optimizer with at least one parameter group (an object with paramGroups: [{ lr }, ...])',
    );
  }
  groups.forEach((g: { lr?: unknown }, i) => {
    if (typeof g?.lr !== 'number' || !Number.isFinite(g.lr) || g.lr < 0) {
      throw new ScheduleError(
        schedule,
        null,
        `Invalid lr of paramGroups[${i}]: ${formatValue(g?.lr)}`,
      );
    }
  });
}

/** Reads a number (or a list of `length` numbers) from a saved state, refusing anything else. */
export function stateNumber(schedule: string, state: SchedulerState, key: string): number {
  const v = state[key];
  if (typeof v !== 'number') {
    throw new ScheduleError(
      schedule,
      null,
      `Invalid state: ${key} is ${formatValue(v)}, expected a number`,
    );
  }
  return v;
}

export function stateNumbers(
  schedule: string,
  state: SchedulerState,
  key: string,
  length: number,
): number[] {
  const v = state[key];
  if (!Array.isArray(v) || v.length !== length || !v.every((x) => typeof x === 'number')) {
    throw new ScheduleError(
      schedule,
      null,
      `Invalid state: ${key} is ${formatValue(v)}, expected ${length} numbers (one per parameter group)`,
    );
  }
  return v as number[];
}

/** How a schedule's base learning rates are set up on construction. */
export interface BaseLrSetup {
  /** PyTorch's `last_epoch`: -1 starts fresh; ≥ 0 resumes and needs `initialLr` in every group. */
  lastEpoch: number;
  /** Base lrs taken from the schedule's own options (CyclicLR's baseLr), one per group. */
  own?: readonly number[];
  /** Write `own` into `initialLr` even where it is set (OneCycleLR, as PyTorch does). */
  overwriteInitialLr?: boolean;
}

/**
 * PyTorch's `_LRScheduler` mechanics, shared by every schedule but ReduceLROnPlateau.
 *
 * A schedule defines its learning rate twice, as PyTorch does:
 * - `closedLr(step, baseLr, group)`: the closed form, a pure function of the step (`lrAt`);
 * - `chainLr(step, prevLr, baseLr, group)`: the value `step()` writes, computed from the lr in
 *   force (PyTorch's chainable `get_lr`). Schedules that PyTorch makes chainable (StepLR,
 *   MultiStepLR, ConstantLR, LinearLR, ExponentialLR, PolynomialLR, CosineAnnealingLR) override
 *   it with PyTorch's recurrence, so that ChainedScheduler composes them exactly like PyTorch;
 *   every other schedule sets an absolute value and inherits `chainLr = closedLr`.
 * Run alone, both agree to rounding; the PyTorch fixtures check both.
 *
 * Subclasses set their fields and then call `start()` (PyTorch's initial step) at the end of
 * their constructor.
 */
export abstract class Scheduler implements LRScheduler {
  readonly pure: boolean = true;
  baseLrs: number[];
  lastEpoch: number;
  /** True when the base lrs come from the schedule's options rather than the optimizer's groups. */
  readonly ownsBase: boolean;
  protected lastLr: number[] = [];
  /** True only during the construction step of a resumed scheduler (PyTorch's `_step_count == 1`). */
  protected resuming = false;

  protected constructor(
    readonly name: string,
    readonly optimizer: SchedulableOptimizer,
    setup: BaseLrSetup,
  ) {
    checkOptimizer(name, optimizer);
    const groups = optimizer.paramGroups;
    const { lastEpoch, own } = setup;
    if (own && own.length !== groups.length) {
      throw new ScheduleError(
        name,
        null,
        `Expected ${groups.length} base learning rates, got ${own.length}`,
      );
    }
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        if (g.initialLr === undefined || (own && setup.overwriteInitialLr)) {
          g.initialLr = own ? own[i] : g.lr;
        }
      });
    } else if (!own) {
      groups.forEach((g, i) => {
        if (typeof g.initialLr !== 'number') {
          throw new ScheduleError(
            name,
            'lastEpoch',
            `lastEpoch is ${lastEpoch} (resuming) but paramGroups[${i}] has no initialLr; ` +
              'restore the optimizer state saved with the scheduler first',
          );
        }
      });
    }
    this.ownsBase = own !== undefined;
    this.baseLrs = own ? [...own] : groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /** The closed form: the lr at `step` for a base lr (pure). */
  abstract closedLr(step: number, baseLr: number, group: number): number;

  /**
   * The lr `step()` writes at `step`, given the lr in force before it (PyTorch's `get_lr`).
   * `resuming` is true for the construction step of a resumed scheduler.
   */
  chainLr(step: number, _prevLr: number, baseLr: number, group: number, _resuming = false): number {
    return this.closedLr(step, baseLr, group);
  }

  /** PyTorch's initial step: subclasses call it last in their constructor. */
  protected start(): void {
    this.resuming = this.lastEpoch >= 0;
    try {
      this.step();
    } finally {
      this.resuming = false;
    }
  }

  step(_metric?: number): void {
    this.lastEpoch += 1;
    const groups = this.optimizer.paramGroups;
    const lrs = groups.map((g, i) => this.nextLr(g.lr, i));
    groups.forEach((g, i) => {
      g.lr = lrs[i];
    });
    this.afterStep();
    this.lastLr = groups.map((g) => g.lr);
  }

  /** The lr `step()` writes into group `group` (PyTorch's chainable `get_lr`). */
  protected nextLr(prevLr: number, group: number): number {
    return this.chainLr(this.lastEpoch, prevLr, this.baseLrs[group], group, this.resuming);
  }

  /** Hook run after the lrs are written (CyclicLR and OneCycleLR write momentum here). */
  protected afterStep(): void {}

  /** Back to "before the first step", for composites that restart a child. */
  rewind(): void {
    this.lastEpoch = -1;
    this.resetCounters();
  }

  /** Hook for schedules with counters besides `lastEpoch`. */
  protected resetCounters(): void {}

  /**
   * Restart from step 0 as PyTorch's SequentialLR does at a milestone (`step(0)`, the closed
   * form at 0): the groups go back to their base lrs and the schedule takes its first step.
   */
  restart(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = this.baseLrs[i];
    });
    this.rewind();
    this.step();
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  lrAt(step: number, baseLr: number = this.baseLrs[0]): number {
    checkStep(this.name, step);
    checkBaseLr(this.name, baseLr);
    return this.closedLr(step, baseLr, 0);
  }

  lrsAt(step: number): number[] {
    checkStep(this.name, step);
    return this.baseLrs.map((b, i) => this.closedLr(step, b, i));
  }

  lrCurve(steps: number, baseLr: number = this.baseLrs[0]): number[] {
    checkStep(this.name, steps, 'number of steps');
    checkBaseLr(this.name, baseLr);
    return Array.from({ length: steps }, (_, t) => this.closedLr(t, baseLr, 0));
  }

  /** Extra state besides the epoch and the lrs (counters of stateful schedules). */
  protected extraState(): Record<string, JsonValue> {
    return {};
  }

  protected loadExtraState(_state: SchedulerState): void {}

  stateDict(): SchedulerState {
    return {
      type: this.name,
      lastEpoch: this.lastEpoch,
      baseLrs: [...this.baseLrs],
      lastLr: [...this.lastLr],
      ...this.extraState(),
    };
  }

  loadStateDict(state: SchedulerState): void {
    if (state?.type !== this.name) {
      throw new ScheduleError(
        this.name,
        null,
        `Cannot load the state of ${formatValue(state?.type)} into a ${this.name}`,
      );
    }
    const groups = this.optimizer.paramGroups.length;
    this.lastEpoch = stateNumber(this.name, state, 'lastEpoch');
    this.baseLrs = [...stateNumbers(this.name, state, 'baseLrs', groups)];
    this.lastLr = [...stateNumbers(this.name, state, 'lastLr', groups)];
    this.loadExtraState(state);
  }
}
