import { sgdStabilityThreshold, type ParamGroupBase, type StabilityThreshold } from '@optlab/optim';
import type { RunSpec } from '../spec/schema.js';

/**
 * The stability threshold the sharpness is drawn against, for the update about to be taken: SGD's
 * (2/η, or with momentum (2+2β)/η, Nesterov (2+2β)/(η(1+2β)); @optlab/optim theory/stability.ts),
 * read from its first parameter group now, so a schedule that moves lr or momentum moves it. Any
 * other optimizer, or SGD inside Lookahead, has no threshold on the raw Hessian: null, and the
 * charts draw no line rather than a 2/η that does not apply.
 */
export function stabilityLine(
  run: RunSpec,
  group: ParamGroupBase,
  lr: number,
): StabilityThreshold | null {
  if (run.optimizer.type !== 'SGD' || run.lookahead !== undefined) return null;
  const number = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return sgdStabilityThreshold({
    lr,
    momentum: number(group.momentum),
    dampening: number(group.dampening),
    nesterov: group.nesterov === true,
  });
}
