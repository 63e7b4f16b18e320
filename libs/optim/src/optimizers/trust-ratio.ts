import { Expr, where, type Backend, type Tensor } from '@optlab/tensor';

/**
 * Optax's `scale_by_trust_ratio` with `min_norm = 0` (optax/_src/transform.py, used by `lamb` and
 * `lars`): r = c·‖θ‖ / (‖u‖ + ε), and r = 1 where either norm is 0 (a parameter that would
 * otherwise never move). The squared norms come in as one-element tensors, so the ratio is
 * computed inside the fused update on the device and nothing is read back.
 */
export function trustRatio(
  paramNormSq: Expr,
  updateNormSq: Expr,
  trustCoefficient: Expr | number,
  eps: Expr | number,
): Expr {
  const paramNorm = paramNormSq.sqrt();
  const updateNorm = updateNormSq.sqrt();
  const ratio = Expr.of(trustCoefficient).mul(paramNorm).div(updateNorm.add(eps));
  // Norms are ≥ 0, so `> 0` (where's test) is "≠ 0". Nested rather than ‖θ‖·‖u‖ > 0, which
  // underflows to 0 in float32 for two small but nonzero norms.
  return where(paramNorm, where(updateNorm, ratio, 1), 1);
}

/** ‖θ‖² and ‖u‖² of one parameter, from the squares a fused pass wrote: two reduction passes. */
export function squaredNorms(
  be: Backend,
  squares: Readonly<Record<string, Tensor>>,
): { paramNormSq: Tensor; updateNormSq: Tensor } {
  return { paramNormSq: be.sum(squares.paramSq), updateNormSq: be.sum(squares.updateSq) };
}
