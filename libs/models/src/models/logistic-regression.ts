import { Rng, TensorError, type Backend, type Parameter, type Tensor } from '@optlab/tensor';
import { Dense } from '../layers/dense.js';
import type { Initializer } from '../layers/init.js';
import { BinaryCrossEntropy } from '../losses/binary-cross-entropy.js';
import type { Loss } from '../losses/loss.js';
import { SoftmaxCrossEntropy } from '../losses/softmax-cross-entropy.js';
import { classificationAccuracy, type Model } from './model.js';

export interface LogisticRegressionOptions {
  features: number;
  /** Number of classes, ≥ 2. Default 2. */
  classes?: number;
  /** Weight initialiser. Default `zeros` (the loss is convex; any start reaches the optimum). */
  init?: Initializer;
  seed?: number;
}

/**
 * Logistic regression, one Dense layer. With 2 classes it is the classic binary model: one
 * logit per row and binary cross-entropy on logits (labels 0/1). With more it is multinomial
 * (softmax regression): C logits and softmax cross-entropy.
 */
export class LogisticRegression implements Model {
  readonly kind = 'logistic-regression';
  readonly task = 'classification' as const;
  readonly name: string;
  readonly layer: Dense;
  readonly classes: number;
  readonly #loss: Loss;

  constructor(
    readonly backend: Backend,
    options: LogisticRegressionOptions,
  ) {
    const { features, classes = 2, init = 'zeros', seed = 0 } = options;
    if (!Number.isInteger(classes) || classes < 2) {
      throw new TensorError(`LogisticRegression: classes must be an integer ≥ 2, got ${classes}`);
    }
    this.classes = classes;
    const outputs = classes === 2 ? 1 : classes;
    this.name = `LogisticRegression(${features}→${classes === 2 ? 'binary' : classes})`;
    this.layer = new Dense(backend, features, outputs, {
      init,
      rng: new Rng(seed),
      name: 'linear',
    });
    this.#loss = classes === 2 ? new BinaryCrossEntropy(backend) : new SoftmaxCrossEntropy(backend);
  }

  parameters(): Parameter[] {
    return this.layer.parameters();
  }

  predict(x: Tensor): Tensor {
    return this.layer.forward(x);
  }

  /** Labels [N] as the loss wants them: [N, 1] for the binary loss, unchanged for softmax. */
  private target(y: Tensor): Tensor {
    return this.classes === 2 ? this.backend.reshape(y, [y.shape[0] ?? 0, 1]) : y;
  }

  loss(x: Tensor, y: Tensor): Tensor {
    const logits = this.layer.forward(x);
    const t = this.target(y);
    const loss = this.#loss.forward(logits, t);
    logits.dispose();
    if (t !== y) t.dispose();
    return loss;
  }

  lossAndGrad(x: Tensor, y: Tensor): Tensor {
    const logits = this.layer.forward(x);
    const t = this.target(y);
    const { loss, grad } = this.#loss.forwardBackward(logits, t);
    if (t !== y) t.dispose();
    this.layer.backwardParameters(grad);
    logits.dispose();
    grad.dispose();
    return loss;
  }

  accuracy(x: Tensor, y: Tensor): Promise<number> {
    return classificationAccuracy(this, x, y);
  }

  dispose(): void {
    for (const p of this.parameters()) p.dispose();
  }
}
