import { defineUpdate, Expr, where, type Parameter, type Tensor } from '@optlab/tensor';
import { lrOption, maximizeOption } from './common.js';
import { Optimizer, type ParameterState } from './optimizer.js';
import {
  movedOptionProblem,
  resolveParamGroups,
  type OptimizerSpec,
  type ParamGroup,
  type ParamGroupInput,
} from './param-groups.js';

/** torch.optim.Adafactor's options (≥ 2.5), camelCased. */
export interface AdafactorOptions {
  lr?: number;
  beta2Decay?: number;
  eps?: readonly [number | null, number];
  d?: number;
  weightDecay?: number;
  maximize?: boolean;
}

export interface AdafactorGroup extends ParamGroup {
  beta2Decay: number;
  eps: [number | null, number];
  d: number;
  weightDecay: number;
  maximize: boolean;
}

/**
 * Options of Hugging Face's Adafactor that torch's lacks. Passed to `Adafactor`, they are
 * refused with a pointer to `AdafactorHF` rather than as unknown names.
 */
export const ADAFACTOR_HF_ONLY_OPTIONS: readonly string[] = [
  'relativeStep',
  'scaleParameter',
  'warmupInit',
  'clipThreshold',
  'decayRate',
  'beta1',
];

export const ADAFACTOR_SPEC: OptimizerSpec = {
  name: 'Adafactor',
  options: [
    lrOption(1e-2),
    {
      name: 'beta2Decay',
      kind: 'number',
      default: -0.8,
      max: 0,
      doc: 'Exponent τ of the second-moment decay: β̂₂ₜ = 1 − t^τ.',
    },
    {
      name: 'eps',
      kind: 'pair',
      // torch's default (None, 1e-3). OptionInfo types pair defaults as numbers, so the null is
      // cast in; validation accepts null wherever the default has one (param-groups.ts). The
      // spec's checks and the lab's forms must accept it too (see the README).
      default: [null, 1e-3] as unknown as readonly number[],
      min: 0,
      doc: 'ε₁ (floor of the variance estimate; null: the dtype’s machine epsilon) and ε₂ (floor of RMS(θ)).',
    },
    {
      name: 'd',
      kind: 'number',
      default: 1.0,
      min: 1,
      doc: 'Clipping threshold: U ← U / max(1, RMS(U)/d).',
    },
    {
      name: 'weightDecay',
      kind: 'number',
      default: 0,
      min: 0,
      doc: 'Decoupled weight decay scaled by lr: θ ← θ(1 − lr·weightDecay).',
    },
    maximizeOption,
  ],
  movedOptions: Object.fromEntries(ADAFACTOR_HF_ONLY_OPTIONS.map((name) => [name, 'AdafactorHF'])),
};

/** Refuses Hugging Face's options by name, pointing to AdafactorHF. */
function refuseHFOptions(where: string, given: object): void {
  for (const key of Object.keys(given)) {
    const problem = movedOptionProblem(ADAFACTOR_SPEC, key);
    if (problem) throw new Error(`Adafactor${where}: ${problem}`);
  }
}

/** torch's `lerp_(end, w)`: self + w(end − self) for |w| < 0.5, else end − (end − self)(1 − w). */
function lerp(self: Expr, end: Expr, w: Expr, oneMinusW: Expr, lowWeight: Expr): Expr {
  return where(lowWeight, self.add(w.mul(end.sub(self))), end.sub(end.sub(self).mul(oneMinusW)));
}

const lerpScalars = ['w', 'oneMinusW', 'lowWeight'] as const;

/** Matrices: G² and θ² (for ‖G‖ over rows and columns and ‖θ‖), one pass. */
const squares = defineUpdate({
  name: 'torchAdafactorSquares',
  inputs: ['grad', 'param'],
  outputs: ['gradSq', 'paramSq'],
  body: ({ grad, param }) => ({ gradSq: grad.mul(grad), paramSq: param.mul(param) }),
});

/** R or C ← lerp(R, ‖G‖²_axis / len, 1 − β̂₂ₜ), from the axis sums of G² (O(n + m)). */
const factorStep = defineUpdate({
  name: 'torchAdafactorFactor',
  inputs: ['avg', 'sumSq'],
  scalars: ['length', ...lerpScalars],
  outputs: ['avg'],
  body: ({ avg, sumSq }, s) => {
    // torch: vector_norm(G, dim).square_().div_(len): the root is taken, then squared.
    const mean = sumSq.sqrt().square().div(s.length);
    return { avg: lerp(avg, mean, s.w, s.oneMinusW, s.lowWeight) };
  },
});

/** U = G · rsqrt(max(R·C / max(mean(R), ε₁), ε₁²)), and U². */
const factoredDirection = defineUpdate({
  name: 'torchAdafactorFactored',
  inputs: ['grad', 'row', 'col', 'rowMean'],
  scalars: ['gradSign', 'eps1', 'eps1Sq'],
  outputs: ['update', 'updateSq'],
  body: ({ grad, row, col, rowMean }, { gradSign, eps1, eps1Sq }) => {
    const v = row.mul(col).div(rowMean.maximum(eps1));
    const u = Expr.of(1).div(v.maximum(eps1Sq).sqrt()).mul(grad.mul(gradSign));
    return { update: u, updateSq: u.mul(u) };
  },
});

/** Vectors: V ← lerp(V, G², 1 − β̂₂ₜ); U = G · rsqrt(max(V, ε₁²)), U², and θ², one pass. */
const vectorDirection = defineUpdate({
  name: 'torchAdafactorVector',
  inputs: ['grad', 'variance', 'param'],
  scalars: ['gradSign', 'eps1Sq', ...lerpScalars],
  outputs: ['variance', 'update', 'updateSq', 'paramSq'],
  body: ({ grad, variance, param }, s) => {
    const g = grad.mul(s.gradSign);
    const v = lerp(variance, g.mul(g), s.w, s.oneMinusW, s.lowWeight);
    const u = Expr.of(1).div(v.maximum(s.eps1Sq).sqrt()).mul(g);
    return { variance: v, update: u, updateSq: u.mul(u), paramSq: param.mul(param) };
  },
});

/**
 * αₜ = max(ε₂, ‖θ‖/√N)·ρₜ;  θ ← θ(1 − lr·λ) − αₜ/max(1, ‖U‖/(√N·d))·U.
 * ‖θ‖² and ‖U‖² arrive as 1-element tensors (no readback).
 */
const finalStep = defineUpdate({
  name: 'torchAdafactorStep',
  inputs: ['param', 'update', 'paramSumSq', 'updateSumSq'],
  scalars: ['rho', 'eps2', 'sqrtNumel', 'sqrtNumelTimesD', 'decay'],
  outputs: ['param'],
  body: ({ param, update, paramSumSq, updateSumSq }, s) => {
    const alpha = paramSumSq.sqrt().div(s.sqrtNumel).maximum(s.eps2).mul(s.rho);
    const denom = updateSumSq.sqrt().div(s.sqrtNumelTimesD).maximum(1);
    return { param: param.mul(s.decay).add(update.mul(alpha.neg().div(denom))) };
  },
});

/**
 * Adafactor with PyTorch's semantics, `torch.optim.Adafactor` (PyTorch ≥ 2.5).
 *
 * ```
 * G ← ∇f(θ) (−∇f when maximize);  1 − β̂₂ₜ = t^τ;  ρₜ = min(lr, 1/√t)
 * αₜ ← max(ε₂, RMS(θₜ₋₁))·ρₜ;   θ ← θ(1 − lr·λ)
 * rank ≥ 2 (over the last two axes):
 *   R ← lerp(R, rowmean(G²), t^τ);  C ← lerp(C, colmean(G²), t^τ)
 *   V̂ ← R·C / max(mean(R), ε₁)
 * vectors:  V̂ ← lerp(V̂, G², t^τ)
 * U ← G / max(√V̂, ε₁);   θ ← θ − αₜ·U / max(1, RMS(U)/d)
 * ```
 * Shazeer & Stern (2018), "Adafactor: Adaptive Learning Rates with Sublinear Memory Cost", ICML,
 * as PyTorch implements it (torch/optim/_adafactor.py): lr caps the relative step ρₜ and scales
 * the weight decay; ε₁ (default: the dtype's machine epsilon) is applied to the estimate, not to
 * G²; no first moment. Hugging Face's variant (relative steps, beta1, clipThreshold) is
 * `AdafactorHF`.
 *
 * Passes over the full tensor per step: a matrix 7 (G² with θ², ‖θ‖², row sums, column sums, U
 * with U², ‖U‖², the update), a vector 4 (V with U, U² and θ², ‖θ‖², ‖U‖², the update); the
 * factors cost O(n + m). Nothing is read back (torch reads ‖θ‖ and ‖U‖ with `.item()`).
 */
export class Adafactor extends Optimizer<AdafactorGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: AdafactorOptions = {},
  ) {
    refuseHFOptions('', options);
    if (Array.isArray(params)) {
      params.forEach((g: unknown, i) => {
        if (g !== null && typeof g === 'object' && !('backend' in g)) {
          refuseHFOptions(` in parameter group ${i}`, g);
        }
      });
    }
    super(
      ADAFACTOR_SPEC,
      resolveParamGroups<AdafactorGroup>(ADAFACTOR_SPEC, params, { ...options }),
    );
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: AdafactorGroup,
  ): void {
    const be = p.backend;
    const t = state.step;
    const [eps1Option, eps2] = group.eps;
    const eps1 = eps1Option ?? (be.dtype === 'float32' ? 2 ** -23 : 2 ** -52);
    const w = t ** group.beta2Decay;
    const lerpArgs = { w, oneMinusW: 1 - w, lowWeight: Math.abs(w) < 0.5 ? 1 : 0 };
    const gradSign = group.maximize ? -1 : 1;
    const rank = p.shape.length;
    let update: Tensor;
    let updateSq: Tensor;
    let paramSq: Tensor;
    if (rank >= 2) {
      const n = p.shape[rank - 2];
      const m = p.shape[rank - 1];
      const rowShape = [...p.shape.slice(0, -1), 1];
      const colShape = [...p.shape.slice(0, -2), 1, m];
      const row = this.stateTensor(state, 'rowVar', () => be.zeros(rowShape));
      const col = this.stateTensor(state, 'colVar', () => be.zeros(colShape));
      const sq = be.fusedUpdate(squares, { grad, param: p.value });
      paramSq = sq.paramSq;
      be.fusedUpdate(
        factorStep,
        { avg: row, sumSq: be.sum(sq.gradSq, rank - 1, true) },
        {
          length: m,
          ...lerpArgs,
        },
      );
      be.fusedUpdate(
        factorStep,
        { avg: col, sumSq: be.sum(sq.gradSq, rank - 2, true) },
        {
          length: n,
          ...lerpArgs,
        },
      );
      const rowMean = be.mean(row, rank - 2, true);
      ({ update, updateSq } = be.fusedUpdate(
        factoredDirection,
        { grad, row, col, rowMean },
        { gradSign, eps1, eps1Sq: eps1 * eps1 },
      ));
    } else {
      const variance = this.stateTensor(state, 'variance', () => be.zeros(p.shape));
      ({ update, updateSq, paramSq } = be.fusedUpdate(
        vectorDirection,
        { grad, variance, param: p.value },
        { gradSign, eps1Sq: eps1 * eps1, ...lerpArgs },
      ));
    }
    const sqrtNumel = p.value.size ** 0.5;
    be.fusedUpdate(
      finalStep,
      {
        param: p.value,
        update,
        paramSumSq: be.sum(paramSq),
        updateSumSq: be.sum(updateSq),
      },
      {
        rho: Math.min(group.lr, 1 / t ** 0.5),
        eps2,
        sqrtNumel,
        sqrtNumelTimesD: sqrtNumel * group.d,
        decay: 1 - group.lr * group.weightDecay,
      },
    );
  }
}
