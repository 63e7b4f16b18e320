import {
  TensorError,
  formatShape,
  type Backend,
  type Parameter,
  type Pool2dOptions,
  type Shape,
  type Tensor,
} from '@optlab/tensor';
import { remembered, type Layer } from './layer.js';
import { pair } from './conv2d.js';

function poolName(kind: string, o: Pool2dOptions): string {
  const [kh, kw] = pair(o.kernelSize);
  const [sh, sw] = pair(o.stride ?? o.kernelSize);
  const [ph, pw] = pair(o.padding ?? 0);
  return `${kind}(${kh}×${kw}${sh !== kh || sw !== kw ? `, stride ${sh}×${sw}` : ''}${ph !== 0 || pw !== 0 ? `, padding ${ph}×${pw}` : ''})`;
}

function checkRank(name: string, x: Tensor): void {
  if (x.rank !== 4) {
    throw new TensorError(`${name}: input has shape ${formatShape(x.shape)}, expected [N,C,H,W]`);
  }
}

/**
 * Max pooling (PyTorch's nn.MaxPool2d, floor mode, padding counted as −∞). Backward sends each
 * window's gradient to its first maximum, as PyTorch does.
 */
export class MaxPool2d implements Layer {
  readonly name: string;
  #x: Tensor | null = null;

  constructor(
    readonly backend: Backend,
    readonly options: Pool2dOptions,
  ) {
    this.name = poolName('MaxPool2d', options);
  }

  forward(x: Tensor): Tensor {
    checkRank(this.name, x);
    this.#x = x;
    return this.backend.maxPool2d(x, this.options);
  }

  backward(gradOut: Tensor): Tensor {
    const x = remembered(this.name, this.#x);
    this.#x = null;
    return this.backend.maxPool2dBackward(gradOut, x, this.options);
  }

  parameters(): Parameter[] {
    return [];
  }
}

/**
 * Average pooling (PyTorch's nn.AvgPool2d with its defaults: floor mode, padding zeros counted
 * in the mean). Backward spreads each window's gradient evenly over its cells.
 */
export class AvgPool2d implements Layer {
  readonly name: string;
  #xShape: Shape | null = null;

  constructor(
    readonly backend: Backend,
    readonly options: Pool2dOptions,
  ) {
    this.name = poolName('AvgPool2d', options);
  }

  forward(x: Tensor): Tensor {
    checkRank(this.name, x);
    this.#xShape = x.shape;
    return this.backend.avgPool2d(x, this.options);
  }

  backward(gradOut: Tensor): Tensor {
    const shape = this.#xShape;
    if (shape === null) {
      throw new Error(`${this.name}: backward() needs forward() first (nothing remembered)`);
    }
    this.#xShape = null;
    return this.backend.avgPool2dBackward(gradOut, shape, this.options);
  }

  parameters(): Parameter[] {
    return [];
  }
}
