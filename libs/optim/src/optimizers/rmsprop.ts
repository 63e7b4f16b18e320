import {
  defineUpdate,
  type Expr,
  type FusedProgram,
  type Parameter,
  type Tensor,
} from '@optlab/tensor';
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

export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
  maximize?: boolean;
}

export interface RMSpropGroup extends ParamGroup {
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

export const RMSPROP_SPEC: OptimizerSpec = {
  name: 'RMSprop',
  options: [
    lrOption(1e-2),
    {
      name: 'alpha',
      kind: 'number',
      default: 0.99,
      min: 0,
      doc: 'Smoothing constant α of the squared-gradient average.',
    },
    epsOption(1e-8),
    weightDecayOption(0),
    { name: 'momentum', kind: 'number', default: 0, min: 0, doc: 'Momentum factor μ.' },
    {
      name: 'centered',
      kind: 'boolean',
      default: false,
      doc: 'Normalize by the estimated variance (subtract the squared mean gradient).',
    },
    maximizeOption,
  ],
};

/** One program per (centered, momentum) combination, built once at load. */
function rmspropProgram(centered: boolean, momentum: boolean): FusedProgram {
  const inputs = ['param', 'grad', 'squareAvg'];
  if (centered) inputs.push('gradAvg');
  if (momentum) inputs.push('buf');
  const outputs = [...inputs.filter((n) => n !== 'param' && n !== 'grad'), 'param'];
  return defineUpdate<string, string, string>({
    name: `rmsprop${centered ? 'Centered' : ''}${momentum ? 'Momentum' : ''}`,
    inputs,
    scalars: ['lr', 'alpha', 'oneMinusAlpha', 'eps', 'gradSign', 'l2', 'momentum'],
    outputs,
    body: (t, s) => {
      const g = effectiveGrad(t.param, t.grad, s.gradSign, s.l2);
      const out: Record<string, Expr> = {};
      out.squareAvg = t.squareAvg.mul(s.alpha).add(g.mul(g).mul(s.oneMinusAlpha));
      let variance = out.squareAvg;
      if (centered) {
        out.gradAvg = t.gradAvg.lerp(g, s.oneMinusAlpha);
        variance = variance.sub(out.gradAvg.mul(out.gradAvg));
      }
      const avg = variance.sqrt().add(s.eps);
      if (momentum) {
        out.buf = t.buf.mul(s.momentum).add(g.div(avg));
        out.param = t.param.sub(out.buf.mul(s.lr));
      } else {
        out.param = t.param.sub(g.div(avg).mul(s.lr));
      }
      return out;
    },
  });
}

const PROGRAMS = {
  plain: rmspropProgram(false, false),
  centered: rmspropProgram(true, false),
  momentum: rmspropProgram(false, true),
  centeredMomentum: rmspropProgram(true, true),
};

/**
 * RMSprop, PyTorch's `torch.optim.RMSprop`.
 *
 * ```
 * g ← ∇f(θ) + λθ
 * v ← αv + (1 − α)g²
 * centered:  ḡ ← αḡ + (1 − α)g;  ṽ ← v − ḡ²   else ṽ ← v
 * μ > 0:     b ← μb + g/(√ṽ + ε);  θ ← θ − γb
 * else:      θ ← θ − γ·g/(√ṽ + ε)
 * ```
 * Hinton, Srivastava & Swersky (2012), "Neural Networks for Machine Learning", lecture 6e;
 * the centered form from Graves (2013), "Generating Sequences With Recurrent Neural Networks".
 */
export class RMSprop extends Optimizer<RMSpropGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: RMSpropOptions = {},
  ) {
    super(RMSPROP_SPEC, resolveParamGroups<RMSpropGroup>(RMSPROP_SPEC, params, { ...options }));
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: RMSpropGroup,
  ): void {
    const be = p.backend;
    const zeros = () => be.zeros(p.shape);
    const tensors: Record<string, Tensor> = {
      param: p.value,
      grad,
      squareAvg: this.stateTensor(state, 'squareAvg', zeros),
    };
    if (group.centered) tensors.gradAvg = this.stateTensor(state, 'gradAvg', zeros);
    if (group.momentum > 0) tensors.buf = this.stateTensor(state, 'momentumBuffer', zeros);
    const program =
      group.centered && group.momentum > 0
        ? PROGRAMS.centeredMomentum
        : group.centered
          ? PROGRAMS.centered
          : group.momentum > 0
            ? PROGRAMS.momentum
            : PROGRAMS.plain;
    be.fusedUpdate(program, tensors, {
      lr: group.lr,
      alpha: group.alpha,
      oneMinusAlpha: 1 - group.alpha,
      eps: group.eps,
      momentum: group.momentum,
      ...gradScalars(group.maximize, group.weightDecay),
    });
  }
}
