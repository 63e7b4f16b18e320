import { defineUpdate, type Parameter, type Tensor } from '@optlab/tensor';
import {
  betasOption,
  effectiveGrad,
  epsOption,
  gradScalars,
  lrOption,
  maximizeOption,
  weightDecayOption,
} from './common.js';
import { Optimizer, type ParameterState } from './optimizer.js';
import {
  resolveParamGroups,
  type OptimizerSpec,
  type ParamGroup,
  type ParamGroupInput,
} from './param-groups.js';

export interface AdamaxOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  maximize?: boolean;
}

export interface AdamaxGroup extends ParamGroup {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

export const ADAMAX_SPEC: OptimizerSpec = {
  name: 'Adamax',
  options: [
    lrOption(2e-3),
    betasOption([0.9, 0.999], 'Decay rates of the first moment and of the infinity norm (β₁, β₂).'),
    epsOption(1e-8, 'Added to |g| inside the infinity norm.'),
    weightDecayOption(0),
    maximizeOption,
  ],
};

/** m ← β₁m + (1−β₁)g;  u ← max(β₂u, |g| + ε);  θ ← θ − (γ/(1−β₁ᵗ))·m/u */
const adamaxStep = defineUpdate({
  name: 'adamax',
  inputs: ['param', 'grad', 'expAvg', 'expInf'],
  scalars: ['clr', 'oneMinusBeta1', 'beta2', 'eps', 'gradSign', 'l2'],
  outputs: ['expAvg', 'expInf', 'param'],
  body: ({ param, grad, expAvg, expInf }, { clr, oneMinusBeta1, beta2, eps, gradSign, l2 }) => {
    const g = effectiveGrad(param, grad, gradSign, l2);
    const m = expAvg.lerp(g, oneMinusBeta1);
    const u = expInf.mul(beta2).maximum(g.abs().add(eps));
    return { expAvg: m, expInf: u, param: param.sub(m.div(u).mul(clr)) };
  },
});

/**
 * Adamax, PyTorch's `torch.optim.Adamax`: Adam with the infinity norm in place of the second
 * moment.
 *
 * ```
 * g ← ∇f(θ) + λθ
 * m ← β₁m + (1 − β₁)g
 * u ← max(β₂u, |g| + ε)
 * θ ← θ − γ/(1 − β₁ᵗ) · m/u
 * ```
 * Kingma & Ba (2015), "Adam: A Method for Stochastic Optimization", ICLR, section 7.1
 * (Algorithm 2; PyTorch adds ε inside the max).
 */
export class Adamax extends Optimizer<AdamaxGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: AdamaxOptions = {},
  ) {
    super(ADAMAX_SPEC, resolveParamGroups<AdamaxGroup>(ADAMAX_SPEC, params, { ...options }));
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: AdamaxGroup,
  ): void {
    const [beta1, beta2] = group.betas;
    const zeros = () => p.backend.zeros(p.shape);
    p.backend.fusedUpdate(
      adamaxStep,
      {
        param: p.value,
        grad,
        expAvg: this.stateTensor(state, 'expAvg', zeros),
        expInf: this.stateTensor(state, 'expInf', zeros),
      },
      {
        clr: group.lr / (1 - beta1 ** state.step),
        oneMinusBeta1: 1 - beta1,
        beta2,
        eps: group.eps,
        ...gradScalars(group.maximize, group.weightDecay),
      },
    );
  }
}
