import type { Parameter, Tensor } from '@optlab/tensor';

/**
 * A layer with its forward and backward pass written out (no hidden graph).
 *
 * `forward(x)` computes the output and remembers what the backward pass needs (the input or the
 * output); `backward(gradOut)` takes ∂L/∂output, writes ∂L/∂θ into each of its parameters'
 * `.grad` (replacing, not accumulating) and returns ∂L/∂input. Call them in pairs, inside the
 * same `tidy` scope: the remembered tensors belong to that scope.
 */
export interface Layer {
  /** For messages and displays, e.g. `Dense(20→64)`. */
  readonly name: string;
  forward(x: Tensor): Tensor;
  backward(gradOut: Tensor): Tensor;
  /**
   * Optional: writes ∂L/∂θ like `backward` but skips ∂L/∂input. A network's first layer needs no
   * input gradient (its input is data); for Dense that saves a matmul as large as the forward one.
   */
  backwardParameters?(gradOut: Tensor): void;
  /**
   * Optional: switches between training and evaluation behaviour (Dropout drops only in
   * training). Layers without it behave the same in both. Models switch to evaluation for
   * `predict` and `loss`, and back to training for `lossAndGrad`.
   */
  setTraining?(training: boolean): void;
  /** Trainable parameters, in a fixed order (empty for activations). */
  parameters(): Parameter[];
}

/** The tensor a layer remembered in `forward`, or a clear error when `backward` came first. */
export function remembered(layer: string, t: Tensor | null): Tensor {
  if (t === null || t.isDisposed) {
    throw new Error(
      `${layer}: backward() needs forward() first, in the same tidy scope (nothing remembered)`,
    );
  }
  return t;
}
