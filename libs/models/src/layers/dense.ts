import {
  Parameter,
  Rng,
  TensorError,
  formatShape,
  type Backend,
  type Tensor,
} from '@optlab/tensor';
import { initWeights, type Initializer } from './init.js';
import { remembered, type Layer } from './layer.js';

export interface DenseOptions {
  /** Weight initialiser; biases start at zero. Default `xavier-uniform`. */
  init?: Initializer;
  /** A seed, or a generator shared by a whole model so layers draw one after another. */
  rng?: Rng | number;
  /** Prefix of the parameter names (`${name}.W`, `${name}.b`). */
  name?: string;
}

/**
 * Fully connected layer: y = x·W + b, with W [in, out] and b [out].
 *
 * Backward, for g = ∂L/∂y [N, out]:
 *   ∂L/∂W = xᵀ·g      [in, out]
 *   ∂L/∂b = Σₙ g      [out]
 *   ∂L/∂x = g·Wᵀ      [N, in]
 */
export class Dense implements Layer {
  readonly name: string;
  readonly W: Parameter;
  readonly b: Parameter;
  #x: Tensor | null = null;

  constructor(
    readonly backend: Backend,
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: DenseOptions = {},
  ) {
    for (const [field, v] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new TensorError(`Dense: ${field} must be a positive integer, got ${v}`);
      }
    }
    this.name = `Dense(${inFeatures}→${outFeatures})`;
    const rng = options.rng instanceof Rng ? options.rng : new Rng(options.rng ?? 0);
    const w = new Float64Array(inFeatures * outFeatures);
    initWeights(options.init ?? 'xavier-uniform', w, inFeatures, outFeatures, rng);
    const prefix = options.name ?? 'dense';
    this.W = new Parameter(backend.tensor(w, [inFeatures, outFeatures]), `${prefix}.W`);
    this.b = new Parameter(backend.zeros([outFeatures]), `${prefix}.b`);
  }

  forward(x: Tensor): Tensor {
    if (x.rank !== 2 || x.shape[1] !== this.inFeatures) {
      throw new TensorError(
        `${this.name}: input has shape ${formatShape(x.shape)}, expected [N,${this.inFeatures}]`,
      );
    }
    this.#x = x;
    const be = this.backend;
    const xw = be.matmul(x, this.W.value);
    const y = be.add(xw, this.b.value);
    xw.dispose();
    return y;
  }

  backward(gradOut: Tensor): Tensor {
    this.backwardParameters(gradOut);
    return this.backend.matmul(gradOut, this.W.value, { transposeB: true });
  }

  backwardParameters(gradOut: Tensor): void {
    const x = remembered(this.name, this.#x);
    this.W.grad = this.backend.matmul(x, gradOut, { transposeA: true });
    this.b.grad = this.backend.sum(gradOut, 0);
    this.#x = null;
  }

  parameters(): Parameter[] {
    return [this.W, this.b];
  }
}
