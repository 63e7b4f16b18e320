import {
  defineUpdate,
  keep,
  tidy,
  where,
  type Backend,
  type FusedProgram,
  type Parameter,
  type Tensor,
} from '@optlab/tensor';
import { betasOption, epsOption, lrOption } from './common.js';
import { Optimizer, type OptimizerStateDict, type ParameterState } from './optimizer.js';
import {
  resolveParamGroups,
  type OptimizerSpec,
  type ParamGroup,
  type ParamGroupInput,
} from './param-groups.js';

export interface ProdigyOptions {
  lr?: number;
  betas?: readonly [number, number];
  beta3?: number | null;
  eps?: number;
  weightDecay?: number;
  decouple?: boolean;
  useBiasCorrection?: boolean;
  safeguardWarmup?: boolean;
  d0?: number;
  dCoef?: number;
  growthRate?: number | null;
}

export interface ProdigyGroup extends ParamGroup {
  betas: [number, number];
  beta3: number | null;
  eps: number;
  weightDecay: number;
  decouple: boolean;
  useBiasCorrection: boolean;
  safeguardWarmup: boolean;
  d0: number;
  dCoef: number;
  growthRate: number | null;
  /** Steps taken with a positive learning rate (the reference's `k`). */
  k: number;
}

export const PRODIGY_SPEC: OptimizerSpec = {
  name: 'Prodigy',
  options: [
    lrOption(1.0),
    betasOption([0.9, 0.999]),
    {
      name: 'beta3',
      kind: 'number',
      default: null,
      min: 0,
      max: 1,
      doc: 'Decay of the d-estimate sums (numerator and s); null uses √β₂.',
    },
    epsOption(1e-8, 'Added to √v, scaled by d: denominator √v + d·ε.'),
    {
      name: 'weightDecay',
      kind: 'number',
      default: 0,
      min: 0,
      doc: 'Weight decay: decoupled (θ ← θ − λ·d·lr·θ) or, with decouple false, L2 on the gradient.',
    },
    {
      name: 'decouple',
      kind: 'boolean',
      default: true,
      doc: 'AdamW-style decoupled weight decay (true) or an L2 term in the gradient (false).',
    },
    {
      name: 'useBiasCorrection',
      kind: 'boolean',
      default: false,
      doc: "Scale the step by Adam's bias correction √(1 − β₂ᵏ⁺¹)/(1 − β₁ᵏ⁺¹).",
    },
    {
      name: 'safeguardWarmup',
      kind: 'boolean',
      default: false,
      doc: 'Leave lr out of the d-estimate denominator (for lr warmup schedules).',
    },
    {
      name: 'd0',
      kind: 'number',
      default: 1e-6,
      min: 0,
      exclusiveMin: true,
      doc: 'Initial estimate of d, the distance to the solution; rarely needs changing.',
    },
    {
      name: 'dCoef',
      kind: 'number',
      default: 1.0,
      min: 0,
      exclusiveMin: true,
      doc: 'Multiplies the d estimate; the preferred knob (0.5 or 2 often work too).',
    },
    {
      name: 'growthRate',
      kind: 'number',
      default: null,
      min: 0,
      exclusiveMin: true,
      doc: 'Largest factor d may grow by per step; null is unbounded (the reference’s inf).',
    },
  ],
};

/**
 * The first pass over a parameter (g = ∇ + λθ with coupled decay):
 *   m ← β₁m + d(1−β₁)g;  v ← β₂v + d²(1−β₂)g²;  s ← β₃s + d²·sScale·g
 * and two per-element terms to sum: (d/d₀)·dlr·g·(θ₀ − θ) and |s|.
 * dlr = d·lrBc, so (d/d₀)·dlr = d²·lrBc/d₀ and sScale is lrBc/d₀ (1/d₀ with safeguardWarmup).
 */
function accumulateProgram(firstMoment: boolean): FusedProgram {
  return defineUpdate<string, string, string>({
    name: firstMoment ? 'prodigyAccumulate' : 'prodigyAccumulateNoMomentum',
    inputs: firstMoment
      ? ['param', 'grad', 'drift', 'expAvg', 'expAvgSq', 's', 'd']
      : ['param', 'grad', 'drift', 'expAvgSq', 's', 'd'],
    scalars: [
      'l2',
      'beta1',
      'oneMinusBeta1',
      'beta2',
      'oneMinusBeta2',
      'beta3',
      'numScale',
      'sScale',
    ],
    outputs: firstMoment
      ? ['expAvg', 'expAvgSq', 's', 'numeratorTerm', 'absS']
      : ['expAvgSq', 's', 'numeratorTerm', 'absS'],
    body: (t, c) => {
      const g = t.grad.add(t.param.mul(c.l2));
      const d2 = t.d.mul(t.d);
      const s = t.s.mul(c.beta3).add(g.mul(d2.mul(c.sScale)));
      const out = {
        expAvgSq: t.expAvgSq.mul(c.beta2).add(g.mul(g).mul(d2.mul(c.oneMinusBeta2))),
        s,
        numeratorTerm: g.mul(t.drift).mul(d2.mul(c.numScale)),
        absS: s.abs(),
      };
      return firstMoment
        ? { ...out, expAvg: t.expAvg.mul(c.beta1).add(g.mul(t.d.mul(c.oneMinusBeta1))) }
        : out;
    },
  });
}

const ACCUMULATE = accumulateProgram(true);
const ACCUMULATE_NO_MOMENTUM = accumulateProgram(false);

/**
 * The new estimate from the global sums (one-element tensors), as prodigy.py L210-240:
 *   numerator ← β₃·numerator + Σ(d/d₀)·dlr·g·(θ₀ − θ);  d̂ = dCoef·numerator / Σ|s|
 *   d ← max(d, d̂) while d = d₀;  dMax ← max(dMax, d̂);  d ← min(dMax, d·growthRate)
 * When Σ|s| = 0 (no gradient so far) nothing changes: the reference returns early there.
 * `d` is written to a new tensor (`dNext`): the parameter step still needs the old d.
 */
const estimate = defineUpdate({
  name: 'prodigyEstimate',
  inputs: ['d', 'dMax', 'dNumerator', 'dHat', 'dDenom', 'numeratorSum', 'denomSum'],
  scalars: ['beta3', 'dCoef', 'd0', 'growthRate', 'limitGrowth'],
  outputs: ['dNext', 'dMax', 'dNumerator', 'dHat', 'dDenom'],
  body: (t, c) => {
    const active = t.denomSum;
    const numerator = t.dNumerator.mul(c.beta3).add(t.numeratorSum);
    const dHat = numerator.mul(c.dCoef).div(t.denomSum);
    const atStart = where(t.d.sub(c.d0).abs(), 0, 1);
    const d = where(atStart, t.d.maximum(dHat), t.d);
    const dMax = t.dMax.maximum(dHat);
    const dNext = where(c.limitGrowth, dMax.minimum(d.mul(c.growthRate)), dMax);
    return {
      dNext: where(active, dNext, t.d),
      dMax: where(active, dMax, t.dMax),
      dNumerator: where(active, numerator, t.dNumerator),
      dHat: where(active, dHat, t.dHat),
      dDenom: where(active, t.denomSum, t.dDenom),
    };
  },
});

/**
 * The step, with the old d (in dlr) and the new d (in the denominator), as L257-268:
 *   θ ← θ − λ·dlr·θ (decoupled);  θ ← θ − dlr·m/(√v + d·ε)   (β₁ = 0: − dlr·d·g/(√v + d·ε))
 * No step when Σ|s| = 0.
 */
function stepProgram(firstMoment: boolean): FusedProgram {
  return defineUpdate<string, string, string>({
    name: firstMoment ? 'prodigyStep' : 'prodigyStepNoMomentum',
    inputs: firstMoment
      ? ['param', 'drift', 'expAvg', 'expAvgSq', 'dPrev', 'd', 'denomSum']
      : ['param', 'drift', 'grad', 'expAvgSq', 'dPrev', 'd', 'denomSum'],
    scalars: ['lrBc', 'decay', 'l2', 'eps'],
    outputs: ['drift', 'param'],
    body: (t, c) => {
      const dlr = t.dPrev.mul(c.lrBc);
      const denom = t.expAvgSq.sqrt().add(t.d.mul(c.eps));
      // With coupled decay the reference adds λθ to the gradient in place (L164), so the
      // β₁ = 0 step uses that gradient; with decoupled decay l2 is 0.
      const direction = firstMoment ? t.expAvg : t.grad.add(t.param.mul(c.l2)).mul(t.d);
      const decay = t.param.mul(dlr.mul(c.decay));
      const move = direction.div(denom).mul(dlr);
      // θ₀ − θ grows by exactly what is subtracted from θ; adding those amounts (rather than
      // θ − θ_next, which cancels in float32 arithmetic) keeps it accurate on every backend.
      return {
        drift: where(t.denomSum, t.drift.add(decay).add(move), t.drift),
        param: where(t.denomSum, t.param.sub(decay).sub(move), t.param),
      };
    },
  });
}

const STEP = stepProgram(true);
const STEP_NO_MOMENTUM = stepProgram(false);

/** The global d-estimate state, one-element tensors on the parameters' backend. */
interface Estimate {
  d: Tensor;
  dMax: Tensor;
  dNumerator: Tensor;
  dHat: Tensor;
  dDenom: Tensor;
}

const ESTIMATE_KEYS = ['d', 'dMax', 'dNumerator', 'dHat', 'dDenom'] as const;

/** The d estimate and its parts, read back to the host. */
export type ProdigyEstimate = Record<(typeof ESTIMATE_KEYS)[number], number>;

/**
 * Prodigy, from konstmish/prodigy (`prodigyopt.Prodigy`): Adam whose step size d is estimated
 * from the gradients (D-Adaptation with Prodigy's weighting), so lr stays at 1.
 *
 * ```
 * dlr = d·lr·bc   (bc = √(1−β₂ᵏ⁺¹)/(1−β₁ᵏ⁺¹) with useBiasCorrection, else 1)
 * per parameter:  m ← β₁m + d(1−β₁)g;  v ← β₂v + d²(1−β₂)g²
 *                 s ← β₃s + (d/d₀)·dlr·g   ((d/d₀)·d with safeguardWarmup)
 * over all:       r ← β₃r + Σ (d/d₀)·dlr·⟨g, θ₀ − θ⟩;  d̂ = dCoef·r / Σ‖s‖₁
 *                 dMax ← max(dMax, d̂);  d ← min(dMax, d·growthRate)   (first step: d ← max(d, d̂))
 * per parameter:  θ ← θ − λ·dlr·θ;  θ ← θ − dlr·m / (√v + d·ε)
 * ```
 * Mishchenko & Defazio (2024), "Prodigy: An Expeditiously Adaptive Parameter-Free Learner", ICML.
 *
 * The d estimate needs two sums over every parameter before any parameter can step. The
 * reference reads them back per parameter (`.item()`, twice); here they stay on the device as
 * one-element tensors (d, dMax, the numerator, d̂, Σ‖s‖₁) that the fused programs read, so a step
 * reads nothing back. Per parameter and step: 2 fused passes (accumulate, step) and 2 reductions
 * (Σ numerator terms, Σ|s|), plus 2 one-element additions to the global sums; per step one
 * one-element fused update of the estimate. `estimate()` / `estimateAsync()` read d back (for
 * plots), as does `stateDict()`, which stores it in every group like the reference (`d`, `dMax`,
 * `dNumerator`, `dHat`, `dDenom`, `k`).
 *
 * As in the reference: β₁, β₂, β₃, useBiasCorrection, dCoef, growthRate and decouple are read
 * from the first group; the lr used is the largest group lr, and every group's lr must be it or
 * 0 (a group at 0 takes no part in the estimate but still steps with the global dlr); the
 * d = d₀ test uses the last group's d₀. The reference's `fsdp_in_use` and `slice_p` are not
 * offered (no sharding; every entry counts, slice_p = 1). One difference: when every gradient
 * so far was exactly zero the reference skips the step without counting it in k; here the
 * parameters are left unchanged the same way but k (which only matters with useBiasCorrection)
 * counts the step, since that test is on the device.
 */
export class Prodigy extends Optimizer<ProdigyGroup> {
  #estimate: Estimate | null = null;

  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: ProdigyOptions = {},
  ) {
    const groups = resolveParamGroups<ProdigyGroup>(PRODIGY_SPEC, params, { ...options });
    for (const g of groups) g.k = 0;
    super(PRODIGY_SPEC, groups);
  }

  override step(): void {
    const groups = this.paramGroups;
    const first = groups[0];
    const lr = Math.max(...groups.map((g) => g.lr));
    groups.forEach((g, i) => {
      if (g.lr !== lr && g.lr !== 0) {
        throw new Error(
          `Prodigy: parameter group ${i} has lr ${g.lr} but another has ${lr}; groups may differ ` +
            'in lr only by setting it to 0 (Prodigy estimates one step size for all groups)',
        );
      }
    });
    const active: [Parameter, Tensor, ParameterState, ProdigyGroup][] = [];
    for (const group of groups) {
      for (const p of group.params) {
        const grad = p.grad;
        if (grad === null) continue;
        active.push([p, grad, this.initState(p), group]);
      }
    }
    // lr = 0 everywhere: no sums, so the reference returns before anything else (L191, L214).
    if (active.length === 0 || lr === 0) return;
    const be = active[0][0].backend;
    const est = this.estimateState(be, first.d0);
    const [beta1, beta2] = first.betas;
    const beta3 = first.beta3 ?? Math.sqrt(beta2);
    const k = first.k;
    const bc = first.useBiasCorrection
      ? Math.sqrt(1 - beta2 ** (k + 1)) / (1 - beta1 ** (k + 1))
      : 1;
    const lrBc = lr * bc;
    const firstMoment = beta1 > 0;
    const last = groups[groups.length - 1];
    // The d = d₀ test is exact equality: compare with d₀ rounded as the backend stored it.
    const d0Stored = be.dtype === 'float32' ? Math.fround(last.d0) : last.d0;

    const stepped = tidy(() => {
      let numeratorSum: Tensor | null = null;
      let denomSum: Tensor | null = null;
      for (const [p, grad, state, group] of active) {
        if (group.lr === 0) continue;
        const l2 = first.decouple ? 0 : group.weightDecay;
        const tensors: Record<string, Tensor> = {
          param: p.value,
          grad,
          drift: state.tensors.drift,
          expAvgSq: state.tensors.expAvgSq,
          s: state.tensors.s,
          d: est.d,
        };
        if (firstMoment)
          tensors.expAvg = this.stateTensor(state, 'expAvg', () => be.zeros(p.shape));
        const { numeratorTerm, absS } = be.fusedUpdate(
          firstMoment ? ACCUMULATE : ACCUMULATE_NO_MOMENTUM,
          tensors,
          {
            l2,
            beta1,
            oneMinusBeta1: 1 - beta1,
            beta2,
            oneMinusBeta2: 1 - beta2,
            beta3,
            numScale: lrBc / group.d0,
            sScale: (group.safeguardWarmup ? 1 : lrBc) / group.d0,
          },
        );
        const num = be.sum(numeratorTerm);
        const den = be.sum(absS);
        numeratorSum = numeratorSum === null ? num : be.add(numeratorSum, num);
        denomSum = denomSum === null ? den : be.add(denomSum, den);
      }
      // Only groups at lr 0 have gradients: no sums, the reference's early return (L214).
      if (numeratorSum === null || denomSum === null) return false;
      const sums = { numeratorSum, denomSum };
      const growth = first.growthRate;
      const { dNext } = be.fusedUpdate(
        estimate,
        { ...est, ...sums },
        {
          beta3,
          dCoef: first.dCoef,
          d0: d0Stored,
          growthRate: growth ?? 1,
          limitGrowth: growth === null ? 0 : 1,
        },
      );
      for (const [p, grad, state, group] of active) {
        state.step += 1;
        const l2 = first.decouple ? 0 : group.weightDecay;
        const tensors: Record<string, Tensor> = {
          param: p.value,
          drift: state.tensors.drift,
          expAvgSq: state.tensors.expAvgSq,
          dPrev: est.d,
          d: dNext,
          denomSum: sums.denomSum,
        };
        if (firstMoment) {
          tensors.expAvg = this.stateTensor(state, 'expAvg', () => be.zeros(p.shape));
        } else tensors.grad = grad;
        be.fusedUpdate(firstMoment ? STEP : STEP_NO_MOMENTUM, tensors, {
          lrBc,
          decay: first.decouple ? group.weightDecay : 0,
          l2,
          eps: group.eps,
        });
      }
      est.d.dispose();
      est.d = keep(dNext);
      return true;
    });
    if (stepped) for (const g of groups) g.k += 1;
  }

  /** State at a parameter's first step with a gradient (L169-184): θ₀, v, s (m when β₁ > 0). */
  private initState(p: Parameter): ParameterState {
    let state = this.state.get(p);
    if (state === undefined) {
      state = { step: 0, tensors: {}, values: {} };
      this.state.set(p, state);
      const s = state;
      const be = p.backend;
      this.stateTensor(s, 'drift', () => be.zeros(p.shape));
      this.stateTensor(s, 'expAvgSq', () => be.zeros(p.shape));
      this.stateTensor(s, 's', () => be.zeros(p.shape));
      if (this.paramGroups[0].betas[0] > 0) this.stateTensor(s, 'expAvg', () => be.zeros(p.shape));
    }
    return state;
  }

  private estimateState(be: Backend, d0: number): Estimate {
    if (this.#estimate === null) {
      const one = (v: number) => keep(be.tensor([v], [1]));
      this.#estimate = {
        d: one(d0),
        dMax: one(d0),
        dNumerator: one(0),
        dHat: one(d0),
        dDenom: one(0),
      };
    }
    return this.#estimate;
  }

  /** The d estimate and its parts (synchronous readback); d₀ of the first group before any step. */
  estimate(): ProdigyEstimate {
    return this.readEstimate((t) => t.dataSync()[0]);
  }

  /** `estimate()` with an asynchronous readback, for backends that cannot read synchronously. */
  async estimateAsync(): Promise<ProdigyEstimate> {
    if (this.#estimate === null) return this.readEstimate(() => 0);
    const est = this.#estimate;
    const values = await Promise.all(ESTIMATE_KEYS.map((key) => est[key].data()));
    const byTensor = new Map(ESTIMATE_KEYS.map((key, i) => [est[key], values[i][0]]));
    return this.readEstimate((t) => byTensor.get(t)!);
  }

  private readEstimate(read: (t: Tensor) => number): ProdigyEstimate {
    const est = this.#estimate;
    if (est === null) {
      const d0 = this.paramGroups[0].d0;
      return { d: d0, dMax: d0, dNumerator: 0, dHat: d0, dDenom: 0 };
    }
    return Object.fromEntries(ESTIMATE_KEYS.map((key) => [key, read(est[key])])) as ProdigyEstimate;
  }

  protected override *allStateTensors(): Iterable<Tensor> {
    yield* super.allStateTensors();
    if (this.#estimate) yield* ESTIMATE_KEYS.map((key) => this.#estimate![key]);
  }

  /** Every group carries the estimate, as the reference's `param_groups` do. */
  protected override serialize(read: (t: Tensor) => number[]): OptimizerStateDict {
    const dict = super.serialize(read);
    const values = this.#estimate
      ? Object.fromEntries(ESTIMATE_KEYS.map((key) => [key, read(this.#estimate![key])[0]]))
      : null;
    if (values) for (const g of dict.paramGroups) Object.assign(g, values);
    return dict;
  }

  override loadStateDict(dict: OptimizerStateDict): void {
    const saved = dict?.paramGroups?.[0];
    const values =
      saved && typeof saved.d === 'number' ? ESTIMATE_KEYS.map((key) => saved[key]) : null;
    if (values && !values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new Error(
        `Prodigy: loadStateDict: the estimate in parameter group 0 (${ESTIMATE_KEYS.join(', ')}) must be finite numbers`,
      );
    }
    super.loadStateDict(dict);
    for (const g of this.paramGroups as Record<string, unknown>[]) {
      for (const key of ESTIMATE_KEYS) delete g[key];
    }
    this.disposeEstimate();
    const p = this.params[0];
    if (values && p) {
      const entries = ESTIMATE_KEYS.map((key, i) => [
        key,
        keep(p.backend.tensor([values[i] as number], [1])),
      ]);
      this.#estimate = Object.fromEntries(entries) as Estimate;
    }
  }

  override dispose(): void {
    super.dispose();
    this.disposeEstimate();
  }

  private disposeEstimate(): void {
    if (this.#estimate) for (const key of ESTIMATE_KEYS) this.#estimate[key].dispose();
    this.#estimate = null;
  }
}
