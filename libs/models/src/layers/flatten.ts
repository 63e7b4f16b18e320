import { TensorError, type Backend, type Parameter, type Shape, type Tensor } from '@optlab/tensor';
import type { Layer } from './layer.js';

/**
 * [N, d1, d2, …] → [N, d1·d2·…] in row-major order (PyTorch's nn.Flatten: a conv net's
 * channels, then rows, then columns). Backward reshapes the gradient back.
 */
export class Flatten implements Layer {
  readonly name = 'Flatten';
  #shape: Shape | null = null;
  constructor(readonly backend: Backend) {}

  forward(x: Tensor): Tensor {
    if (x.rank < 2) {
      throw new TensorError(`Flatten: input needs a batch axis and more, got rank ${x.rank}`);
    }
    this.#shape = x.shape;
    const n = x.shape[0];
    return this.backend.reshape(x, [n, n === 0 ? 0 : x.size / n]);
  }

  backward(gradOut: Tensor): Tensor {
    const shape = this.#shape;
    if (shape === null) {
      throw new Error('Flatten: backward() needs forward() first (nothing remembered)');
    }
    this.#shape = null;
    return this.backend.reshape(gradOut, shape);
  }

  parameters(): Parameter[] {
    return [];
  }
}
