import { ScheduleError } from './errors.js';
import type { SchedulableGroup, SchedulableOptimizer } from './types.js';

/** Where a group keeps the momentum a cyclic schedule drives: SGD's `momentum` or Adam's `betas[0]`. */
export type MomentumSlot = 'momentum' | 'betas';

type OpenGroup = SchedulableGroup & Record<string, unknown>;

/**
 * The momentum slot of every group, as PyTorch picks it: `betas[0]` where the group has `betas`
 * (Adam and its kin), else `momentum` (SGD, RMSprop). A group with neither is refused.
 */
export function momentumSlots(schedule: string, optimizer: SchedulableOptimizer): MomentumSlot[] {
  return optimizer.paramGroups.map((group, i) => {
    const g = group as OpenGroup;
    if (Array.isArray(g.betas) && typeof g.betas[0] === 'number') return 'betas';
    if (typeof g.momentum === 'number') return 'momentum';
    throw new ScheduleError(
      schedule,
      'cycleMomentum',
      `cycleMomentum needs groups with 'momentum' or 'betas', but paramGroups[${i}] has neither ` +
        '(use an optimizer with momentum, or pass cycleMomentum: false)',
    );
  });
}

export function writeMomentum(group: SchedulableGroup, slot: MomentumSlot, value: number): void {
  const g = group as OpenGroup;
  if (slot === 'betas') g.betas = [value, ...(g.betas as number[]).slice(1)];
  else g.momentum = value;
}

export function readMomentum(group: SchedulableGroup, slot: MomentumSlot): number {
  const g = group as OpenGroup;
  return slot === 'betas' ? (g.betas as number[])[0] : (g.momentum as number);
}
