import { norm, type FlatLayout } from './flat-weights.js';

/** One parameter's numbers at a diagnostics step. */
export interface LayerNorms {
  /** The parameter's name (`layer1.W`). */
  readonly name: string;
  /** ‖g‖₂ of the gradient the step used (after clipping, as the optimizer saw it); null: none. */
  readonly gradNorm: number | null;
  /** ‖θₜ − θₜ₋₁‖₂: the change the step actually made (optimizer, weight decay and all). */
  readonly updateNorm: number;
  /** ‖θₜ₋₁‖₂: the weights before the step. */
  readonly weightNorm: number;
  /** updateNorm / weightNorm (null when the weights were all zero, as biases at the start). */
  readonly updateRatio: number | null;
}

/**
 * Per-parameter gradient, update and weight norms of one step, from flat vectors
 * (`flat-weights.ts`): the weights before and after the step and the gradient it used (null:
 * none, as reported by a closure optimizer that keeps no gradient).
 */
export function layerNorms(
  layout: FlatLayout,
  before: Float64Array,
  after: Float64Array,
  gradient: Float64Array | null,
): LayerNorms[] {
  return layout.names.map((name, i) => {
    const from = layout.offsets[i];
    const to = from + layout.sizes[i];
    let update = 0;
    for (let k = from; k < to; k++) update += (after[k] - before[k]) ** 2;
    const updateNorm = Math.sqrt(update);
    const weightNorm = norm(before, from, to);
    return {
      name,
      gradNorm: gradient ? norm(gradient, from, to) : null,
      updateNorm,
      weightNorm,
      updateRatio: weightNorm > 0 ? updateNorm / weightNorm : null,
    };
  });
}
