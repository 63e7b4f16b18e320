import type { Expr } from '@optlab/tensor';
import type { OptionInfo } from '@optlab/tensor';

/**
 * Pieces shared by several optimizers: the descriptions of the options they have in common and
 * the gradient PyTorch feeds into every rule (sign for `maximize`, plus L2 weight decay).
 */
export const lrOption = (dflt: number): OptionInfo => ({
  name: 'lr',
  kind: 'number',
  default: dflt,
  min: 0,
  doc: 'Learning rate.',
});

export const betasOption = (dflt: readonly [number, number], doc?: string): OptionInfo => ({
  name: 'betas',
  kind: 'pair',
  default: dflt,
  min: 0,
  max: 1,
  exclusiveMax: true,
  doc: doc ?? 'Decay rates of the first and second moment averages (β₁, β₂).',
});

export const epsOption = (dflt: number, doc?: string): OptionInfo => ({
  name: 'eps',
  kind: 'number',
  default: dflt,
  min: 0,
  exclusiveMin: true,
  doc: doc ?? 'Added to the denominator for numerical stability.',
});

export const weightDecayOption = (dflt: number, doc?: string): OptionInfo => ({
  name: 'weightDecay',
  kind: 'number',
  default: dflt,
  min: 0,
  doc: doc ?? 'L2 penalty: adds weightDecay·θ to the gradient (coupled weight decay).',
});

export const maximizeOption: OptionInfo = {
  name: 'maximize',
  kind: 'boolean',
  default: false,
  doc: 'Maximize the objective instead of minimizing it (the gradient is negated).',
};

export const decoupledWeightDecayOption: OptionInfo = {
  name: 'decoupledWeightDecay',
  kind: 'boolean',
  default: false,
  doc: 'Decay the weights directly, θ ← θ·(1 − lr·weightDecay), as AdamW does, instead of L2.',
};

/**
 * The gradient every rule starts from: g = ±∇ + λθ, with `gradSign` = −1 when maximizing and
 * `l2` = weightDecay (0 when there is none or when it is decoupled).
 */
export function effectiveGrad(param: Expr, grad: Expr, gradSign: Expr, l2: Expr): Expr {
  return grad.mul(gradSign).add(param.mul(l2));
}

/** The host scalars of `effectiveGrad` for a group. */
export function gradScalars(
  maximize: boolean,
  weightDecay: number,
  decoupled = false,
): { gradSign: number; l2: number } {
  return { gradSign: maximize ? -1 : 1, l2: decoupled ? 0 : weightDecay };
}
