import {
  Parameter,
  Rng,
  TensorError,
  formatShape,
  type Backend,
  type Tensor,
} from '@optlab/tensor';
import { MSELoss } from '../losses/mse.js';
import type { Model } from './model.js';

export interface LinearRegressionOptions {
  /** Number of input features (the tutorial has 1). Default 1. */
  features?: number;
  /** Seed of the initial weights, drawn N(0, 1) as the tutorial's `np.random.randn`. Default 0. */
  seed?: number;
  /** `normal` (the tutorial's N(0, 1)) or `zeros`. Default `normal`. */
  init?: 'normal' | 'zeros';
}

/**
 * The tutorial's linear regression. One weight column `weights` [features + 1, 1] laid out as
 * [b, w₁, …] — the tutorial prepends a column of ones to X (`X_b = [1, X]`), so row 0 is the
 * bias (its comment says `[w, b]`, but its code and its printout read `weights[0]` as b).
 *
 *   prediction = X_b·weights
 *   loss       = mean((prediction − y)²)          (no ½ factor)
 *   gradient   = (2/m)·X_bᵀ·(prediction − y)
 */
export class LinearRegression implements Model {
  readonly kind = 'linear-regression';
  readonly task = 'regression' as const;
  readonly name: string;
  readonly weights: Parameter;
  readonly features: number;
  readonly #mse: MSELoss;

  constructor(
    readonly backend: Backend,
    options: LinearRegressionOptions = {},
  ) {
    const features = options.features ?? 1;
    if (!Number.isInteger(features) || features < 1) {
      throw new TensorError(
        `LinearRegression: features must be a positive integer, got ${features}`,
      );
    }
    this.features = features;
    this.name = `LinearRegression(${features})`;
    const w = new Float64Array(features + 1);
    if ((options.init ?? 'normal') === 'normal') new Rng(options.seed ?? 0).fillNormal(w);
    this.weights = new Parameter(backend.tensor(w, [features + 1, 1]), 'weights');
    this.#mse = new MSELoss(backend);
  }

  parameters(): Parameter[] {
    return [this.weights];
  }

  /** X with a leading column of ones, [N, features + 1]. */
  private withBias(x: Tensor): Tensor {
    if (x.rank !== 2 || x.shape[1] !== this.features) {
      throw new TensorError(
        `${this.name}: x has shape ${formatShape(x.shape)}, expected [N,${this.features}]`,
      );
    }
    const ones = this.backend.ones([x.shape[0], 1]);
    const xb = this.backend.concat([ones, x], 1);
    ones.dispose();
    return xb;
  }

  predict(x: Tensor): Tensor {
    const xb = this.withBias(x);
    const y = this.backend.matmul(xb, this.weights.value);
    xb.dispose();
    return y;
  }

  loss(x: Tensor, y: Tensor): Tensor {
    const prediction = this.predict(x);
    const loss = this.#mse.forward(prediction, y);
    prediction.dispose();
    return loss;
  }

  lossAndGrad(x: Tensor, y: Tensor): Tensor {
    const be = this.backend;
    const xb = this.withBias(x);
    const prediction = be.matmul(xb, this.weights.value);
    // grad of the MSE w.r.t. the prediction is 2(p − y)/m; chain through p = X_b·w.
    const { loss, grad } = this.#mse.forwardBackward(prediction, y);
    this.weights.grad = be.matmul(xb, grad, { transposeA: true });
    xb.dispose();
    prediction.dispose();
    grad.dispose();
    return loss;
  }

  dispose(): void {
    this.weights.dispose();
  }
}
