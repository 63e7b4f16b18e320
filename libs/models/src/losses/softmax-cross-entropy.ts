import type { Backend, Tensor } from '@optlab/tensor';
import type { Loss, LossResult } from './loss.js';

/**
 * Softmax followed by cross-entropy against class indices, PyTorch's `CrossEntropyLoss()` on
 * logits: L = (1/N)·Σₙ (log Σⱼ e^{zₙⱼ} − zₙ,yₙ), ∂L/∂z = (softmax(z) − onehot(y))/N.
 * Computed by the backend's fused, numerically stable kernel. Labels are a float tensor [N]
 * of class indices; logits are [N, C].
 */
export class SoftmaxCrossEntropy implements Loss {
  readonly name = 'SoftmaxCrossEntropy';
  constructor(readonly backend: Backend) {}

  forward(logits: Tensor, labels: Tensor): Tensor {
    const { loss, grad } = this.backend.softmaxCrossEntropy(logits, labels);
    grad.dispose();
    return loss;
  }

  forwardBackward(logits: Tensor, labels: Tensor): LossResult {
    return this.backend.softmaxCrossEntropy(logits, labels);
  }
}
