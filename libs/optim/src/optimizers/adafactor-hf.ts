import { defineUpdate, Expr, type FusedProgram, type Parameter, type Tensor } from '@optlab/tensor';
import { Optimizer, type ParameterState } from './optimizer.js';
import {
  resolveParamGroups,
  type OptimizerSpec,
  type ParamGroupBase,
  type ParamGroupInput,
} from './param-groups.js';

/** Options named as in Hugging Face's `transformers.optimization.Adafactor`, camelCased. */
export interface AdafactorHFOptions {
  lr?: number | null;
  eps?: readonly [number, number];
  clipThreshold?: number;
  decayRate?: number;
  beta1?: number | null;
  weightDecay?: number;
  scaleParameter?: boolean;
  relativeStep?: boolean;
  warmupInit?: boolean;
}

export interface AdafactorHFGroup extends ParamGroupBase {
  /** null in relative-step mode (the step size is ρₜ, not a learning rate). */
  lr: number | null;
  eps: [number, number];
  clipThreshold: number;
  decayRate: number;
  beta1: number | null;
  weightDecay: number;
  scaleParameter: boolean;
  relativeStep: boolean;
  warmupInit: boolean;
}

export const ADAFACTOR_HF_SPEC: OptimizerSpec = {
  name: 'AdafactorHF',
  options: [
    {
      name: 'lr',
      kind: 'number',
      default: null,
      min: 0,
      doc: 'External learning rate; null (with relativeStep) uses ρₜ = min(1e-2, 1/√t).',
    },
    {
      name: 'eps',
      kind: 'pair',
      default: [1e-30, 1e-3],
      min: 0,
      exclusiveMin: true,
      doc: 'ε₁ added to g² and ε₂, the floor of RMS(θ) in the relative step size.',
    },
    {
      name: 'clipThreshold',
      kind: 'number',
      default: 1.0,
      min: 0,
      exclusiveMin: true,
      doc: 'Threshold d of update clipping: U ← U / max(1, RMS(U)/d).',
    },
    {
      name: 'decayRate',
      kind: 'number',
      default: -0.8,
      max: 0,
      doc: 'Exponent c of the second-moment decay β̂₂ₜ = 1 − t^c.',
    },
    {
      name: 'beta1',
      kind: 'number',
      default: null,
      min: 0,
      max: 1,
      exclusiveMax: true,
      doc: 'Decay of the first moment; null keeps no first moment (the memory-light default).',
    },
    {
      name: 'weightDecay',
      kind: 'number',
      default: 0,
      min: 0,
      doc: 'Decoupled weight decay scaled by the step size: θ ← θ − αₜλθ.',
    },
    {
      name: 'scaleParameter',
      kind: 'boolean',
      default: true,
      doc: 'Scale the step size by max(ε₂, RMS(θ)) (relative step size).',
    },
    {
      name: 'relativeStep',
      kind: 'boolean',
      default: true,
      doc: 'Use the time-dependent step ρₜ = min(1e-2, 1/√t) instead of lr.',
    },
    {
      name: 'warmupInit',
      kind: 'boolean',
      default: false,
      doc: 'Warm up ρₜ as min(1e-6·t, 1/√t) (needs relativeStep).',
    },
  ],
  check: (g) => {
    if (g.lr !== null && g.relativeStep === true) {
      return {
        option: 'lr',
        message: `Cannot combine manual lr (${String(g.lr)}) and relativeStep=true options`,
      };
    }
    if (g.lr === null && g.relativeStep === false) {
      return { option: 'lr', message: 'lr is required when relativeStep is false' };
    }
    if (g.warmupInit === true && g.relativeStep !== true) {
      return { option: 'warmupInit', message: 'warmupInit=true requires relativeStep=true' };
    }
    return undefined;
  },
};

/** G² + ε₁ (and θ², for RMS(θ)), one pass over the full tensor. */
function prepProgram(withParam: boolean): FusedProgram {
  return defineUpdate<string, string, string>({
    name: withParam ? 'adafactorPrepParam' : 'adafactorPrep',
    inputs: withParam ? ['grad', 'param'] : ['grad'],
    scalars: ['eps1'],
    outputs: withParam ? ['gradSq', 'paramSq'] : ['gradSq'],
    body: (t, s): Record<string, Expr> => {
      const gradSq = t.grad.mul(t.grad).add(s.eps1);
      return withParam ? { gradSq, paramSq: t.param.mul(t.param) } : { gradSq };
    },
  });
}

/** avg ← β·avg + (1 − β)·x (the row and column factors: O(n + m) elements). */
const emaStep = defineUpdate({
  name: 'adafactorEma',
  inputs: ['avg', 'x'],
  scalars: ['beta', 'oneMinusBeta'],
  outputs: ['avg'],
  body: ({ avg, x }, { beta, oneMinusBeta }) => ({ avg: avg.mul(beta).add(x.mul(oneMinusBeta)) }),
});

/** 1/√x, as torch's rsqrt. */
const rsqrt = (x: Expr): Expr => Expr.of(1).div(x.sqrt());

/** U = G / √V̂ with V̂ = R Cᵀ / mean(R) (HF's means; equal to the paper's sums), and U². */
const factoredDirection = defineUpdate({
  name: 'adafactorFactored',
  inputs: ['grad', 'row', 'col', 'rowMean'],
  outputs: ['update', 'updateSq'],
  body: ({ grad, row, col, rowMean }) => {
    const u = rsqrt(row.div(rowMean)).mul(rsqrt(col)).mul(grad);
    return { update: u, updateSq: u.mul(u) };
  },
});

/** Vectors: V ← β̂₂V + (1 − β̂₂)(G² + ε₁);  U = G/√V, and U². */
const vectorDirection = defineUpdate({
  name: 'adafactorVector',
  inputs: ['grad', 'expAvgSq'],
  scalars: ['eps1', 'beta2t', 'oneMinusBeta2t'],
  outputs: ['expAvgSq', 'update', 'updateSq'],
  body: ({ grad, expAvgSq }, { eps1, beta2t, oneMinusBeta2t }) => {
    const v = expAvgSq.mul(beta2t).add(grad.mul(grad).add(eps1).mul(oneMinusBeta2t));
    const u = rsqrt(v).mul(grad);
    return { expAvgSq: v, update: u, updateSq: u.mul(u) };
  },
});

/**
 * αₜ = ρₜ·max(ε₂, RMS(θ));  Û = αₜ·U / max(1, RMS(U)/d);  [m ← β₁m + (1−β₁)Û;  Û ← m]
 * θ ← θ − αₜλθ − Û.  RMS(θ) and RMS(U) come in as 1-element tensors: no readback.
 */
function finalProgram(scaleParameter: boolean, firstMoment: boolean): FusedProgram {
  const inputs = ['param', 'update', 'updateMeanSq'];
  if (scaleParameter) inputs.push('paramMeanSq');
  if (firstMoment) inputs.push('expAvg');
  return defineUpdate<string, string, string>({
    name: `adafactorStep${scaleParameter ? 'Scaled' : ''}${firstMoment ? 'Momentum' : ''}`,
    inputs,
    scalars: ['stepSize', 'eps2', 'clipThreshold', 'beta1', 'oneMinusBeta1', 'weightDecay'],
    outputs: firstMoment ? ['expAvg', 'param'] : ['param'],
    body: (t, s) => {
      const alpha = scaleParameter
        ? s.stepSize.mul(t.paramMeanSq.sqrt().maximum(s.eps2))
        : s.stepSize;
      const clipped = t.update.div(t.updateMeanSq.sqrt().div(s.clipThreshold).maximum(1));
      let step = clipped.mul(alpha);
      const out: Record<string, Expr> = {};
      if (firstMoment) {
        out.expAvg = t.expAvg.mul(s.beta1).add(step.mul(s.oneMinusBeta1));
        step = out.expAvg;
      }
      out.param = t.param.sub(t.param.mul(alpha.mul(s.weightDecay))).sub(step);
      return out;
    },
  });
}

const PREP = prepProgram(false);
const PREP_PARAM = prepProgram(true);
const FINAL = {
  plain: finalProgram(false, false),
  scaled: finalProgram(true, false),
  momentum: finalProgram(false, true),
  scaledMomentum: finalProgram(true, true),
};

/**
 * Adafactor (Shazeer & Stern 2018, "Adafactor: Adaptive Learning Rates with Sublinear Memory
 * Cost", ICML, Algorithm 4 for matrices, Algorithm 5's unfactored form for vectors), with Hugging
 * Face's option names and semantics (`transformers.optimization.Adafactor`). PyTorch's own
 * `torch.optim.Adafactor` (≥ 2.5) differs (lr caps ρₜ, ε₁ after the factors, no beta1) and is
 * `Adafactor` (adafactor.ts).
 *
 * ```
 * β̂₂ₜ ← 1 − t^c                                     (c = decayRate = −0.8)
 * ρₜ ← min(10⁻², 1/√t)  (relativeStep; warmupInit: min(10⁻⁶t, 1/√t); else ρₜ = lr)
 * αₜ ← max(ε₂, RMS(θₜ₋₁))·ρₜ                         (scaleParameter; else ρₜ)
 * rank ≥ 2 (n×m over the last two axes):
 *   R ← β̂₂ₜR + (1 − β̂₂ₜ)·rowmean(G² + ε₁)            (n numbers)
 *   C ← β̂₂ₜC + (1 − β̂₂ₜ)·colmean(G² + ε₁)            (m numbers)
 *   V̂ ← R Cᵀ / mean(R)                               (never stored)
 * vectors:  V̂ ← β̂₂ₜV̂ + (1 − β̂₂ₜ)(G² + ε₁)
 * U ← G/√V̂;  Û ← αₜ·U / max(1, RMS(U)/d)
 * beta1: m ← β₁m + (1 − β₁)Û;  Û ← m
 * θ ← θ − αₜλθ − Û
 * ```
 * State of an n×m matrix: n + m numbers (plus n·m with beta1). Passes over the full tensor per
 * step: matrices 7 (G²+ε₁ with θ², the row mean, the column mean, mean θ², U with U², mean U²,
 * the final update), vectors 5; everything else is O(n + m). RMS(θ) and RMS(U) stay on the
 * device as 1-element tensors.
 */
export class AdafactorHF extends Optimizer<AdafactorHFGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: AdafactorHFOptions = {},
  ) {
    super(
      ADAFACTOR_HF_SPEC,
      resolveParamGroups<AdafactorHFGroup>(ADAFACTOR_HF_SPEC, params, { ...options }),
    );
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: AdafactorHFGroup,
  ): void {
    const be = p.backend;
    const t = state.step;
    const [eps1, eps2] = group.eps;
    const beta2t = 1 - t ** group.decayRate;
    const stepSize = group.relativeStep
      ? Math.min(group.warmupInit ? 1e-6 * t : 1e-2, 1 / Math.sqrt(t))
      : (group.lr as number);
    const rank = p.shape.length;
    let update: Tensor;
    let updateSq: Tensor;
    let paramMeanSq: Tensor | undefined;
    if (rank >= 2) {
      const rowShape = [...p.shape.slice(0, -1), 1];
      const colShape = [...p.shape.slice(0, -2), 1, p.shape[rank - 1]];
      const row = this.stateTensor(state, 'expAvgSqRow', () => be.zeros(rowShape));
      const col = this.stateTensor(state, 'expAvgSqCol', () => be.zeros(colShape));
      const prep = group.scaleParameter
        ? be.fusedUpdate(PREP_PARAM, { grad, param: p.value }, { eps1 })
        : be.fusedUpdate(PREP, { grad }, { eps1 });
      if (prep.paramSq) paramMeanSq = be.mean(prep.paramSq);
      const ema = { beta: beta2t, oneMinusBeta: 1 - beta2t };
      be.fusedUpdate(emaStep, { avg: row, x: be.mean(prep.gradSq, rank - 1, true) }, ema);
      be.fusedUpdate(emaStep, { avg: col, x: be.mean(prep.gradSq, rank - 2, true) }, ema);
      const rowMean = be.mean(row, rank - 2, true);
      ({ update, updateSq } = be.fusedUpdate(factoredDirection, { grad, row, col, rowMean }));
    } else {
      const v = this.stateTensor(state, 'expAvgSq', () => be.zeros(p.shape));
      ({ update, updateSq } = be.fusedUpdate(
        vectorDirection,
        { grad, expAvgSq: v },
        { eps1, beta2t, oneMinusBeta2t: 1 - beta2t },
      ));
      if (group.scaleParameter) paramMeanSq = be.mean(be.square(p.value));
    }
    const firstMoment = group.beta1 !== null;
    const tensors: Record<string, Tensor> = {
      param: p.value,
      update,
      updateMeanSq: be.mean(updateSq),
    };
    if (paramMeanSq) tensors.paramMeanSq = paramMeanSq;
    if (firstMoment) tensors.expAvg = this.stateTensor(state, 'expAvg', () => be.zeros(p.shape));
    const program = paramMeanSq
      ? firstMoment
        ? FINAL.scaledMomentum
        : FINAL.scaled
      : firstMoment
        ? FINAL.momentum
        : FINAL.plain;
    const beta1 = group.beta1 ?? 0;
    be.fusedUpdate(program, tensors, {
      stepSize,
      eps2,
      clipThreshold: group.clipThreshold,
      beta1,
      oneMinusBeta1: 1 - beta1,
      weightDecay: group.weightDecay,
    });
  }
}
