import type { Backend, Parameter, Tensor } from '@optlab/tensor';

export type Task = 'regression' | 'classification';

/**
 * What the experiment runner drives. Inputs `x` are [N, features]; targets `y` are [N, 1] for
 * regression and [N] class indices (float-valued) for classification.
 *
 * A training step is
 * ```ts
 * const loss = tidy(() => model.lossAndGrad(xb, yb)); // gradients are now in p.grad
 * optimizer.step();
 * ```
 * Everything a step creates except the returned loss and the gradients (owned by the
 * parameters) is freed by the `tidy`.
 */
export interface Model {
  /** Registry key, e.g. `mlp`. */
  readonly kind: string;
  /** For humans, e.g. `MLP(20→64→3, tanh)`. */
  readonly name: string;
  readonly task: Task;
  readonly backend: Backend;
  /** Trainable parameters in a fixed order (optimizers keep state per position). */
  parameters(): Parameter[];
  /** Regression: predictions [N, 1]. Classification: logits [N, C] ([N, 1] for binary logistic). */
  predict(x: Tensor): Tensor;
  /** Scalar mean loss of the batch, without gradients. */
  loss(x: Tensor, y: Tensor): Tensor;
  /** Scalar mean loss of the batch; writes ∂loss/∂θ into every parameter's `.grad`. */
  lossAndGrad(x: Tensor, y: Tensor): Tensor;
  /** Classification only: fraction of rows whose predicted class is `y` (reads logits back). */
  accuracy?(x: Tensor, y: Tensor): Promise<number>;
  /**
   * Optional, classification: the mean loss and the accuracy from one forward pass (`loss` and
   * `accuracy` would run the network twice); evaluations use it where a model has it.
   */
  evaluate?(x: Tensor, y: Tensor): Promise<{ loss: number; accuracy: number }>;
  /** Frees the parameters. */
  dispose(): void;
}

/**
 * Fraction of rows whose predicted class equals the label. `logits` is [N, C] (argmax, the first
 * maximum on ties, as NumPy) or [N, 1] (binary: class 1 where the logit is > 0).
 */
export function accuracyFromLogits(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  columns: number,
): number {
  const n = labels.length;
  if (n === 0) return NaN;
  if (logits.length !== n * columns) {
    throw new Error(
      `accuracy: ${logits.length} logits do not fit ${n} labels × ${columns} columns`,
    );
  }
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let predicted: number;
    if (columns === 1) predicted = logits[i] > 0 ? 1 : 0;
    else {
      predicted = 0;
      for (let j = 1; j < columns; j++) {
        if (logits[i * columns + j] > logits[i * columns + predicted]) predicted = j;
      }
    }
    if (predicted === labels[i]) correct++;
  }
  return correct / n;
}

/** Reads a model's logits and the labels back and scores them. */
export async function classificationAccuracy(model: Model, x: Tensor, y: Tensor): Promise<number> {
  const logits = model.predict(x);
  try {
    const [z, labels] = await Promise.all([logits.data(), y.data()]);
    return accuracyFromLogits(z, labels, logits.shape[1]);
  } finally {
    logits.dispose();
  }
}

/**
 * The mean softmax cross-entropy and the accuracy of a classifier from one `predict` (its
 * logits [N, C]): what an evaluation needs, for the cost of one forward pass.
 */
export async function softmaxEvaluation(
  model: Model,
  loss: { forward(logits: Tensor, labels: Tensor): Tensor },
  x: Tensor,
  y: Tensor,
): Promise<{ loss: number; accuracy: number }> {
  const logits = model.predict(x);
  try {
    const l = loss.forward(logits, y);
    const [value, z, labels] = await Promise.all([l.data(), logits.data(), y.data()]);
    l.dispose();
    return { loss: value[0], accuracy: accuracyFromLogits(z, labels, logits.shape[1]) };
  } finally {
    logits.dispose();
  }
}
