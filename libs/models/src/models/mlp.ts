import { Rng, TensorError, tidy, type Backend, type Parameter, type Tensor } from '@optlab/tensor';
import { activationLayer, type Activation } from '../layers/activations.js';
import { Dense } from '../layers/dense.js';
import type { Initializer } from '../layers/init.js';
import type { Layer } from '../layers/layer.js';
import { Sequential } from '../layers/sequential.js';
import { SoftmaxCrossEntropy } from '../losses/softmax-cross-entropy.js';
import { classificationAccuracy, softmaxEvaluation, type Model } from './model.js';

export interface MLPOptions {
  /** Layer widths from input to output, e.g. [20, 64, 3]; at least two. */
  sizes: readonly number[];
  /** Between Dense layers (none after the last). Default `tanh`. */
  activation?: Activation;
  /** Weight initialiser of every Dense layer; biases start at 0. Default `xavier-uniform`. */
  init?: Initializer;
  /** Seed of the initial weights (one generator, layers drawn in order). Default 0. */
  seed?: number;
}

/**
 * A multi-layer perceptron classifier: Dense → activation → … → Dense, logits out, trained with
 * softmax cross-entropy. The tutorial's SimpleNN is
 * `new MLP(be, { sizes: [20, 64, 3], activation: 'tanh', init: 'small-normal' })`.
 *
 * (The tutorial reports −mean(log(p_y + 1e-8)); this is the exact cross-entropy without the
 * 1e-8, a difference far below anything that matters here.)
 */
export class MLP implements Model {
  readonly kind = 'mlp';
  readonly task = 'classification' as const;
  readonly name: string;
  readonly net: Sequential;
  readonly sizes: readonly number[];
  readonly #loss: SoftmaxCrossEntropy;

  constructor(
    readonly backend: Backend,
    options: MLPOptions,
  ) {
    const { sizes, activation = 'tanh', init = 'xavier-uniform', seed = 0 } = options;
    if (!Array.isArray(sizes) || sizes.length < 2) {
      throw new TensorError(
        `MLP: sizes must list at least the input and output widths, got ${JSON.stringify(sizes)}`,
      );
    }
    sizes.forEach((s, i) => {
      if (!Number.isInteger(s) || s < 1) {
        throw new TensorError(`MLP: sizes[${i}] must be a positive integer, got ${s}`);
      }
    });
    this.sizes = [...sizes];
    this.name = `MLP(${sizes.join('→')}, ${activation})`;
    const rng = new Rng(seed);
    const layers: Layer[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      if (i > 0) layers.push(activationLayer(backend, activation));
      layers.push(new Dense(backend, sizes[i], sizes[i + 1], { init, rng, name: `layer${i + 1}` }));
    }
    this.net = new Sequential(layers);
    this.#loss = new SoftmaxCrossEntropy(backend);
  }

  parameters(): Parameter[] {
    return this.net.parameters();
  }

  /**
   * `net.forward` keeps every hidden activation alive for a backward pass that prediction and
   * evaluation never make; the scope frees them, so a caller outside `tidy` (accuracy, the
   * runner's evaluations) leaks nothing. Only the training step keeps them, inside its own `tidy`.
   */
  predict(x: Tensor): Tensor {
    return tidy(() => this.net.forward(x));
  }

  loss(x: Tensor, y: Tensor): Tensor {
    return tidy(() => this.#loss.forward(this.net.forward(x), y));
  }

  lossAndGrad(x: Tensor, y: Tensor): Tensor {
    const logits = this.net.forward(x);
    const { loss, grad } = this.#loss.forwardBackward(logits, y);
    this.net.backwardParameters(grad);
    return loss;
  }

  accuracy(x: Tensor, y: Tensor): Promise<number> {
    return classificationAccuracy(this, x, y);
  }

  /** Loss and accuracy from one forward pass (see `softmaxEvaluation`). */
  evaluate(x: Tensor, y: Tensor): Promise<{ loss: number; accuracy: number }> {
    return softmaxEvaluation(this, this.#loss, x, y);
  }

  dispose(): void {
    for (const p of this.parameters()) p.dispose();
  }
}
