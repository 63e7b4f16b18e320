import { Rng, tidy, type Backend, type Parameter, type Tensor } from '@optlab/tensor';
import { activationLayer, type Activation } from '../layers/activations.js';
import { Conv2d } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { Flatten } from '../layers/flatten.js';
import type { Initializer } from '../layers/init.js';
import type { Layer } from '../layers/layer.js';
import { AvgPool2d, MaxPool2d } from '../layers/pool2d.js';
import { Sequential } from '../layers/sequential.js';
import { SoftmaxCrossEntropy } from '../losses/softmax-cross-entropy.js';
import { ModelsError } from '../options.js';
import { convPadding, pairOf, planCnn, type CnnLayerSpec } from './cnn-layers.js';
import { classificationAccuracy, softmaxEvaluation, type Model } from './model.js';

export interface CNNOptions {
  /** The layers in order, as a spec lists them (see cnn-layers.ts); checked already. */
  layers: readonly CnnLayerSpec[];
  /** One input image [C, H, W]; rows of the data are these, flattened row-major. */
  inputShape: readonly number[];
  classes: number;
  /** Weight initialiser of conv and dense layers. Default `pytorch-default`. */
  init?: Initializer;
  /** Every bias starts at this value; null (default) draws them as PyTorch does, U(±1/√fanIn). */
  biasInit?: number | null;
  /** Seed of the initial weights and of the dropout masks. Default 0. */
  seed?: number;
}

/**
 * Rows evaluated at once by `predict` and `loss`: evaluating 60,000 images in one pass would
 * hold every activation of all of them (a 32-channel 28×28 layer alone: 6 GB in float32).
 */
export const CNN_EVAL_ROWS = 512;

/**
 * A convolutional classifier built from a list of layers (conv2d, pooling, flatten, dense,
 * activations, dropout), softmax cross-entropy on the logits. Data rows are images flattened
 * row-major ([N, C·H·W]); the model reshapes them to [N, C, H, W]. `predict` and `loss` run in
 * evaluation mode (no dropout), in chunks of CNN_EVAL_ROWS rows; `lossAndGrad` in training mode.
 */
export class CNN implements Model {
  readonly kind = 'cnn';
  readonly task = 'classification' as const;
  readonly name: string;
  readonly net: Sequential;
  readonly inputShape: readonly number[];
  readonly #loss: SoftmaxCrossEntropy;
  readonly #features: number;

  constructor(
    readonly backend: Backend,
    options: CNNOptions,
  ) {
    const { layers, inputShape, classes, init = 'pytorch-default', biasInit = null } = options;
    const plan = planCnn(layers, inputShape, classes);
    if (!('shapes' in plan)) {
      throw new ModelsError(
        `model "cnn": option "layers" [${plan.path.slice(1).join('].[')}] ${plan.message}`,
      );
    }
    this.inputShape = [...inputShape];
    this.#features = inputShape.reduce((a, b) => a * b, 1);
    const rng = new Rng(options.seed ?? 0);
    const built: Layer[] = [];
    let shape: readonly number[] = inputShape;
    layers.forEach((l, i) => {
      const name = `layers.${i}`;
      switch (l.type) {
        case 'conv2d':
          built.push(
            new Conv2d(backend, shape[0], l.out, {
              kernelSize: pairOf(l.kernel),
              stride: pairOf(l.stride ?? 1),
              padding: convPadding(l),
              init,
              biasInit,
              rng,
              name,
            }),
          );
          break;
        case 'maxPool2d':
        case 'avgPool2d': {
          const o = {
            kernelSize: pairOf(l.kernel),
            stride: pairOf(l.stride ?? l.kernel),
            padding: pairOf(l.padding ?? 0),
          };
          built.push(
            l.type === 'maxPool2d' ? new MaxPool2d(backend, o) : new AvgPool2d(backend, o),
          );
          break;
        }
        case 'flatten':
          built.push(new Flatten(backend));
          break;
        case 'dense': {
          const d = new Dense(backend, shape[0], l.out ?? classes, { init, rng, name });
          if (biasInit === null) {
            // nn.Linear's bias: U(±1/√fanIn), like nn.Conv2d's.
            const b = new Float64Array(d.outFeatures);
            const bound = 1 / Math.sqrt(d.inFeatures);
            rng.fillUniform(b, -bound, bound);
            d.b.value = backend.tensor(b, [d.outFeatures]);
          } else if (biasInit !== 0) {
            d.b.value = backend.full([d.outFeatures], biasInit);
          }
          built.push(d);
          break;
        }
        case 'dropout':
          built.push(new Dropout(backend, l.p, { rng: rng.int(0, 2 ** 31 - 1) }));
          break;
        default:
          built.push(activationLayer(backend, l.type as Activation));
      }
      shape = plan.shapes[i];
    });
    this.net = new Sequential(built);
    this.name = `CNN(${built.map((l) => l.name).join(' → ')})`;
    this.#loss = new SoftmaxCrossEntropy(backend);
  }

  parameters(): Parameter[] {
    return this.net.parameters();
  }

  /** Rows [N, C·H·W] as images [N, C, H, W]. */
  private images(x: Tensor): Tensor {
    return this.backend.reshape(x, [x.shape[0], ...this.inputShape]);
  }

  /** The rows [start, start + count) of x (and y). */
  private rows(t: Tensor, start: number, count: number): Tensor {
    const begin = t.shape.map((_, i) => (i === 0 ? start : 0));
    const size = t.shape.map((d, i) => (i === 0 ? count : d));
    return this.backend.slice(t, begin, size);
  }

  predict(x: Tensor): Tensor {
    this.net.setTraining(false);
    const n = x.shape[0];
    if (n <= CNN_EVAL_ROWS) return tidy(() => this.net.forward(this.images(x)));
    const parts: Tensor[] = [];
    for (let start = 0; start < n; start += CNN_EVAL_ROWS) {
      const m = Math.min(CNN_EVAL_ROWS, n - start);
      parts.push(tidy(() => this.net.forward(this.images(this.rows(x, start, m)))));
    }
    const out = this.backend.concat(parts, 0);
    for (const p of parts) p.dispose();
    return out;
  }

  /** The mean loss over all rows: each chunk's mean weighted by its share of the rows. */
  loss(x: Tensor, y: Tensor): Tensor {
    this.net.setTraining(false);
    const n = x.shape[0];
    const be = this.backend;
    if (n <= CNN_EVAL_ROWS) {
      return tidy(() => this.#loss.forward(this.net.forward(this.images(x)), y));
    }
    let total: Tensor | null = null;
    for (let start = 0; start < n; start += CNN_EVAL_ROWS) {
      const m = Math.min(CNN_EVAL_ROWS, n - start);
      const prev: Tensor | null = total;
      total = tidy(() => {
        const logits = this.net.forward(this.images(this.rows(x, start, m)));
        const part = be.mul(this.#loss.forward(logits, this.rows(y, start, m)), m / n);
        return prev ? be.add(prev, part) : part;
      });
      prev?.dispose();
    }
    return total!;
  }

  lossAndGrad(x: Tensor, y: Tensor): Tensor {
    if (x.rank !== 2 || x.shape[1] !== this.#features) {
      throw new ModelsError(
        `${this.name}: input rows have ${x.shape[1]} values, expected ${this.#features} (images [${this.inputShape.join(',')}])`,
      );
    }
    this.net.setTraining(true);
    const logits = this.net.forward(this.images(x));
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
