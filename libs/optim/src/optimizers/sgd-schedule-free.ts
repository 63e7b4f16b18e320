import { defineUpdate, type Parameter, type Tensor } from '@optlab/tensor';
import { lrOption } from './common.js';
import type { ParameterState } from './optimizer.js';
import { resolveParamGroups, type OptimizerSpec, type ParamGroupInput } from './param-groups.js';
import {
  ScheduleFreeOptimizer,
  scheduleFreeOptions,
  type ScheduleFreeGroup,
  type ScheduleFreeStep,
} from './schedule-free.js';

export interface SGDScheduleFreeOptions {
  lr?: number;
  momentum?: number;
  weightDecay?: number;
  warmupSteps?: number;
  r?: number;
  weightLrPower?: number;
}

export interface SGDScheduleFreeGroup extends ScheduleFreeGroup {
  momentum: number;
}

export const SGD_SCHEDULE_FREE_SPEC: OptimizerSpec = {
  name: 'SGDScheduleFree',
  options: [
    lrOption(1.0),
    {
      name: 'momentum',
      kind: 'number',
      default: 0.9,
      min: 0,
      exclusiveMin: true,
      max: 1,
      exclusiveMax: true,
      doc: 'Interpolation β of y = (1 − β)z + βx, strictly between 0 and 1.',
    },
    {
      name: 'weightDecay',
      kind: 'number',
      default: 0,
      min: 0,
      doc: 'L2 penalty at y: adds weightDecay·y to the gradient.',
    },
    ...scheduleFreeOptions,
  ],
};

/** g ← g + λy;  y ← y + c(z − y) + γ(β(1−c) − 1)·g;  z ← z − γg */
const sgdScheduleFreeStep = defineUpdate({
  name: 'sgdScheduleFree',
  inputs: ['param', 'grad', 'z'],
  scalars: ['weightDecay', 'ckp1', 'yStep', 'lr'],
  outputs: ['param', 'z'],
  body: ({ param, grad, z }, s) => {
    const g = grad.add(param.mul(s.weightDecay));
    return { param: param.lerp(z, s.ckp1).add(g.mul(s.yStep)), z: z.sub(g.mul(s.lr)) };
  },
});

/**
 * Schedule-Free SGD, from facebookresearch/schedule_free (`SGDScheduleFree`,
 * schedulefree/sgd_schedulefree.py).
 *
 * ```
 * γₖ = lr·min(1, (k+1)/warmupSteps);  wₖ = (k+1)ʳ·max(γ)ᵖ;  c = wₖ / Σw
 * g ← ∇f(y) + λy
 * y ← (1 − c)y + cz + γₖ(β(1 − c) − 1)·g
 * z ← z − γₖg
 * ```
 * Defazio et al. (2024), "The Road Less Scheduled", NeurIPS. One fused pass per parameter and
 * step. The default lr of 1.0 is the reference's; it suits well-scaled problems only.
 */
export class SGDScheduleFree extends ScheduleFreeOptimizer<SGDScheduleFreeGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: SGDScheduleFreeOptions = {},
  ) {
    super(
      SGD_SCHEDULE_FREE_SPEC,
      resolveParamGroups<SGDScheduleFreeGroup>(SGD_SCHEDULE_FREE_SPEC, params, { ...options }),
    );
  }

  protected override interpolation(group: SGDScheduleFreeGroup): number {
    return group.momentum;
  }

  protected override updateScheduleFree(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: SGDScheduleFreeGroup,
    { lr, ckp1 }: ScheduleFreeStep,
  ): void {
    const be = p.backend;
    be.fusedUpdate(
      sgdScheduleFreeStep,
      {
        param: p.value,
        grad,
        z: this.zState(p, state),
      },
      { weightDecay: group.weightDecay, ckp1, yStep: lr * (group.momentum * (1 - ckp1) - 1), lr },
    );
  }
}
