import { defineUpdate, where, type Parameter, type Tensor } from '@optlab/tensor';
import type { ParameterState } from './optimizer.js';
import { Optimizer } from './optimizer.js';
import type { OptimizerSpec, ParamGroup, ParamGroupInput } from './param-groups.js';
import { resolveParamGroups } from './param-groups.js';
import {
  effectiveGrad,
  gradScalars,
  lrOption,
  maximizeOption,
  weightDecayOption,
} from './common.js';

export interface SGDOptions {
  lr?: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  maximize?: boolean;
}

export interface SGDGroup extends ParamGroup {
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

export const SGD_SPEC: OptimizerSpec = {
  name: 'SGD',
  options: [
    lrOption(1e-3),
    { name: 'momentum', kind: 'number', default: 0, min: 0, doc: 'Momentum factor μ.' },
    { name: 'dampening', kind: 'number', default: 0, min: 0, doc: 'Dampening τ of the momentum.' },
    weightDecayOption(0),
    { name: 'nesterov', kind: 'boolean', default: false, doc: 'Nesterov momentum.' },
    maximizeOption,
  ],
  check: (g) => {
    if (g.nesterov === true && ((g.momentum as number) <= 0 || g.dampening !== 0)) {
      return {
        option: 'nesterov',
        message: `Nesterov momentum requires a momentum and zero dampening (momentum: ${String(g.momentum)}, dampening: ${String(g.dampening)})`,
      };
    }
    return undefined;
  },
};

/** θ ← θ − γ·g */
const plainStep = defineUpdate({
  name: 'sgd',
  inputs: ['param', 'grad'],
  scalars: ['lr', 'gradSign', 'l2'],
  outputs: ['param'],
  body: ({ param, grad }, { lr, gradSign, l2 }) => ({
    param: param.sub(effectiveGrad(param, grad, gradSign, l2).mul(lr)),
  }),
});

/** b ← μb + (1 − τ)g (b ← g at the first step); θ ← θ − γ·(nesterov ? g + μb : b) */
const momentumStep = defineUpdate({
  name: 'sgdMomentum',
  inputs: ['param', 'grad', 'buf'],
  scalars: ['lr', 'gradSign', 'l2', 'momentum', 'gradScale', 'nesterov'],
  outputs: ['buf', 'param'],
  body: ({ param, grad, buf }, { lr, gradSign, l2, momentum, gradScale, nesterov }) => {
    const g = effectiveGrad(param, grad, gradSign, l2);
    const b = buf.mul(momentum).add(g.mul(gradScale));
    const direction = where(nesterov, g.add(b.mul(momentum)), b);
    return { buf: b, param: param.sub(direction.mul(lr)) };
  },
});

/**
 * Stochastic gradient descent with momentum, PyTorch's `torch.optim.SGD`.
 *
 * ```
 * g ← ∇f(θ) (−∇f when maximize) + λθ
 * if μ ≠ 0:  b ← g at the first step, else b ← μb + (1 − τ)g
 *            g ← g + μb (nesterov)  or  g ← b
 * θ ← θ − γg
 * ```
 * Momentum from Polyak (1964), "Some methods of speeding up the convergence of iteration methods";
 * the Nesterov form from Sutskever et al. (2013), "On the importance of initialization and
 * momentum in deep learning". Note PyTorch's form scales the whole buffer by γ at each step; the
 * velocity form v ← μv − γg, θ ← θ + v equals it only while γ is constant (see the README).
 */
export class SGD extends Optimizer<SGDGroup> {
  constructor(params: readonly Parameter[] | readonly ParamGroupInput[], options: SGDOptions = {}) {
    super(SGD_SPEC, resolveParamGroups<SGDGroup>(SGD_SPEC, params, { ...options }));
  }

  protected override updateParameter(
    p: Parameter,
    grad: Tensor,
    state: ParameterState,
    group: SGDGroup,
  ): void {
    const { lr, momentum, dampening, nesterov } = group;
    const { gradSign, l2 } = gradScalars(group.maximize, group.weightDecay);
    const be = p.backend;
    if (momentum === 0) {
      be.fusedUpdate(plainStep, { param: p.value, grad }, { lr, gradSign, l2 });
      return;
    }
    // A zero buffer with gradScale 1 makes the first step's b exactly g, as PyTorch's clone.
    const first = state.tensors.momentumBuffer === undefined;
    const buf = this.stateTensor(state, 'momentumBuffer', () => be.zeros(p.shape));
    be.fusedUpdate(
      momentumStep,
      { param: p.value, grad, buf },
      {
        lr,
        gradSign,
        l2,
        momentum,
        gradScale: first ? 1 : 1 - dampening,
        nesterov: nesterov ? 1 : 0,
      },
    );
  }
}
