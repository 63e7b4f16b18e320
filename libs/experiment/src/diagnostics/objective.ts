import type { DType } from '@optlab/tensor';
import type { FlatLayout } from './flat-weights.js';

/** The spacing of numbers near 1 in `dtype`: 2⁻²³ (float32) or 2⁻⁵² (float64). */
export function machineEpsilon(dtype: DType): number {
  return dtype === 'float64' ? 2 ** -52 : 2 ** -23;
}

/**
 * A training objective as a function of the flat weight vector (`flat-weights.ts`): what the
 * sharpness and the loss landscape evaluate away from the weights being trained. A task supplies
 * it (`TrainingTask.objective`); its batch is fixed (a dataset: the whole training set; a test
 * function: the function), so repeated calls at the same weights give the same numbers.
 *
 * Calls move the model's parameters to the weights asked for and leave their gradients changed:
 * whoever calls it puts the trained weights (and gradients) back (`withWeightsRestored`).
 */
export interface WeightObjective {
  readonly layout: FlatLayout;
  /** The machine epsilon of the numbers the objective is computed in (float32 or float64). */
  readonly epsilon: number;
  /** What the loss is taken on, for humans: "the full training set (150 rows)". */
  readonly batch: string;
  /** The loss at `weights`. */
  loss(weights: Float64Array): Promise<number>;
  /** The gradient of the loss at `weights`. */
  gradient(weights: Float64Array): Promise<Float64Array>;
  /** The weights being trained, now. */
  current(): Promise<Float64Array>;
  /** Puts the weights being trained back, bit for bit, with the gradients they had. */
  restore(weights: Float64Array, gradients: Float64Array | null): void;
  /** The gradients the parameters hold now (null: none). */
  currentGradients(): Promise<Float64Array | null>;
}

/**
 * Runs `f` on the objective and puts the trained weights and gradients back afterwards, however
 * `f` ends: the training trajectory never sees what `f` did.
 */
export async function withWeightsRestored<T>(
  objective: WeightObjective,
  f: (weights: Float64Array) => Promise<T>,
): Promise<T> {
  const weights = await objective.current();
  const gradients = await objective.currentGradients();
  try {
    return await f(weights);
  } finally {
    objective.restore(weights, gradients);
  }
}
