import { defineUpdate, type Parameter, type Tensor } from '@optlab/tensor';
import {
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

export interface AdadeltaOptions {
  lr?: number;
  rho?: number;
  eps?: number;
  weightDecay?: number;
  maximize?: boolean;
}

export interface AdadeltaGroup extends ParamGroup {
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

export const ADADELTA_SPEC: OptimizerSpec = {
  name: 'Adadelta',
  options: [
    lrOption(1.0),
    {
      name: 'rho',
      kind: 'number',
      default: 0.9,
      min: 0,
      max: 1,
      doc: 'Decay rate ρ of the running averages of g² and Δx².',
    },
    epsOption(1e-6, 'Added inside both square roots for numerical stability.'),
    weightDecayOption(0),
    maximizeOption,
  ],
};

/** v ← ρv + (1−ρ)g²;  Δ ← √(u + ε)/√(v + ε)·g;  u ← ρu + (1−ρ)Δ²;  θ ← θ − γΔ */
const adadeltaStep = defineUpdate({
  name: 'adadelta',
  inputs: ['param', 'grad', 'squareAvg', 'accDelta'],
  scalars: ['lr', 'rho', 'oneMinusRho', 'eps', 'gradSign', 'l2'],
  outputs: ['squareAvg', 'accDelta', 'param'],
  body: ({ param, grad, squareAvg, accDelta }, { lr, rho, oneMinusRho, eps, gradSign, l2 }) => {
    const g = effectiveGrad(param, grad, gradSign, l2);
    const v = squareAvg.mul(rho).add(g.mul(g).mul(oneMinusRho));
    const delta = accDelta.add(eps).sqrt().div(v.add(eps).sqrt()).mul(g);
    const u = accDelta.mul(rho).add(delta.mul(delta).mul(oneMinusRho));
    return { squareAvg: v, accDelta: u, param: param.sub(delta.mul(lr)) };
  },
});

/**
 * Adadelta, PyTorch's `torch.optim.Adadelta`.
 *
 * ```
 * g ← ∇f(θ) + λθ
 * v ← ρv + (1 − ρ)g²
 * Δ ← √(u + ε) / √(v + ε) · g
 * u ← ρu + (1 − ρ)Δ²
 * θ ← θ − γΔ
 * ```
 * Zeiler (2012), "ADADELTA: An Adaptive Learning Rate Method", arXiv:1212.5701. The paper has no
 * learning rate (γ = 1, PyTorch's default).
 */
export class Adadelta extends Optimizer<AdadeltaGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: AdadeltaOptions = {},
  ) {
    super(ADADELTA_SPEC, resolveParamGroups<AdadeltaGroup>(ADADELTA_SPEC, params, { ...options }));
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: AdadeltaGroup,
  ): void {
    const zeros = () => p.backend.zeros(p.shape);
    p.backend.fusedUpdate(
      adadeltaStep,
      {
        param: p.value,
        grad,
        squareAvg: this.stateTensor(state, 'squareAvg', zeros),
        accDelta: this.stateTensor(state, 'accDelta', zeros),
      },
      {
        lr: group.lr,
        rho: group.rho,
        oneMinusRho: 1 - group.rho,
        eps: group.eps,
        ...gradScalars(group.maximize, group.weightDecay),
      },
    );
  }
}
