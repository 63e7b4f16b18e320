import { defineUpdate, type Parameter, type Tensor } from '@optlab/tensor';
import {
  betasOption,
  decoupledWeightDecayOption,
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

export interface NAdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  momentumDecay?: number;
  decoupledWeightDecay?: boolean;
  maximize?: boolean;
}

export interface NAdamGroup extends ParamGroup {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  momentumDecay: number;
  decoupledWeightDecay: boolean;
  maximize: boolean;
}

export const NADAM_SPEC: OptimizerSpec = {
  name: 'NAdam',
  options: [
    lrOption(2e-3),
    betasOption([0.9, 0.999]),
    epsOption(1e-8),
    weightDecayOption(0),
    {
      name: 'momentumDecay',
      kind: 'number',
      default: 4e-3,
      min: 0,
      doc: 'ψ of the momentum schedule μₜ = β₁(1 − ½·0.96^(tψ)).',
    },
    decoupledWeightDecayOption,
    maximizeOption,
  ],
};

/**
 * m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  d ← √(v/(1−β₂ᵗ)) + ε
 * θ ← θ·decay − cg·g/d − cm·m/d
 */
const nadamStep = defineUpdate({
  name: 'nadam',
  inputs: ['param', 'grad', 'expAvg', 'expAvgSq'],
  scalars: [
    'decay',
    'gradSign',
    'l2',
    'oneMinusBeta1',
    'beta2',
    'oneMinusBeta2',
    'bc2',
    'eps',
    'gradCoef',
    'avgCoef',
  ],
  outputs: ['expAvg', 'expAvgSq', 'param'],
  body: ({ param, grad, expAvg, expAvgSq }, s) => {
    const g = effectiveGrad(param, grad, s.gradSign, s.l2);
    const m = expAvg.lerp(g, s.oneMinusBeta1);
    const v = expAvgSq.mul(s.beta2).add(g.mul(g).mul(s.oneMinusBeta2));
    const denom = v.div(s.bc2).sqrt().add(s.eps);
    const next = param
      .mul(s.decay)
      .sub(g.div(denom).mul(s.gradCoef))
      .sub(m.div(denom).mul(s.avgCoef));
    return { expAvg: m, expAvgSq: v, param: next };
  },
});

/**
 * NAdam, PyTorch's `torch.optim.NAdam` (the μ-product as fixed in PyTorch 2.0).
 *
 * ```
 * g ← ∇f(θ) + λθ   (decoupledWeightDecay: θ ← θ(1 − γλ) instead)
 * μₜ ← β₁(1 − ½·0.96^(tψ));  μₜ₊₁ ← β₁(1 − ½·0.96^((t+1)ψ))
 * Πₜ ← Πₜ₋₁·μₜ  (Π₀ = 1)
 * m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²
 * θ ← θ − γ(1 − μₜ)/(1 − Πₜ) · g/(√(v/(1−β₂ᵗ)) + ε)
 *       − γμₜ₊₁/(1 − Πₜ·μₜ₊₁) · m/(√(v/(1−β₂ᵗ)) + ε)
 * ```
 * Dozat (2016), "Incorporating Nesterov Momentum into Adam", ICLR workshop; the decoupled
 * variant after Loshchilov & Hutter (2019). Πₜ is a host number per parameter, saved in the
 * state dict as `muProduct`.
 */
export class NAdam extends Optimizer<NAdamGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: NAdamOptions = {},
  ) {
    super(NADAM_SPEC, resolveParamGroups<NAdamGroup>(NADAM_SPEC, params, { ...options }));
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: NAdamGroup,
  ): void {
    const [beta1, beta2] = group.betas;
    const { lr, weightDecay, momentumDecay } = group;
    const decoupled = group.decoupledWeightDecay;
    const t = state.step;
    const mu = beta1 * (1 - 0.5 * 0.96 ** (t * momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentumDecay));
    const muProduct = (state.values.muProduct ?? 1) * mu;
    state.values.muProduct = muProduct;
    const zeros = () => p.backend.zeros(p.shape);
    p.backend.fusedUpdate(
      nadamStep,
      {
        param: p.value,
        grad,
        expAvg: this.stateTensor(state, 'expAvg', zeros),
        expAvgSq: this.stateTensor(state, 'expAvgSq', zeros),
      },
      {
        decay: decoupled ? 1 - lr * weightDecay : 1,
        ...gradScalars(group.maximize, weightDecay, decoupled),
        oneMinusBeta1: 1 - beta1,
        beta2,
        oneMinusBeta2: 1 - beta2,
        bc2: 1 - beta2 ** t,
        eps: group.eps,
        gradCoef: (lr * (1 - mu)) / (1 - muProduct),
        avgCoef: (lr * muNext) / (1 - muProduct * muNext),
      },
    );
  }
}
