/**
 * The shapes every schedule shares: what it needs from an optimizer, what it offers, and its
 * saved state. Schedules never import an optimizer class; anything with parameter groups that
 * carry an `lr` can be scheduled (the optimizers of this library, a test double, a wrapper).
 */

/**
 * One parameter group as a schedule sees it. `initialLr` is PyTorch's `initial_lr`: the base
 * learning rate a schedule scales, written on construction when missing. Other keys a schedule
 * may touch (`momentum`, `betas` for CyclicLR / OneCycleLR) are looked up at run time, so this
 * type has no index signature: an optimizer's own group interface satisfies it structurally.
 */
export interface SchedulableGroup {
  lr: number;
  initialLr?: number;
}

/** Anything with PyTorch-style parameter groups. */
export interface SchedulableOptimizer {
  readonly paramGroups: readonly SchedulableGroup[];
}

/** A JSON value: what a state dict is made of. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A scheduler's saved state: plain JSON, tagged with the scheduler's class name. */
export interface SchedulerState {
  [key: string]: JsonValue;
  type: string;
}

/**
 * A learning-rate scheduler bound to an optimizer, PyTorch's contract: construction applies the
 * step-0 learning rate, `step()` advances one step (call it after `optimizer.step()`), and
 * `getLastLr()` is the learning rate in force per group.
 */
export interface LRScheduler {
  /** The class name (`StepLR`, `CosineDecayRestarts`, ...), also the registry key. */
  readonly name: string;
  readonly optimizer: SchedulableOptimizer;
  /**
   * True when the learning rate is a function of the step alone (`lrAt` works). Only
   * ReduceLROnPlateau, which follows a metric, is not pure.
   */
  readonly pure: boolean;
  /** Steps taken: 0 right after construction (PyTorch's `last_epoch`). */
  readonly lastEpoch: number;
  /** The base learning rate of each group (PyTorch's `base_lrs`). */
  readonly baseLrs: readonly number[];
  /** Advances one step. Only ReduceLROnPlateau reads `metric` (and requires it). */
  step(metric?: number): void;
  /** The learning rate of each group after the last step. */
  getLastLr(): number[];
  /**
   * The learning rate at `step` (0 = the value set on construction) for a base learning rate
   * (default: the first group's), computed without touching the optimizer or the scheduler.
   */
  lrAt(step: number, baseLr?: number): number;
  /** `lrAt` for every group, each with its own base learning rate and per-group options. */
  lrsAt(step: number): number[];
  /** `[lrAt(0), ..., lrAt(steps - 1)]`, computed in one pass. */
  lrCurve(steps: number, baseLr?: number): number[];
  stateDict(): SchedulerState;
  loadStateDict(state: SchedulerState): void;
}
