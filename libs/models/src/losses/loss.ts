import type { Tensor } from '@optlab/tensor';

/** A loss and its gradient with respect to the prediction, computed together. */
export interface LossResult {
  /** Scalar (shape []) mean loss over the batch. */
  loss: Tensor;
  /** ∂loss/∂prediction, shaped like the prediction. */
  grad: Tensor;
}

/**
 * A loss function: `forward` gives the scalar loss alone (evaluation), `forwardBackward` the
 * loss and its gradient with respect to the prediction (training). Both average over the batch.
 */
export interface Loss {
  readonly name: string;
  forward(prediction: Tensor, target: Tensor): Tensor;
  forwardBackward(prediction: Tensor, target: Tensor): LossResult;
}
