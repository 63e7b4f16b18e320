import {
  defineUpdate,
  type Expr,
  type FusedProgram,
  type Parameter,
  type Tensor,
} from '@optlab/tensor';
import {
  betasOption,
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

export interface AdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}

export interface AdamGroup extends ParamGroup {
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

export const amsgradOption = {
  name: 'amsgrad',
  kind: 'boolean',
  default: false,
  doc: 'Use the maximum of all second-moment averages so far (AMSGrad).',
} as const;

export const ADAM_SPEC: OptimizerSpec = {
  name: 'Adam',
  options: [
    lrOption(1e-3),
    betasOption([0.9, 0.999]),
    epsOption(1e-8),
    weightDecayOption(0),
    amsgradOption,
    maximizeOption,
  ],
};

/**
 * m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  [v̂max ← max(v̂max, v)]
 * θ ← θ·decay − (γ/(1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)
 */
function adamProgram(amsgrad: boolean): FusedProgram {
  const inputs = amsgrad
    ? ['param', 'grad', 'expAvg', 'expAvgSq', 'maxExpAvgSq']
    : ['param', 'grad', 'expAvg', 'expAvgSq'];
  return defineUpdate<string, string, string>({
    name: amsgrad ? 'amsgrad' : 'adam',
    inputs,
    scalars: [
      'decay',
      'gradSign',
      'l2',
      'oneMinusBeta1',
      'beta2',
      'oneMinusBeta2',
      'stepSize',
      'invBc2Sqrt',
      'eps',
    ],
    outputs: amsgrad
      ? ['expAvg', 'expAvgSq', 'maxExpAvgSq', 'param']
      : ['expAvg', 'expAvgSq', 'param'],
    body: (t, s): Record<string, Expr> => {
      const g = effectiveGrad(t.param, t.grad, s.gradSign, s.l2);
      const m = t.expAvg.lerp(g, s.oneMinusBeta1);
      const v = t.expAvgSq.mul(s.beta2).add(g.mul(g).mul(s.oneMinusBeta2));
      // PyTorch's AMSGrad keeps the max of the raw (not bias-corrected) second moment.
      const vMax = amsgrad ? t.maxExpAvgSq.maximum(v) : v;
      // √v̂/√(1−β₂ᵗ) as a product with the host-computed reciprocal: one division per element
      // fewer (the loop is bound by its divisions and square root), within an ulp of PyTorch.
      const denom = vMax.sqrt().mul(s.invBc2Sqrt).add(s.eps);
      const param = t.param.mul(s.decay).sub(m.div(denom).mul(s.stepSize));
      return amsgrad
        ? { expAvg: m, expAvgSq: v, maxExpAvgSq: vMax, param }
        : { expAvg: m, expAvgSq: v, param };
    },
  });
}

const ADAM = adamProgram(false);
const AMSGRAD = adamProgram(true);

/**
 * One Adam step of one parameter, shared by Adam (L2 weight decay) and AdamW (decoupled).
 * Bias corrections are host scalars: no readback, one pass.
 */
export function adamUpdate(
  p: Parameter,
  grad: Tensor,
  state: ParameterState,
  group: AdamGroup,
  stateTensor: (name: string, init: () => Tensor) => Tensor,
  decoupled: boolean,
): void {
  const [beta1, beta2] = group.betas;
  const t = state.step;
  const zeros = () => p.backend.zeros(p.shape);
  const tensors: Record<string, Tensor> = {
    param: p.value,
    grad,
    expAvg: stateTensor('expAvg', zeros),
    expAvgSq: stateTensor('expAvgSq', zeros),
  };
  if (group.amsgrad) tensors.maxExpAvgSq = stateTensor('maxExpAvgSq', zeros);
  p.backend.fusedUpdate(group.amsgrad ? AMSGRAD : ADAM, tensors, {
    decay: decoupled ? 1 - group.lr * group.weightDecay : 1,
    ...gradScalars(group.maximize, group.weightDecay, decoupled),
    oneMinusBeta1: 1 - beta1,
    beta2,
    oneMinusBeta2: 1 - beta2,
    stepSize: group.lr / (1 - beta1 ** t),
    invBc2Sqrt: 1 / Math.sqrt(1 - beta2 ** t),
    eps: group.eps,
  });
}

/**
 * Adam, PyTorch's `torch.optim.Adam` (weight decay as an L2 term of the gradient).
 *
 * ```
 * g ← ∇f(θ) + λθ
 * m ← β₁m + (1 − β₁)g
 * v ← β₂v + (1 − β₂)g²
 * amsgrad: v̂ ← max(v̂, v)  else v̂ ← v
 * θ ← θ − γ/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
 * ```
 * Kingma & Ba (2015), "Adam: A Method for Stochastic Optimization", ICLR; AMSGrad from Reddi,
 * Kale & Kumar (2018), "On the Convergence of Adam and Beyond", ICLR. ε is added after the
 * bias-corrected square root, as in PyTorch (and the paper's Algorithm 1).
 */
export class Adam extends Optimizer<AdamGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: AdamOptions = {},
  ) {
    super(ADAM_SPEC, resolveParamGroups<AdamGroup>(ADAM_SPEC, params, { ...options }));
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: AdamGroup,
  ): void {
    adamUpdate(p, grad, state, group, (n, init) => this.stateTensor(state, n, init), false);
  }
}
