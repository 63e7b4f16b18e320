import type { Parameter, Tensor } from '@optlab/tensor';
import { betasOption, epsOption, lrOption, maximizeOption } from './common.js';
import { adamUpdate, amsgradOption, type AdamGroup, type AdamOptions } from './adam.js';
import { Optimizer, type ParameterState } from './optimizer.js';
import { resolveParamGroups, type OptimizerSpec, type ParamGroupInput } from './param-groups.js';

export type AdamWOptions = AdamOptions;
export type AdamWGroup = AdamGroup;

export const ADAMW_SPEC: OptimizerSpec = {
  name: 'AdamW',
  options: [
    lrOption(1e-3),
    betasOption([0.9, 0.999]),
    epsOption(1e-8),
    {
      name: 'weightDecay',
      kind: 'number',
      default: 1e-2,
      min: 0,
      doc: 'Decoupled weight decay: θ ← θ·(1 − lr·weightDecay) before the Adam step.',
    },
    amsgradOption,
    maximizeOption,
  ],
};

/**
 * AdamW, PyTorch's `torch.optim.AdamW`: Adam with decoupled weight decay.
 *
 * ```
 * θ ← θ·(1 − γλ)
 * m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  amsgrad: v̂ ← max(v̂, v)
 * θ ← θ − γ/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
 * ```
 * Loshchilov & Hutter (2019), "Decoupled Weight Decay Regularization", ICLR. The decay is
 * scaled by γ, as in PyTorch (the paper scales it by the schedule multiplier only).
 */
export class AdamW extends Optimizer<AdamWGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: AdamWOptions = {},
  ) {
    super(ADAMW_SPEC, resolveParamGroups<AdamWGroup>(ADAMW_SPEC, params, { ...options }));
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: AdamWGroup,
  ): void {
    adamUpdate(p, grad, state, group, (n, init) => this.stateTensor(state, n, init), true);
  }
}
