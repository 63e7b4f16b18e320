import { defineUpdate, type Parameter, type Tensor } from '@optlab/tensor';
import { epsOption, lrOption } from './common.js';
import type { ParameterState } from './optimizer.js';
import { resolveParamGroups, type OptimizerSpec, type ParamGroupInput } from './param-groups.js';
import {
  ScheduleFreeOptimizer,
  scheduleFreeOptions,
  type ScheduleFreeGroup,
  type ScheduleFreeStep,
} from './schedule-free.js';

export interface AdamWScheduleFreeOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  warmupSteps?: number;
  r?: number;
  weightLrPower?: number;
}

export interface AdamWScheduleFreeGroup extends ScheduleFreeGroup {
  betas: [number, number];
  eps: number;
}

export const ADAMW_SCHEDULE_FREE_SPEC: OptimizerSpec = {
  name: 'AdamWScheduleFree',
  options: [
    lrOption(0.0025),
    {
      name: 'betas',
      kind: 'pair',
      default: [0.9, 0.999],
      min: 0,
      exclusiveMin: true,
      max: 1,
      exclusiveMax: true,
      doc: 'β₁ interpolates y between z and the average x (eval() divides by it, so > 0); β₂ averages g².',
    },
    epsOption(1e-8),
    {
      name: 'weightDecay',
      kind: 'number',
      default: 0,
      min: 0,
      doc: 'Weight decay at y, added to the normalized gradient: g/(√v̂ + ε) + λy.',
    },
    ...scheduleFreeOptions,
  ],
};

/**
 * v ← β₂v + (1−β₂)g²;  u = g/(√(v/(1−β₂ᵏ⁺¹)) + ε) + λy
 * y ← y + c(z − y) + γ(β₁(1−c) − 1)·u;  z ← z − γu
 */
const adamwScheduleFreeStep = defineUpdate({
  name: 'adamwScheduleFree',
  inputs: ['param', 'grad', 'z', 'expAvgSq'],
  scalars: [
    'beta2',
    'oneMinusBeta2',
    'biasCorrection2',
    'eps',
    'weightDecay',
    'ckp1',
    'yStep',
    'lr',
  ],
  outputs: ['expAvgSq', 'param', 'z'],
  body: ({ param, grad, z, expAvgSq }, s) => {
    const v = expAvgSq.mul(s.beta2).add(grad.mul(grad).mul(s.oneMinusBeta2));
    const u = grad.div(v.div(s.biasCorrection2).sqrt().add(s.eps)).add(param.mul(s.weightDecay));
    return {
      expAvgSq: v,
      param: param.lerp(z, s.ckp1).add(u.mul(s.yStep)),
      z: z.sub(u.mul(s.lr)),
    };
  },
});

/**
 * Schedule-Free AdamW, from facebookresearch/schedule_free (`AdamWScheduleFree`,
 * schedulefree/adamw_schedulefree.py): no learning-rate schedule, an average of the iterates
 * instead.
 *
 * ```
 * γₖ = lr·min(1, (k+1)/warmupSteps);  wₖ = (k+1)ʳ·max(γ)ᵖ;  c = wₖ / Σw
 * v ← β₂v + (1 − β₂)g²                         (g taken at y)
 * u = g / (√(v / (1 − β₂ᵏ⁺¹)) + ε) + λy
 * y ← (1 − c)y + cz + γₖ(β₁(1 − c) − 1)·u      (= (1−β₁)z + β₁x with x ← (1−c)x + cz)
 * z ← z − γₖu
 * ```
 * Defazio et al. (2024), "The Road Less Scheduled", NeurIPS. One fused pass per parameter and
 * step; `eval()`/`train()` one pass each. There is no bias correction of a first moment (the
 * average plays that role); the reference's newer `inner_momentum` option is not offered.
 */
export class AdamWScheduleFree extends ScheduleFreeOptimizer<AdamWScheduleFreeGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: AdamWScheduleFreeOptions = {},
  ) {
    super(
      ADAMW_SCHEDULE_FREE_SPEC,
      resolveParamGroups<AdamWScheduleFreeGroup>(ADAMW_SCHEDULE_FREE_SPEC, params, { ...options }),
    );
  }

  protected override interpolation(group: AdamWScheduleFreeGroup): number {
    return group.betas[0];
  }

  protected override updateScheduleFree(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: AdamWScheduleFreeGroup,
    { k, lr, ckp1 }: ScheduleFreeStep,
  ): void {
    const be = p.backend;
    const [beta1, beta2] = group.betas;
    be.fusedUpdate(
      adamwScheduleFreeStep,
      {
        param: p.value,
        grad,
        z: this.zState(p, state),
        expAvgSq: this.stateTensor(state, 'expAvgSq', () => be.zeros(p.shape)),
      },
      {
        beta2,
        oneMinusBeta2: 1 - beta2,
        biasCorrection2: 1 - beta2 ** (k + 1),
        eps: group.eps,
        weightDecay: group.weightDecay,
        ckp1,
        yStep: lr * (beta1 * (1 - ckp1) - 1),
        lr,
      },
    );
  }
}
