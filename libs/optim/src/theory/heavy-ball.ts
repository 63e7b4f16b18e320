/**
 * The exact convergence theory of heavy-ball momentum on a quadratic (Polyak 1964; Goh, "Why
 * Momentum Really Works", Distill 2017). Pure numbers, no tensors: the lab draws it, tests check
 * the optimizers against it.
 *
 * Polyak's heavy ball:   x⁺ = x − α·∇f(x) + β·(x − x⁻).
 * PyTorch's SGD (dampening 0, nesterov false):  v⁺ = μ·v + g,  x⁺ = x − lr·v⁺.
 * Subtracting x from x⁺: x⁺ − x = −lr·(μ·v + g) = μ·(x − x⁻) − lr·g, which is Polyak's step with
 * α = lr and β = μ — exactly, with a constant lr. (The mapping would not be the identity for the
 * other common form v⁺ = μ·v + lr·g, x⁺ = x − v⁺, under a changing lr; and with dampening d the
 * gradient is scaled by 1 − d after the first step: α = lr·(1 − d).) `heavyBallFromSgd` states it.
 *
 * On f(x) = ½·xᵀHx the error along the eigenvector qᵢ (eigenvalue λᵢ) evolves alone:
 *   [eₖ₊₁, eₖ] = R(λᵢ)·[eₖ, eₖ₋₁],   R(λ) = [[1 + β − αλ, −β], [1, 0]],
 * so it shrinks like ρ(R(λᵢ))ᵏ, ρ the spectral radius, and the overall rate is the worst, maxᵢ ρ.
 */

/** Polyak's (α, β) from PyTorch SGD's options: α = lr·(1 − dampening), β = momentum. */
export function heavyBallFromSgd(options: { lr: number; momentum: number; dampening?: number }): {
  alpha: number;
  beta: number;
} {
  return { alpha: options.lr * (1 - (options.dampening ?? 0)), beta: options.momentum };
}

/**
 * ρ(R(λ)) for step α and momentum β: the larger modulus of the roots of z² − (1 + β − αλ)·z + β.
 * Complex roots (negative discriminant) both have modulus √β.
 */
export function heavyBallEigenRate(lambda: number, alpha: number, beta: number): number {
  const b = 1 + beta - alpha * lambda;
  const disc = b * b - 4 * beta;
  if (disc < 0) return Math.sqrt(beta);
  const s = Math.sqrt(disc);
  return Math.max(Math.abs((b + s) / 2), Math.abs((b - s) / 2));
}

/** The rate on the whole quadratic: the worst over its eigenvalues (< 1: converges). */
export function heavyBallRate(eigenvalues: readonly number[], alpha: number, beta: number): number {
  let worst = 0;
  for (const lambda of eigenvalues)
    worst = Math.max(worst, heavyBallEigenRate(lambda, alpha, beta));
  return worst;
}

/** The optimal tuning on eigenvalues in [λ₁, λₙ] (λ₁ > 0) and the rate it reaches. */
export interface HeavyBallOptimum {
  /** α* = (2 / (√λ₁ + √λₙ))². */
  readonly alpha: number;
  /** β* = ((√κ − 1) / (√κ + 1))², κ = λₙ/λ₁. */
  readonly beta: number;
  /** (√κ − 1) / (√κ + 1) = √β*. */
  readonly rate: number;
  readonly condition: number;
}

export function heavyBallOptimum(eigenvalues: readonly number[]): HeavyBallOptimum {
  if (eigenvalues.length === 0 || !eigenvalues.every((l) => l > 0 && Number.isFinite(l))) {
    throw new RangeError(
      `heavy-ball theory needs positive finite eigenvalues, got [${eigenvalues.join(', ')}]`,
    );
  }
  const lo = Math.min(...eigenvalues);
  const hi = Math.max(...eigenvalues);
  const condition = hi / lo;
  const sk = Math.sqrt(condition);
  const rate = (sk - 1) / (sk + 1);
  return {
    alpha: (2 / (Math.sqrt(lo) + Math.sqrt(hi))) ** 2,
    beta: rate * rate,
    rate,
    condition,
  };
}

/** Gradient descent (β = 0) at its best step α = 2/(λ₁ + λₙ): rate (κ − 1)/(κ + 1), for comparison. */
export function gradientDescentOptimum(eigenvalues: readonly number[]): {
  alpha: number;
  rate: number;
} {
  const lo = Math.min(...eigenvalues);
  const hi = Math.max(...eigenvalues);
  return { alpha: 2 / (lo + hi), rate: (hi - lo) / (hi + lo) };
}

/**
 * The convergence rate measured from a sequence of error norms ‖xₖ − x*‖ (index k = step k):
 * over the last `window` steps, the ratio of the largest error in the last `block` steps to the
 * largest in the first `block` steps, to the power 1/(distance between the blocks' starts). The
 * tail is used because the slowest mode dominates only once the faster ones have died out; the
 * block maxima follow the envelope of modes that spiral (complex roots, β > the critical
 * momentum), whose error norm oscillates inside ρᵏ. For a purely geometric sequence it is exact.
 * NaN when the error was 0 or not finite at the start of the window, Infinity when it became
 * non-finite.
 */
export function measuredRate(
  errors: readonly number[],
  window = Math.floor((errors.length - 1) / 2),
  block = Math.max(1, Math.floor(window / 3)),
): number {
  const n = errors.length - 1;
  if (n < 1) return NaN;
  const w = Math.min(Math.max(1, window), n);
  const b = Math.min(Math.max(1, block), w);
  const firstAt = n - w;
  const lastAt = n - b + 1;
  const blockMax = (from: number): number => {
    let m = 0;
    for (let k = from; k < from + b; k++) {
      if (!Number.isFinite(errors[k])) return errors[k];
      m = Math.max(m, errors[k]);
    }
    return m;
  };
  const first = blockMax(firstAt);
  if (!(first > 0) || !Number.isFinite(first)) return NaN;
  const last = blockMax(lastAt);
  if (!Number.isFinite(last)) return Infinity;
  if (lastAt === firstAt) return NaN;
  return (last / first) ** (1 / (lastAt - firstAt));
}
