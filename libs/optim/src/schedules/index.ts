/**
 * Learning-rate schedules: PyTorch's (StepLR … ReduceLROnPlateau, SWALR), WSD, the tutorial's (StepDecay,
 * ExponentialDecay, CosineDecay, LinearWarmup) and TensorFlow's CosineDecayRestarts. Each is a
 * stateful scheduler on an optimizer's groups and, except ReduceLROnPlateau, a pure function of
 * the step (`lrAt`, `scheduleCurve`). See docs/schedules.md.
 */
export type {
  JsonValue,
  LRScheduler,
  SchedulableGroup,
  SchedulableOptimizer,
  SchedulerState,
} from './types.js';
export { ScheduleError } from './errors.js';
export type { ScheduleOptionInfo } from './option-reader.js';
export { Scheduler } from './scheduler.js';
export { StepLR, MultiStepLR, type StepLROptions, type MultiStepLROptions } from './step-lr.js';
export {
  ConstantLR,
  LinearLR,
  type ConstantLROptions,
  type LinearLROptions,
} from './constant-linear-lr.js';
export {
  ExponentialLR,
  PolynomialLR,
  type ExponentialLROptions,
  type PolynomialLROptions,
} from './exponential-lr.js';
export {
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  type CosineAnnealingLROptions,
  type CosineAnnealingWarmRestartsOptions,
} from './cosine-annealing.js';
export { CyclicLR, type CyclicLROptions, type CyclicMode } from './cyclic-lr.js';
export { OneCycleLR, type OneCycleLROptions } from './one-cycle-lr.js';
export { LambdaLR, type LambdaLROptions, type LrLambda } from './lambda-lr.js';
export {
  MultiplicativeLR,
  type MultiplicativeLROptions,
  type LrFactor,
} from './multiplicative-lr.js';
export { SWALR, type SWALROptions, type AnnealStrategy } from './swa-lr.js';
export { WSD, type WSDOptions, type WSDDecayType } from './wsd.js';
export {
  SequentialLR,
  ChainedScheduler,
  type SequentialLROptions,
  type ChainedSchedulerOptions,
} from './composite.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
export {
  StepDecay,
  ExponentialDecay,
  CosineDecay,
  LinearWarmup,
  type StepDecayOptions,
  type ExponentialDecayOptions,
  type CosineDecayOptions,
  type LinearWarmupOptions,
} from './tutorial-schedules.js';
export { CosineDecayRestarts, type CosineDecayRestartsOptions } from './cosine-decay-restarts.js';
export type { MomentumSlot } from './momentum.js';
export {
  joinSchedules,
  scheduleFn,
  warmupCosineDecayRestarts,
  type ScheduleFn,
  type WarmupCosineDecayRestartsOptions,
} from './join.js';
export { SCHEDULES, createSchedule, scheduleCurve, type ScheduleInfo } from './registry.js';
export { checkScheduleOptions } from './check.js';
