import { defineUpdate, where, type Parameter, type Tensor } from '@optlab/tensor';
import { nonNegativeEpsOption } from './adaptive-options.js';
import { lrOption } from './common.js';
import { Optimizer, type ParameterState } from './optimizer.js';
import {
  resolveParamGroups,
  type OptimizerSpec,
  type ParamGroup,
  type ParamGroupInput,
} from './param-groups.js';
import { squaredNorms, trustRatio } from './trust-ratio.js';

export interface LARSOptions {
  lr?: number;
  weightDecay?: number;
  trustCoefficient?: number;
  eps?: number;
  momentum?: number;
  nesterov?: boolean;
}

export interface LARSGroup extends ParamGroup {
  weightDecay: number;
  trustCoefficient: number;
  eps: number;
  momentum: number;
  nesterov: boolean;
}

export const LARS_SPEC: OptimizerSpec = {
  name: 'LARS',
  options: [
    lrOption(1.0),
    {
      name: 'weightDecay',
      kind: 'number',
      default: 0,
      min: 0,
      doc: 'Added to the gradient before the trust ratio: d ← g + weightDecay·θ.',
    },
    {
      name: 'trustCoefficient',
      kind: 'number',
      default: 0.001,
      min: 0,
      doc: 'Multiplies the trust ratio ‖θ‖/(‖d‖ + ε).',
    },
    nonNegativeEpsOption(0, 'Added to ‖d‖ in the trust ratio’s denominator.'),
    {
      name: 'momentum',
      kind: 'number',
      default: 0.9,
      min: 0,
      doc: 'Decay μ of the trace of past updates: T ← u + μT.',
    },
    { name: 'nesterov', kind: 'boolean', default: false, doc: 'Nesterov momentum: step u + μT.' },
  ],
};

/** ‖d‖² and ‖θ‖² as squares to sum, d = g + λθ (one pass; d itself is recomputed later). */
const larsSquares = defineUpdate({
  name: 'larsSquares',
  inputs: ['param', 'grad'],
  scalars: ['weightDecay'],
  outputs: ['updateSq', 'paramSq'],
  body: ({ param, grad }, { weightDecay }) => {
    const d = grad.add(param.mul(weightDecay));
    return { updateSq: d.mul(d), paramSq: param.mul(param) };
  },
});

/**
 * u = −γ·r·d;  T ← u + μT;  θ ← θ + (nesterov ? u + μT : T). The trace is kept with Optax's
 * sign and its learning rate inside, as `optax.trace` does after `scale_by_learning_rate`.
 */
const larsStep = defineUpdate({
  name: 'larsStep',
  inputs: ['param', 'grad', 'trace', 'paramNormSq', 'updateNormSq'],
  scalars: ['negLr', 'weightDecay', 'trustCoefficient', 'eps', 'momentum', 'nesterov'],
  outputs: ['trace', 'param'],
  body: ({ param, grad, trace, paramNormSq, updateNormSq }, s) => {
    const d = grad.add(param.mul(s.weightDecay));
    const ratio = trustRatio(paramNormSq, updateNormSq, s.trustCoefficient, s.eps);
    const u = d.mul(ratio).mul(s.negLr);
    const next = u.add(trace.mul(s.momentum));
    const step = where(s.nesterov, u.add(next.mul(s.momentum)), next);
    return { trace: next, param: param.add(step) };
  },
});

/**
 * LARS, as Optax's `lars` (`chain(add_decayed_weights, scale_by_trust_ratio,
 * scale_by_learning_rate, trace)`); PyTorch has none.
 *
 * ```
 * d ← g + λθ
 * r ← c·‖θ‖/(‖d‖ + ε)   (r ← 1 where ‖θ‖ = 0 or ‖d‖ = 0)
 * u ← −γ·r·d
 * T ← u + μT
 * θ ← θ + T          (nesterov: θ ← θ + u + μT)
 * ```
 * You, Gitman & Ginsburg (2017), "Large Batch Training of Convolutional Networks",
 * arXiv:1708.03888. The momentum trace holds γ-scaled updates (the learning rate enters before
 * the momentum, as in Optax), so a schedule's new γ applies to new gradients only. Optax's masks
 * default to "every parameter" and are not options here (parameter groups can give a bias
 * `weightDecay: 0`). Norms are per parameter tensor, on the device: four passes per step.
 */
export class LARS extends Optimizer<LARSGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: LARSOptions = {},
  ) {
    super(LARS_SPEC, resolveParamGroups<LARSGroup>(LARS_SPEC, params, { ...options }));
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: LARSGroup,
  ): void {
    const be = p.backend;
    const trace = this.stateTensor(state, 'trace', () => be.zeros(p.shape));
    const squares = be.fusedUpdate(
      larsSquares,
      { param: p.value, grad },
      { weightDecay: group.weightDecay },
    );
    be.fusedUpdate(
      larsStep,
      { param: p.value, grad, trace, ...squaredNorms(be, squares) },
      {
        negLr: -group.lr,
        weightDecay: group.weightDecay,
        trustCoefficient: group.trustCoefficient,
        eps: group.eps,
        momentum: group.momentum,
        nesterov: group.nesterov ? 1 : 0,
      },
    );
  }
}
