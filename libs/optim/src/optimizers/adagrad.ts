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

export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
  maximize?: boolean;
}

export interface AdagradGroup extends ParamGroup {
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

export const ADAGRAD_SPEC: OptimizerSpec = {
  name: 'Adagrad',
  options: [
    lrOption(1e-2),
    {
      name: 'lrDecay',
      kind: 'number',
      default: 0,
      min: 0,
      doc: 'Learning-rate decay η: γ/(1 + (t − 1)η).',
    },
    weightDecayOption(0),
    {
      name: 'initialAccumulatorValue',
      kind: 'number',
      default: 0,
      min: 0,
      doc: 'Starting value of the sum of squared gradients.',
    },
    epsOption(1e-10),
    maximizeOption,
  ],
};

/** s ← s + g²;  θ ← θ − γ̃·g/(√s + ε) */
const adagradStep = defineUpdate({
  name: 'adagrad',
  inputs: ['param', 'grad', 'sum'],
  scalars: ['clr', 'eps', 'gradSign', 'l2'],
  outputs: ['sum', 'param'],
  body: ({ param, grad, sum }, { clr, eps, gradSign, l2 }) => {
    const g = effectiveGrad(param, grad, gradSign, l2);
    const s = sum.add(g.mul(g));
    return { sum: s, param: param.sub(g.div(s.sqrt().add(eps)).mul(clr)) };
  },
});

/**
 * Adagrad, PyTorch's `torch.optim.Adagrad`.
 *
 * ```
 * g ← ∇f(θ) + λθ;  γ̃ ← γ / (1 + (t − 1)η)
 * s ← s + g²                          (s₀ = initialAccumulatorValue)
 * θ ← θ − γ̃ · g / (√s + ε)
 * ```
 * Duchi, Hazan & Singer (2011), "Adaptive Subgradient Methods for Online Learning and Stochastic
 * Optimization", JMLR 12.
 */
export class Adagrad extends Optimizer<AdagradGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: AdagradOptions = {},
  ) {
    super(ADAGRAD_SPEC, resolveParamGroups<AdagradGroup>(ADAGRAD_SPEC, params, { ...options }));
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: AdagradGroup,
  ): void {
    const sum = this.stateTensor(state, 'sum', () =>
      p.backend.full(p.shape, group.initialAccumulatorValue),
    );
    const clr = group.lr / (1 + (state.step - 1) * group.lrDecay);
    p.backend.fusedUpdate(
      adagradStep,
      { param: p.value, grad, sum },
      { clr, eps: group.eps, ...gradScalars(group.maximize, group.weightDecay) },
    );
  }
}
