import {
  TensorError,
  defineUpdate,
  formatShape,
  sameShape,
  type Backend,
  type Tensor,
} from '@optlab/tensor';
import type { Loss, LossResult } from './loss.js';

/** Residual and gradient in one pass: r = p − t, ∂/∂p = 2r/n. */
const mseTerms = defineUpdate({
  name: 'mseTerms',
  inputs: ['p', 't'],
  scalars: ['twoOverN'],
  outputs: ['sq', 'grad'],
  body: ({ p, t }, { twoOverN }) => {
    const r = p.sub(t);
    return { sq: r.square(), grad: r.mul(twoOverN) };
  },
});

/**
 * Mean squared error, PyTorch's `MSELoss()` (reduction 'mean'): L = (1/n)·Σ (p − t)² over all
 * n elements, ∂L/∂p = 2(p − t)/n. No ½ factor: this is also the tutorial's linear-regression
 * loss, whose gradient is (2/m)·Xᵀ·error.
 */
export class MSELoss implements Loss {
  readonly name = 'MSELoss';
  constructor(readonly backend: Backend) {}

  forward(prediction: Tensor, target: Tensor): Tensor {
    const { loss, grad } = this.forwardBackward(prediction, target);
    grad.dispose();
    return loss;
  }

  forwardBackward(prediction: Tensor, target: Tensor): LossResult {
    checkSameShape(this.name, prediction, target);
    const be = this.backend;
    const { sq, grad } = be.fusedUpdate(
      mseTerms,
      { p: prediction, t: target },
      { twoOverN: prediction.size === 0 ? 0 : 2 / prediction.size },
    );
    const loss = be.mean(sq);
    sq.dispose();
    return { loss, grad };
  }
}

export function checkSameShape(loss: string, prediction: Tensor, target: Tensor): void {
  if (!sameShape(prediction.shape, target.shape)) {
    throw new TensorError(
      `${loss}: prediction ${formatShape(prediction.shape)} and target ${formatShape(target.shape)} must have the same shape`,
    );
  }
}
