import { defineUpdate, type Parameter, type Tensor } from '@optlab/tensor';
import { betasOption, lrOption, maximizeOption } from './common.js';
import { Optimizer, type ParameterState } from './optimizer.js';
import {
  resolveParamGroups,
  type OptimizerSpec,
  type ParamGroup,
  type ParamGroupInput,
} from './param-groups.js';

export interface LionOptions {
  lr?: number;
  betas?: readonly [number, number];
  weightDecay?: number;
  maximize?: boolean;
}

export interface LionGroup extends ParamGroup {
  betas: [number, number];
  weightDecay: number;
  maximize: boolean;
}

export const LION_SPEC: OptimizerSpec = {
  name: 'Lion',
  options: [
    lrOption(1e-4),
    betasOption([0.9, 0.99], 'β₁ interpolates the update direction, β₂ the momentum.'),
    {
      name: 'weightDecay',
      kind: 'number',
      default: 0,
      min: 0,
      doc: 'Decoupled weight decay: θ ← θ·(1 − lr·weightDecay).',
    },
    maximizeOption,
  ],
};

/** c ← β₁m + (1−β₁)g;  θ ← θ(1 − γλ) − γ·sign(c);  m ← β₂m + (1−β₂)g */
const lionStep = defineUpdate({
  name: 'lion',
  inputs: ['param', 'grad', 'expAvg'],
  scalars: ['lr', 'decay', 'gradSign', 'beta1', 'oneMinusBeta1', 'beta2', 'oneMinusBeta2'],
  outputs: ['expAvg', 'param'],
  body: ({ param, grad, expAvg }, s) => {
    const g = grad.mul(s.gradSign);
    const c = expAvg.mul(s.beta1).add(g.mul(s.oneMinusBeta1));
    return {
      expAvg: expAvg.mul(s.beta2).add(g.mul(s.oneMinusBeta2)),
      param: param.mul(s.decay).sub(c.sign().mul(s.lr)),
    };
  },
});

/**
 * Lion (EvoLved Sign Momentum); not in PyTorch.
 *
 * ```
 * c ← β₁m + (1 − β₁)g
 * θ ← θ − γ(sign(c) + λθ)
 * m ← β₂m + (1 − β₂)g
 * ```
 * Chen et al. (2023), "Symbolic Discovery of Optimization Algorithms", NeurIPS, Program 1.
 * Every coordinate moves by exactly γ (sign(0) = 0), so Lion wants a 3–10× smaller learning rate
 * than AdamW and a larger weight decay.
 */
export class Lion extends Optimizer<LionGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: LionOptions = {},
  ) {
    super(LION_SPEC, resolveParamGroups<LionGroup>(LION_SPEC, params, { ...options }));
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: LionGroup,
  ): void {
    const [beta1, beta2] = group.betas;
    p.backend.fusedUpdate(
      lionStep,
      {
        param: p.value,
        grad,
        expAvg: this.stateTensor(state, 'expAvg', () => p.backend.zeros(p.shape)),
      },
      {
        lr: group.lr,
        decay: 1 - group.lr * group.weightDecay,
        gradSign: group.maximize ? -1 : 1,
        beta1,
        oneMinusBeta1: 1 - beta1,
        beta2,
        oneMinusBeta2: 1 - beta2,
      },
    );
  }
}
