import { defineUpdate, where, type Parameter, type Tensor } from '@optlab/tensor';
import {
  betas3Option,
  checkThreeBetas,
  epsRootOption,
  nonNegativeEpsOption,
} from './adaptive-options.js';
import { lrOption } from './common.js';
import { Optimizer, type ParameterState } from './optimizer.js';
import {
  resolveParamGroups,
  type OptimizerSpec,
  type ParamGroup,
  type ParamGroupInput,
} from './param-groups.js';

export interface AdanOptions {
  lr?: number;
  betas?: readonly [number, number, number];
  eps?: number;
  epsRoot?: number;
  weightDecay?: number;
}

export interface AdanGroup extends ParamGroup {
  betas: [number, number, number];
  eps: number;
  epsRoot: number;
  weightDecay: number;
}

export const ADAN_SPEC: OptimizerSpec = {
  name: 'Adan',
  options: [
    lrOption(1e-3),
    betas3Option(
      [0.98, 0.92, 0.99],
      'Decay rates of the averages of g, of g − g_prev and of the squared term (Optax’s b1, b2, b3; the paper’s 1 − β).',
    ),
    nonNegativeEpsOption(1e-8, 'Added to √n̂ (outside the square root).'),
    epsRootOption(1e-8, 'Added to n̂ inside the square root.'),
    {
      name: 'weightDecay',
      kind: 'number',
      default: 0,
      min: 0,
      doc: 'Added to the update before the learning rate: θ ← θ − γ(u + weightDecay·θ).',
    },
  ],
  check: checkThreeBetas,
};

/**
 * Δ ← g − g_prev (0 at the first step);  m ← (1−b₁)g + b₁m;  v ← (1−b₂)Δ + b₂v;
 * n ← (1−b₃)(g + (1−b₂)Δ)² + b₃n;  u ← (m̂ + (1−b₂)v̂)/(√(n̂ + ε_root) + ε) + λθ;  θ ← θ − γu
 */
const adanStep = defineUpdate({
  name: 'adan',
  inputs: ['param', 'grad', 'expAvg', 'expAvgDiff', 'expAvgSq', 'prevGrad'],
  scalars: [
    'negLr',
    'notFirst',
    'beta1',
    'oneMinusBeta1',
    'beta2',
    'oneMinusBeta2',
    'beta3',
    'oneMinusBeta3',
    'bc1',
    'bc2',
    'bc3',
    'eps',
    'epsRoot',
    'weightDecay',
  ],
  outputs: ['expAvg', 'expAvgDiff', 'expAvgSq', 'prevGrad', 'param'],
  body: ({ param, grad, expAvg, expAvgDiff, expAvgSq, prevGrad }, s) => {
    const diff = where(s.notFirst, grad.sub(prevGrad), 0);
    const m = grad.mul(s.oneMinusBeta1).add(expAvg.mul(s.beta1));
    const v = diff.mul(s.oneMinusBeta2).add(expAvgDiff.mul(s.beta2));
    const sq = grad.add(diff.mul(s.oneMinusBeta2));
    const n = sq.mul(sq).mul(s.oneMinusBeta3).add(expAvgSq.mul(s.beta3));
    const u = m
      .div(s.bc1)
      .add(v.div(s.bc2).mul(s.oneMinusBeta2))
      .div(n.div(s.bc3).add(s.epsRoot).sqrt().add(s.eps))
      .add(param.mul(s.weightDecay));
    return {
      expAvg: m,
      expAvgDiff: v,
      expAvgSq: n,
      prevGrad: grad,
      param: param.add(u.mul(s.negLr)),
    };
  },
});

/**
 * Adan (ADAptive Nesterov momentum), as Optax's `adan` (`chain(scale_by_adan,
 * add_decayed_weights, scale_by_learning_rate)`); PyTorch has none.
 *
 * ```
 * Δ ← g − g_prev   (Δ ← 0 at the first step)
 * m ← b₁m + (1 − b₁)g
 * v ← b₂v + (1 − b₂)Δ
 * n ← b₃n + (1 − b₃)(g + (1 − b₂)Δ)²
 * u ← (m/(1 − b₁ᵗ) + (1 − b₂)·v/(1 − b₂ᵗ)) / (√(n/(1 − b₃ᵗ) + ε_root) + ε)
 * θ ← θ − γ(u + λθ)
 * ```
 * Xie et al., "Adan: Adaptive Nesterov Momentum Algorithm for Faster Optimizing Deep Models",
 * arXiv:2208.06677 (2022). The betas follow Optax's convention, the weight of the old average
 * (b = 1 − β of the paper: Optax's 0.98, 0.92, 0.99 are the paper's 0.02, 0.08, 0.01). All three
 * averages are bias-corrected, and the weights decay as γλθ added to the update (Optax's code;
 * its docstring shows the paper's proximal θ/(1 + γλ)). State: 4 × params (m, v, n, g_prev).
 * One pass per step.
 */
export class Adan extends Optimizer<AdanGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: AdanOptions = {},
  ) {
    super(ADAN_SPEC, resolveParamGroups<AdanGroup>(ADAN_SPEC, params, { ...options }));
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: AdanGroup,
  ): void {
    const [beta1, beta2, beta3] = group.betas;
    const t = state.step;
    const zeros = () => p.backend.zeros(p.shape);
    p.backend.fusedUpdate(
      adanStep,
      {
        param: p.value,
        grad,
        expAvg: this.stateTensor(state, 'expAvg', zeros),
        expAvgDiff: this.stateTensor(state, 'expAvgDiff', zeros),
        expAvgSq: this.stateTensor(state, 'expAvgSq', zeros),
        prevGrad: this.stateTensor(state, 'prevGrad', zeros),
      },
      {
        negLr: -group.lr,
        notFirst: t > 1 ? 1 : 0,
        beta1,
        oneMinusBeta1: 1 - beta1,
        beta2,
        oneMinusBeta2: 1 - beta2,
        beta3,
        oneMinusBeta3: 1 - beta3,
        bc1: 1 - beta1 ** t,
        bc2: 1 - beta2 ** t,
        bc3: 1 - beta3 ** t,
        eps: group.eps,
        epsRoot: group.epsRoot,
        weightDecay: group.weightDecay,
      },
    );
  }
}
