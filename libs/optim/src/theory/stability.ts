import { heavyBallFromSgd } from './heavy-ball.js';

/**
 * The edge of stability of PyTorch's SGD on a quadratic: the largest Hessian eigenvalue λ at
 * which the iteration still converges (Cohen et al. 2021, "Gradient Descent on Neural Networks
 * Typically Occurs at the Edge of Stability", whose sharpness rises to this line).
 *
 * - Plain SGD: x⁺ = x − η·λ·x is stable iff |1 − ηλ| < 1, i.e. λ < 2/η.
 * - Heavy ball (heavy-ball.ts: α = η·(1 − d), β = μ): the roots of z² − (1 + β − αλ)·z + β lie
 *   in the unit disc iff 0 < αλ < 2 + 2β (Jury's conditions), i.e. λ < (2 + 2β)/α.
 * - Nesterov (PyTorch: v⁺ = μ·v + g, x⁺ = x − η·(g + μ·v⁺), dampening 0): on λ the pair (x, v)
 *   evolves by [[1 − h(1 + μ), −η·μ²], [λ, μ]], h = ηλ, with trace 1 + μ − h(1 + μ) and
 *   determinant μ(1 − h); Jury's conditions reduce to h < (2 + 2μ)/(1 + 2μ).
 *
 * Adaptive methods (Adam, RMSprop, …) have no such line on the raw Hessian: their preconditioner
 * moves it (Cohen et al. 2022, "Adaptive Gradient Methods at the Edge of Stability"), so they get
 * none rather than a 2/η that does not apply.
 */
export interface StabilityThreshold {
  /** The largest stable eigenvalue. */
  readonly value: number;
  /** How it is computed, as the charts label it: "2/η", "(2+2β)/η", "(2+2β)/(η(1+2β))". */
  readonly rule: string;
}

export interface SgdStepOptions {
  readonly lr: number;
  readonly momentum?: number;
  readonly dampening?: number;
  readonly nesterov?: boolean;
}

/** The threshold of SGD with these options; null when the step is not a positive size. */
export function sgdStabilityThreshold(options: SgdStepOptions): StabilityThreshold | null {
  const { lr, momentum = 0, dampening = 0, nesterov = false } = options;
  if (!(lr > 0) || !Number.isFinite(lr)) return null;
  if (momentum === 0) return { value: 2 / lr, rule: '2/η' };
  if (nesterov) {
    return { value: (2 + 2 * momentum) / (lr * (1 + 2 * momentum)), rule: '(2+2β)/(η(1+2β))' };
  }
  const { alpha, beta } = heavyBallFromSgd({ lr, momentum, dampening });
  if (!(alpha > 0)) return null;
  return {
    value: (2 + 2 * beta) / alpha,
    rule: dampening === 0 ? '(2+2β)/η' : '(2+2β)/(η(1−τ))',
  };
}
