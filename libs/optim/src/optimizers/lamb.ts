import { defineUpdate, type Expr, type Parameter, type Tensor } from '@optlab/tensor';
import { epsRootOption, nonNegativeEpsOption } from './adaptive-options.js';
import { betasOption, lrOption } from './common.js';
import { Optimizer, type ParameterState } from './optimizer.js';
import {
  resolveParamGroups,
  type OptimizerSpec,
  type ParamGroup,
  type ParamGroupInput,
} from './param-groups.js';
import { squaredNorms, trustRatio } from './trust-ratio.js';

export interface LAMBOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  epsRoot?: number;
  weightDecay?: number;
}

export interface LAMBGroup extends ParamGroup {
  betas: [number, number];
  eps: number;
  epsRoot: number;
  weightDecay: number;
}

export const LAMB_SPEC: OptimizerSpec = {
  name: 'LAMB',
  options: [
    lrOption(1e-3),
    betasOption([0.9, 0.999]),
    nonNegativeEpsOption(1e-6, 'Added to √v̂ (outside the square root) in the Adam direction.'),
    epsRootOption(0, 'Added to v̂ inside the square root in the Adam direction.'),
    {
      name: 'weightDecay',
      kind: 'number',
      default: 0,
      min: 0,
      doc: 'Added to the Adam direction before the trust ratio: u ← u + weightDecay·θ.',
    },
  ],
};

/** The Adam direction plus weight decay, u = m̂/(√(v̂ + ε_root) + ε) + λθ, from the new m and v. */
function direction(
  m: Expr,
  v: Expr,
  param: Expr,
  s: Record<'bc1' | 'bc2' | 'eps' | 'epsRoot' | 'weightDecay', Expr>,
): Expr {
  return m
    .div(s.bc1)
    .div(v.div(s.bc2).add(s.epsRoot).sqrt().add(s.eps))
    .add(param.mul(s.weightDecay));
}

/** m ← (1−β₁)g + β₁m;  v ← (1−β₂)g² + β₂v;  and the squares whose sums are ‖u‖², ‖θ‖². */
const lambMoments = defineUpdate({
  name: 'lambMoments',
  inputs: ['param', 'grad', 'expAvg', 'expAvgSq'],
  scalars: [
    'beta1',
    'oneMinusBeta1',
    'beta2',
    'oneMinusBeta2',
    'bc1',
    'bc2',
    'eps',
    'epsRoot',
    'weightDecay',
  ],
  outputs: ['expAvg', 'expAvgSq', 'updateSq', 'paramSq'],
  body: ({ param, grad, expAvg, expAvgSq }, s) => {
    const m = grad.mul(s.oneMinusBeta1).add(expAvg.mul(s.beta1));
    const v = grad.mul(grad).mul(s.oneMinusBeta2).add(expAvgSq.mul(s.beta2));
    const u = direction(m, v, param, s);
    return { expAvg: m, expAvgSq: v, updateSq: u.mul(u), paramSq: param.mul(param) };
  },
});

/** θ ← θ − lr·r·u, u recomputed from the stored m, v (cheaper than keeping it between passes). */
const lambStep = defineUpdate({
  name: 'lambStep',
  inputs: ['param', 'expAvg', 'expAvgSq', 'paramNormSq', 'updateNormSq'],
  scalars: ['lr', 'bc1', 'bc2', 'eps', 'epsRoot', 'weightDecay'],
  outputs: ['param'],
  body: ({ param, expAvg, expAvgSq, paramNormSq, updateNormSq }, s) => {
    const u = direction(expAvg, expAvgSq, param, s);
    const ratio = trustRatio(paramNormSq, updateNormSq, 1, 0);
    return { param: param.sub(u.mul(ratio).mul(s.lr)) };
  },
});

/**
 * LAMB, as Optax's `lamb` (`chain(scale_by_adam, add_decayed_weights, scale_by_trust_ratio,
 * scale_by_learning_rate)`); PyTorch has none.
 *
 * ```
 * m ← β₁m + (1 − β₁)g
 * v ← β₂v + (1 − β₂)g²
 * u ← (m/(1 − β₁ᵗ)) / (√(v/(1 − β₂ᵗ) + ε_root) + ε) + λθ
 * r ← ‖θ‖/‖u‖   (r ← 1 where ‖θ‖ = 0 or ‖u‖ = 0)
 * θ ← θ − γ·r·u
 * ```
 * You et al. (2020), "Large Batch Optimization for Deep Learning: Training BERT in 76 minutes",
 * ICLR. The norms are per parameter tensor (Optax's per leaf), computed on the device: four
 * passes per step (m, v with u² and θ²; Σu²; Σθ²; the update, which recomputes u from m and v).
 */
export class LAMB extends Optimizer<LAMBGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: LAMBOptions = {},
  ) {
    super(LAMB_SPEC, resolveParamGroups<LAMBGroup>(LAMB_SPEC, params, { ...options }));
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: LAMBGroup,
  ): void {
    const be = p.backend;
    const [beta1, beta2] = group.betas;
    const t = state.step;
    const zeros = () => be.zeros(p.shape);
    const expAvg = this.stateTensor(state, 'expAvg', zeros);
    const expAvgSq = this.stateTensor(state, 'expAvgSq', zeros);
    const shared = {
      bc1: 1 - beta1 ** t,
      bc2: 1 - beta2 ** t,
      eps: group.eps,
      epsRoot: group.epsRoot,
      weightDecay: group.weightDecay,
    };
    const squares = be.fusedUpdate(
      lambMoments,
      { param: p.value, grad, expAvg, expAvgSq },
      { beta1, oneMinusBeta1: 1 - beta1, beta2, oneMinusBeta2: 1 - beta2, ...shared },
    );
    be.fusedUpdate(
      lambStep,
      { param: p.value, expAvg, expAvgSq, ...squaredNorms(be, squares) },
      { lr: group.lr, ...shared },
    );
  }
}
