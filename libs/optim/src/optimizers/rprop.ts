import { defineUpdate, where, type Parameter, type Tensor } from '@optlab/tensor';
import { lrOption, maximizeOption } from './common.js';
import { Optimizer, type ParameterState } from './optimizer.js';
import {
  resolveParamGroups,
  type OptimizerSpec,
  type ParamGroup,
  type ParamGroupInput,
} from './param-groups.js';

export interface RpropOptions {
  lr?: number;
  etas?: readonly [number, number];
  stepSizes?: readonly [number, number];
  maximize?: boolean;
}

export interface RpropGroup extends ParamGroup {
  etas: [number, number];
  stepSizes: [number, number];
  maximize: boolean;
}

export const RPROP_SPEC: OptimizerSpec = {
  name: 'Rprop',
  options: [
    lrOption(1e-2),
    {
      name: 'etas',
      kind: 'pair',
      default: [0.5, 1.2],
      min: 0,
      exclusiveMin: true,
      doc: 'Step-size factors (η₋, η₊) when the gradient changes sign / keeps it; 0 < η₋ < 1 < η₊.',
    },
    {
      name: 'stepSizes',
      kind: 'pair',
      default: [1e-6, 50],
      min: 0,
      doc: 'Bounds (min, max) of every coordinate’s step size.',
    },
    maximizeOption,
  ],
  check: (g) => {
    const [minus, plus] = g.etas as [number, number];
    if (!(minus < 1 && 1 < plus)) {
      return { option: 'etas', message: `Invalid eta values: ${minus}, ${plus}` };
    }
    const [lo, hi] = g.stepSizes as [number, number];
    if (!(lo <= hi)) {
      return { option: 'stepSizes', message: `Invalid stepSizes value: [${lo}, ${hi}]` };
    }
    return undefined;
  },
};

/**
 * s ← g·g_prev;  η ← clamp(η · (s > 0 ? η₊ : s < 0 ? η₋ : 1), min, max)
 * g ← 0 where s < 0;  θ ← θ − sign(g)·η;  g_prev ← g
 *
 * The tests use the product itself, not sign(g·g_prev): `where` already asks "> 0", sign(s) > 0
 * exactly when s > 0 (NaN in neither), and −s > 0 exactly when s < 0. Each op costs: the update
 * is compute-bound on the WebAssembly path (f32x4 sign is two compares and two selects), and
 * dropping the sign and sharing one −s took a quarter off the kernel.
 */
const rpropStep = defineUpdate({
  name: 'rprop',
  inputs: ['param', 'grad', 'prev', 'stepSize'],
  scalars: ['gradSign', 'etaMinus', 'etaPlus', 'stepMin', 'stepMax'],
  outputs: ['stepSize', 'param', 'prev'],
  body: ({ param, grad, prev, stepSize }, { gradSign, etaMinus, etaPlus, stepMin, stepMax }) => {
    const g = grad.mul(gradSign);
    const s = g.mul(prev);
    const signChanged = s.neg(); // > 0 where g·g_prev < 0
    const factor = where(s, etaPlus, where(signChanged, etaMinus, 1));
    const size = stepSize.mul(factor).maximum(stepMin).minimum(stepMax);
    const kept = where(signChanged, 0, g);
    return { stepSize: size, param: param.sub(kept.sign().mul(size)), prev: kept };
  },
});

/**
 * Resilient backpropagation, PyTorch's `torch.optim.Rprop`.
 *
 * ```
 * g ← ∇f(θ) (−∇f when maximize);  η starts at lr in every coordinate, g_prev at 0
 * η ← clamp(η·η₊, min, max) where g·g_prev > 0;  clamp(η·η₋, ...) where < 0; η where = 0
 * g ← 0 where g·g_prev < 0 (no move after a sign change)
 * θ ← θ − sign(g)·η;   g_prev ← g
 * ```
 * Riedmiller & Braun (1993), "A Direct Adaptive Method for Faster Backpropagation Learning: The
 * RPROP Algorithm", ICNN. Full-batch by design: only the gradient's sign is used. One pass.
 * torch 1.13 marks "sign changed" by comparing the factor to η₋; the program tests the sign
 * itself, the same thing because η₋ < 1 < η₊ is enforced.
 */
export class Rprop extends Optimizer<RpropGroup> {
  constructor(
    params: readonly Parameter[] | readonly ParamGroupInput[],
    options: RpropOptions = {},
  ) {
    super(RPROP_SPEC, resolveParamGroups<RpropGroup>(RPROP_SPEC, params, { ...options }));
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: RpropGroup,
  ): void {
    const be = p.backend;
    const [etaMinus, etaPlus] = group.etas;
    const [stepMin, stepMax] = group.stepSizes;
    be.fusedUpdate(
      rpropStep,
      {
        param: p.value,
        grad,
        prev: this.stateTensor(state, 'prev', () => be.zeros(p.shape)),
        // torch fills the step sizes with the group's lr when the state is created.
        stepSize: this.stateTensor(state, 'stepSize', () => be.full(p.shape, group.lr)),
      },
      { gradSign: group.maximize ? -1 : 1, etaMinus, etaPlus, stepMin, stepMax },
    );
  }
}
