import { defineUpdate, type Parameter, type Tensor } from '@optlab/tensor';
import { epsRootOption, nonNegativeEpsOption } from './adaptive-options.js';
import { betasOption, lrOption } from './common.js';
import { Optimizer, type ParameterState } from './optimizer.js';
import {
  resolveParamGroups,
  type OptimizerSpec,
  type ParamGroup,
  type ParamGroupInput,
} from './param-groups.js';

export interface AdaBeliefOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  epsRoot?: number;
}

export interface AdaBeliefGroup extends ParamGroup {
  betas: [number, number];
  eps: number;
  epsRoot: number;
}

export const ADABELIEF_SPEC: OptimizerSpec = {
  name: 'AdaBelief',
  options: [
    lrOption(1e-3),
    betasOption(
      [0.9, 0.999],
      'Decay rates of the gradient average and of the average squared prediction error (β₁, β₂).',
    ),
    nonNegativeEpsOption(1e-16, 'Added to √ŝ (outside the square root).'),
    epsRootOption(1e-16, 'Added to s at every step, inside the state (Optax’s eps_root).'),
  ],
};

/** m ← (1−β₁)g + β₁m;  s ← (1−β₂)(g − m)² + β₂s + ε_root;  θ ← θ − γ·m̂/(√ŝ + ε) */
const adabeliefStep = defineUpdate({
  name: 'adabelief',
  inputs: ['param', 'grad', 'expAvg', 'expAvgVar'],
  scalars: [
    'negLr',
    'beta1',
    'oneMinusBeta1',
    'beta2',
    'oneMinusBeta2',
    'bc1',
    'bc2',
    'eps',
    'epsRoot',
  ],
  outputs: ['expAvg', 'expAvgVar', 'param'],
  body: ({ param, grad, expAvg, expAvgVar }, s) => {
    const m = grad.mul(s.oneMinusBeta1).add(expAvg.mul(s.beta1));
    const error = grad.sub(m);
    const v = error.mul(error).mul(s.oneMinusBeta2).add(expAvgVar.mul(s.beta2)).add(s.epsRoot);
    const u = m.div(s.bc1).div(v.div(s.bc2).sqrt().add(s.eps));
    return { expAvg: m, expAvgVar: v, param: param.add(u.mul(s.negLr)) };
  },
});

/**
 * AdaBelief, as Optax's `adabelief` (`chain(scale_by_belief, scale_by_learning_rate)`); PyTorch
 * has none.
 *
 * ```
 * m ← β₁m + (1 − β₁)g
 * s ← β₂s + (1 − β₂)(g − m)² + ε_root
 * θ ← θ − γ·(m/(1 − β₁ᵗ)) / (√(s/(1 − β₂ᵗ)) + ε)
 * ```
 * Zhuang et al. (2020), "AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed
 * Gradients", NeurIPS. Adam with the second moment of the prediction error g − m (the new m)
 * instead of g². ε_root is added to the stored s (Optax and the paper's Algorithm 2); Optax's
 * defaults ε = ε_root = 1e-16 differ from the paper's ε = 1e-8, ε_root = 0. One pass per step.
 */
export class AdaBelief extends Optimizer<AdaBeliefGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: AdaBeliefOptions = {},
  ) {
    super(
      ADABELIEF_SPEC,
      resolveParamGroups<AdaBeliefGroup>(ADABELIEF_SPEC, params, { ...options }),
    );
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: AdaBeliefGroup,
  ): void {
    const [beta1, beta2] = group.betas;
    const t = state.step;
    const zeros = () => p.backend.zeros(p.shape);
    p.backend.fusedUpdate(
      adabeliefStep,
      {
        param: p.value,
        grad,
        expAvg: this.stateTensor(state, 'expAvg', zeros),
        expAvgVar: this.stateTensor(state, 'expAvgVar', zeros),
      },
      {
        negLr: -group.lr,
        beta1,
        oneMinusBeta1: 1 - beta1,
        beta2,
        oneMinusBeta2: 1 - beta2,
        bc1: 1 - beta1 ** t,
        bc2: 1 - beta2 ** t,
        eps: group.eps,
        epsRoot: group.epsRoot,
      },
    );
  }
}
