import { defineUpdate, type Backend, type Tensor } from '@optlab/tensor';
import { checkSameShape } from './mse.js';
import type { Loss, LossResult } from './loss.js';

/**
 * Per-element loss and gradient in one pass. The loss is written in the overflow-free form
 *   ℓ(z, y) = max(z, 0) − z·y + log(1 + e^{−|z|}),
 * equal to −[y·log σ(z) + (1 − y)·log(1 − σ(z))]; its gradient is (σ(z) − y)/n.
 */
const bceTerms = defineUpdate({
  name: 'bceWithLogitsTerms',
  inputs: ['z', 'y'],
  scalars: ['invN'],
  outputs: ['l', 'grad'],
  body: ({ z, y }, { invN }) => ({
    l: z.maximum(0).sub(z.mul(y)).add(z.abs().neg().exp().add(1).log()),
    grad: z.sigmoid().sub(y).mul(invN),
  }),
});

/**
 * Binary cross-entropy on logits, PyTorch's `BCEWithLogitsLoss()` (reduction 'mean'): targets are
 * 0/1 (or probabilities) shaped like the logits. Stable for any logit magnitude.
 */
export class BinaryCrossEntropy implements Loss {
  readonly name = 'BinaryCrossEntropy';
  constructor(readonly backend: Backend) {}

  forward(logits: Tensor, targets: Tensor): Tensor {
    const { loss, grad } = this.forwardBackward(logits, targets);
    grad.dispose();
    return loss;
  }

  forwardBackward(logits: Tensor, targets: Tensor): LossResult {
    checkSameShape(this.name, logits, targets);
    const { l, grad } = this.backend.fusedUpdate(
      bceTerms,
      { z: logits, y: targets },
      { invN: logits.size === 0 ? 0 : 1 / logits.size },
    );
    const loss = this.backend.mean(l);
    l.dispose();
    return { loss, grad };
  }
}
