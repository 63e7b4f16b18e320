import type { LRScheduler, ParamGroupBase } from '@optlab/optim';

/**
 * The learning rate an update uses, as events report it. With a schedule it is the schedule's
 * (`getLastLr()`, the lr it set for the next step); without one, the optimizer's lr. Adafactor
 * in relative-step mode has no lr (`paramGroups[0].lr` is null): its step size is the relative
 * step ρₜ = min(10⁻², 1/√t) (warmupInit: min(10⁻⁶·t, 1/√t)) of update t, which Adafactor then
 * scales per parameter by max(ε₂, RMS(θ)) when `scaleParameter` is on; events report ρₜ with
 * `lrMode: 'relative-step'` so that it is never mistaken for an lr.
 */
export interface StepSize {
  readonly lr: number;
  /** Present only when `lr` is Adafactor's relative step ρₜ rather than a learning rate. */
  readonly lrMode?: 'relative-step';
}

interface Schedulable {
  readonly paramGroups: readonly ParamGroupBase[];
}

/** The step size of update `t` (1-based: the first update is t = 1). */
export function stepSizeOf(
  optimizer: Schedulable,
  schedule: Pick<LRScheduler, 'getLastLr'> | null,
  t: number,
): StepSize {
  if (schedule) return { lr: schedule.getLastLr()[0] };
  const group = optimizer.paramGroups[0];
  if (typeof group.lr === 'number') return { lr: group.lr };
  if (group.relativeStep === true) {
    const cap = group.warmupInit === true ? 1e-6 * t : 1e-2;
    return { lr: Math.min(cap, 1 / Math.sqrt(t)), lrMode: 'relative-step' };
  }
  throw new Error(`${describe(group)}: the optimizer has neither an lr nor a relative step`);
}

const describe = (group: ParamGroupBase) =>
  `paramGroups[0] (lr ${String(group.lr)}, relativeStep ${String(group.relativeStep)})`;
