import {
  defineUpdate,
  type Expr,
  type FusedProgram,
  type Parameter,
  type Tensor,
} from '@optlab/tensor';
import { betas3Option, checkThreeBetas, nonNegativeEpsOption } from './adaptive-options.js';
import { lrOption } from './common.js';
import { Optimizer, type ParameterState } from './optimizer.js';
import {
  resolveParamGroups,
  type OptimizerSpec,
  type ParamGroup,
  type ParamGroupInput,
} from './param-groups.js';

export interface AdEMAMixOptions {
  lr?: number;
  betas?: readonly [number, number, number];
  alpha?: number;
  beta3Warmup?: number | null;
  alphaWarmup?: number | null;
  eps?: number;
  weightDecay?: number;
}

export interface AdEMAMixGroup extends ParamGroup {
  betas: [number, number, number];
  alpha: number;
  beta3Warmup: number | null;
  alphaWarmup: number | null;
  eps: number;
  weightDecay: number;
}

export const ADEMAMIX_SPEC: OptimizerSpec = {
  name: 'AdEMAMix',
  options: [
    lrOption(1e-3),
    betas3Option(
      [0.9, 0.999, 0.9999],
      'Decay rates of the fast average of g, of the average of g² and of the slow average of g (β₁, β₂, β₃).',
    ),
    {
      name: 'alpha',
      kind: 'number',
      default: 2.0,
      min: 0,
      doc: 'Weight α of the slow average in the update (m̂_fast + α·m_slow).',
    },
    {
      name: 'beta3Warmup',
      kind: 'integer',
      default: null,
      min: 0,
      unit: 'steps',
      doc: 'Steps over which β₃ rises from β₁ to its value, linearly in half-life; null: none.',
    },
    {
      name: 'alphaWarmup',
      kind: 'integer',
      default: null,
      min: 0,
      unit: 'steps',
      doc: 'Steps over which α rises linearly from 0 to its value; null: none.',
    },
    nonNegativeEpsOption(1e-8, 'Added to the bias-corrected √v (outside the square root).'),
    {
      name: 'weightDecay',
      kind: 'number',
      default: 0,
      min: 0,
      doc: 'Decoupled weight decay, as AdamW: θ ← θ − γ(u + weightDecay·θ).',
    },
  ],
  check: checkThreeBetas,
};

/**
 * α at a step (counted from 1), the reference's `linear_warmup_scheduler` with alpha_start 0:
 * linear from 0 to `alpha` over `warmup` steps, then `alpha`.
 */
export function ademamixAlphaAt(step: number, alpha: number, warmup: number | null): number {
  if (warmup === null || !(step < warmup)) return alpha;
  // (1 − a)·alpha_start + a·alpha with alpha_start = 0.
  return (step / warmup) * alpha;
}

/**
 * β₃ at a step (counted from 1), the reference's `linear_hl_warmup_scheduler` with beta_start β₁:
 * the half-life f(β) = ln ½ / ln(β + 10⁻⁸) − 1 goes linearly from f(β₁) to f(β₃) over `warmup`
 * steps, and β₃ = ½^(1/(f + 1)).
 */
export function ademamixBeta3At(
  step: number,
  beta3: number,
  beta1: number,
  warmup: number | null,
): number {
  if (warmup === null || !(step < warmup)) return beta3;
  const halfLife = (beta: number) => Math.log(0.5) / Math.log(beta + 1e-8) - 1;
  const a = step / warmup;
  return Math.pow(0.5, 1 / ((1 - a) * halfLife(beta1) + a * halfLife(beta3) + 1));
}

/**
 * m₁ ← β₁m₁ + (1−β₁)g (β₁ = 0: m₁ is g and is not stored);  m₂ ← β₃m₂ + (1−β₃)g;
 * v ← β₂v + (1−β₂)g²;  θ ← θ − γ((m₁/(1−β₁ᵗ) + α·m₂)/(√v/√(1−β₂ᵗ) + ε) + λθ)
 */
function ademamixProgram(fast: boolean): FusedProgram {
  const inputs = ['param', 'grad', 'expAvgSlow', 'expAvgSq'];
  if (fast) inputs.push('expAvgFast');
  return defineUpdate<string, string, string>({
    name: fast ? 'ademamix' : 'ademamixNoFast',
    inputs,
    scalars: [
      'negLr',
      'beta1',
      'oneMinusBeta1',
      'beta2',
      'oneMinusBeta2',
      'beta3',
      'oneMinusBeta3',
      'bc1',
      'sqrtBc2',
      'alpha',
      'eps',
      'weightDecay',
    ],
    outputs: fast
      ? ['expAvgFast', 'expAvgSlow', 'expAvgSq', 'param']
      : ['expAvgSlow', 'expAvgSq', 'param'],
    body: (t, s) => {
      const out: Record<string, Expr> = {};
      let m1 = t.grad;
      if (fast) {
        m1 = t.expAvgFast.mul(s.beta1).add(t.grad.mul(s.oneMinusBeta1));
        out.expAvgFast = m1;
      }
      out.expAvgSlow = t.expAvgSlow.mul(s.beta3).add(t.grad.mul(s.oneMinusBeta3));
      out.expAvgSq = t.expAvgSq.mul(s.beta2).add(t.grad.mul(t.grad).mul(s.oneMinusBeta2));
      const denom = out.expAvgSq.sqrt().div(s.sqrtBc2).add(s.eps);
      const update = m1
        .div(s.bc1)
        .add(out.expAvgSlow.mul(s.alpha))
        .div(denom)
        .add(t.param.mul(s.weightDecay));
      out.param = t.param.add(update.mul(s.negLr));
      return out;
    },
  });
}

const WITH_FAST = ademamixProgram(true);
const WITHOUT_FAST = ademamixProgram(false);

/**
 * AdEMAMix, from apple/ml-ademamix (pytorch/ademamix.py); PyTorch has none.
 *
 * ```
 * m₁ ← β₁m₁ + (1 − β₁)g           (fast EMA)
 * m₂ ← β₃m₂ + (1 − β₃)g           (slow EMA, not bias-corrected)
 * v ← β₂v + (1 − β₂)g²
 * θ ← θ − γ·((m₁/(1 − β₁ᵗ) + α·m₂) / (√v/√(1 − β₂ᵗ) + ε) + λθ)
 * ```
 * with α and β₃ optionally warmed up (`alphaWarmup`, `beta3Warmup`; see `ademamixAlphaAt`,
 * `ademamixBeta3At`). Pagliardini, Ablin & Grangier (2024), "The AdEMAMix Optimizer: Better,
 * Faster, Older", arXiv:2409.03463. State: 3 × params (2 × with β₁ = 0, where the reference
 * keeps no fast average). One pass per step.
 */
export class AdEMAMix extends Optimizer<AdEMAMixGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: AdEMAMixOptions = {},
  ) {
    super(ADEMAMIX_SPEC, resolveParamGroups<AdEMAMixGroup>(ADEMAMIX_SPEC, params, { ...options }));
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: AdEMAMixGroup,
  ): void {
    const [beta1, beta2, beta3Final] = group.betas;
    const t = state.step;
    const alpha = ademamixAlphaAt(t, group.alpha, group.alphaWarmup);
    const beta3 = ademamixBeta3At(t, beta3Final, beta1, group.beta3Warmup);
    const zeros = () => p.backend.zeros(p.shape);
    const fast = beta1 !== 0;
    const tensors: Record<string, Tensor> = {
      param: p.value,
      grad,
      expAvgSlow: this.stateTensor(state, 'expAvgSlow', zeros),
      expAvgSq: this.stateTensor(state, 'expAvgSq', zeros),
    };
    if (fast) tensors.expAvgFast = this.stateTensor(state, 'expAvgFast', zeros);
    p.backend.fusedUpdate(fast ? WITH_FAST : WITHOUT_FAST, tensors, {
      negLr: -group.lr,
      beta1,
      oneMinusBeta1: 1 - beta1,
      beta2,
      oneMinusBeta2: 1 - beta2,
      beta3,
      oneMinusBeta3: 1 - beta3,
      bc1: 1 - beta1 ** t,
      sqrtBc2: Math.sqrt(1 - beta2 ** t),
      alpha,
      eps: group.eps,
      weightDecay: group.weightDecay,
    });
  }
}
