import { defineUpdate, where, type Parameter, type Tensor } from '@optlab/tensor';
import {
  effectiveGrad,
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

export interface ASGDOptions {
  lr?: number;
  lambd?: number;
  alpha?: number;
  t0?: number;
  weightDecay?: number;
  maximize?: boolean;
}

export interface ASGDGroup extends ParamGroup {
  lambd: number;
  alpha: number;
  t0: number;
  weightDecay: number;
  maximize: boolean;
}

export const ASGD_SPEC: OptimizerSpec = {
  name: 'ASGD',
  options: [
    lrOption(1e-2),
    {
      name: 'lambd',
      kind: 'number',
      default: 1e-4,
      min: 0,
      doc: 'Decay term λ: θ ← θ(1 − λη) and η = γ/(1 + λγt)^α.',
    },
    {
      name: 'alpha',
      kind: 'number',
      default: 0.75,
      min: 0,
      doc: 'Power α of the step-size decay η = γ/(1 + λγt)^α.',
    },
    {
      name: 't0',
      kind: 'number',
      default: 1e6,
      min: 0,
      unit: 'steps',
      doc: 'Step at which averaging starts (μ = 1/max(1, t − t0)).',
    },
    weightDecayOption(0),
    maximizeOption,
  ],
};

/**
 * g ← ±∇ + λ_wd θ;  θ ← θ(1 − λη) − ηg;  ax ← (copy ? θ : ax + μ(θ − ax)).
 * torch copies θ into ax while μ = 1 (before t0) instead of computing ax + 1·(θ − ax), which can
 * differ from θ in the last bit; `copy` keeps that.
 */
const asgdStep = defineUpdate({
  name: 'asgd',
  inputs: ['param', 'grad', 'ax'],
  scalars: ['gradSign', 'l2', 'decay', 'eta', 'mu', 'copy'],
  outputs: ['param', 'ax'],
  body: ({ param, grad, ax }, { gradSign, l2, decay, eta, mu, copy }) => {
    const g = effectiveGrad(param, grad, gradSign, l2);
    const p = param.mul(decay).sub(g.mul(eta));
    return { param: p, ax: where(copy, p, ax.add(p.sub(ax).mul(mu))) };
  },
});

/**
 * Averaged stochastic gradient descent, PyTorch's `torch.optim.ASGD`.
 *
 * ```
 * η₀ = γ, μ₀ = 1, ax = 0
 * g ← ∇f(θ) (−∇f when maximize) + λ_wd·θ
 * θ ← θ(1 − λη) − ηg
 * ax ← θ while μ = 1, else ax ← ax + μ(θ − ax)
 * η ← γ / (1 + λγt)^α;   μ ← 1 / max(1, t − t0)
 * ```
 * Polyak & Juditsky (1992), "Acceleration of Stochastic Approximation by Averaging", SIAM J.
 * Control Optim.; the schedule of η is Bottou's (2012), "Stochastic Gradient Descent Tricks".
 * The averaged parameters `ax` are state (what ASGD's theory evaluates); the step moves θ. η and
 * μ are host numbers in the state's `values` (torch keeps them as 0-d tensors and reads them
 * back with `.item()` at every step), so the step reads nothing from the device.
 */
export class ASGD extends Optimizer<ASGDGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: ASGDOptions = {},
  ) {
    super(ASGD_SPEC, resolveParamGroups<ASGDGroup>(ASGD_SPEC, params, { ...options }));
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: ASGDGroup,
  ): void {
    // torch creates η = lr and μ = 1 with the state, at the parameter's first step.
    if (state.values.eta === undefined) state.values.eta = group.lr;
    if (state.values.mu === undefined) state.values.mu = 1;
    const { eta, mu } = state.values;
    const t = state.step;
    p.backend.fusedUpdate(
      asgdStep,
      { param: p.value, grad, ax: this.stateTensor(state, 'ax', () => p.backend.zeros(p.shape)) },
      {
        ...gradScalars(group.maximize, group.weightDecay),
        decay: 1 - group.lambd * eta,
        eta,
        mu,
        copy: mu === 1 ? 1 : 0,
      },
    );
    state.values.eta = group.lr / Math.pow(1 + group.lambd * group.lr * t, group.alpha);
    state.values.mu = 1 / Math.max(1, t - group.t0);
  }
}
