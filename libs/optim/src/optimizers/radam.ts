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

export interface RAdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  decoupledWeightDecay?: boolean;
  maximize?: boolean;
}

export interface RAdamGroup extends ParamGroup {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  decoupledWeightDecay: boolean;
  maximize: boolean;
}

export const RADAM_SPEC: OptimizerSpec = {
  name: 'RAdam',
  options: [
    lrOption(1e-3),
    betasOption([0.9, 0.999]),
    epsOption(1e-8),
    weightDecayOption(0),
    decoupledWeightDecayOption,
    maximizeOption,
  ],
};

/** The variance is tractable (the update is rectified) only while ρₜ exceeds this. */
export const RADAM_RECTIFICATION_THRESHOLD = 5;

const SCALARS = [
  'decay',
  'gradSign',
  'l2',
  'oneMinusBeta1',
  'beta2',
  'oneMinusBeta2',
  'bc1',
  'lr',
  'bc2Sqrt',
  'eps',
  'rect',
] as const;

/** ρₜ > 5: θ ← θ − (m/(1−β₁ᵗ))·γ·(√(1−β₂ᵗ)/(√v + ε))·r */
const rectifiedStep = defineUpdate({
  name: 'radamRectified',
  inputs: ['param', 'grad', 'expAvg', 'expAvgSq'],
  scalars: SCALARS,
  outputs: ['expAvg', 'expAvgSq', 'param'],
  body: ({ param, grad, expAvg, expAvgSq }, s) => {
    const g = effectiveGrad(param, grad, s.gradSign, s.l2);
    const m = expAvg.lerp(g, s.oneMinusBeta1);
    const v = expAvgSq.mul(s.beta2).add(g.mul(g).mul(s.oneMinusBeta2));
    const adaptiveLr = s.bc2Sqrt.div(v.sqrt().add(s.eps));
    const step = m.div(s.bc1).mul(s.lr).mul(adaptiveLr).mul(s.rect);
    return { expAvg: m, expAvgSq: v, param: param.mul(s.decay).sub(step) };
  },
});

/** ρₜ ≤ 5: θ ← θ − (m/(1−β₁ᵗ))·γ (SGD with bias-corrected momentum) */
const unrectifiedStep = defineUpdate({
  name: 'radamUnrectified',
  inputs: ['param', 'grad', 'expAvg', 'expAvgSq'],
  scalars: SCALARS,
  outputs: ['expAvg', 'expAvgSq', 'param'],
  body: ({ param, grad, expAvg, expAvgSq }, s) => {
    const g = effectiveGrad(param, grad, s.gradSign, s.l2);
    const m = expAvg.lerp(g, s.oneMinusBeta1);
    const v = expAvgSq.mul(s.beta2).add(g.mul(g).mul(s.oneMinusBeta2));
    return { expAvg: m, expAvgSq: v, param: param.mul(s.decay).sub(m.div(s.bc1).mul(s.lr)) };
  },
});

/**
 * RAdam, PyTorch's `torch.optim.RAdam`.
 *
 * ```
 * g ← ∇f(θ) + λθ   (decoupledWeightDecay: θ ← θ(1 − γλ) instead)
 * m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  m̂ ← m/(1 − β₁ᵗ)
 * ρ∞ ← 2/(1 − β₂) − 1;  ρₜ ← ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ)
 * if ρₜ > 5:  r ← √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ))
 *             θ ← θ − γ·m̂·r·√(1 − β₂ᵗ)/(√v + ε)
 * else:       θ ← θ − γ·m̂
 * ```
 * Liu et al. (2020), "On the Variance of the Adaptive Learning Rate and Beyond", ICLR.
 * The branch depends on t only, so it is chosen on the host.
 */
export class RAdam extends Optimizer<RAdamGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: RAdamOptions = {},
  ) {
    super(RADAM_SPEC, resolveParamGroups<RAdamGroup>(RADAM_SPEC, params, { ...options }));
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: RAdamGroup,
  ): void {
    const [beta1, beta2] = group.betas;
    const { lr, weightDecay } = group;
    const decoupled = group.decoupledWeightDecay;
    const t = state.step;
    const bc2 = 1 - beta2 ** t;
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * t * beta2 ** t) / bc2;
    const rectified = rhoT > RADAM_RECTIFICATION_THRESHOLD;
    const rect = rectified
      ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT))
      : 1;
    const zeros = () => p.backend.zeros(p.shape);
    p.backend.fusedUpdate(
      rectified ? rectifiedStep : unrectifiedStep,
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
        bc1: 1 - beta1 ** t,
        lr,
        bc2Sqrt: Math.sqrt(bc2),
        eps: group.eps,
        rect,
      },
    );
  }
}
