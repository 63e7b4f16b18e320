import {
  Parameter,
  Rng,
  TensorError,
  formatShape,
  type Backend,
  type Conv2dOptions,
  type SpatialPair,
  type Tensor,
} from '@optlab/tensor';
import { initWeights, type Initializer } from './init.js';
import { remembered, type Layer } from './layer.js';

export interface Conv2dLayerOptions {
  /** Kernel height and width (one number for a square kernel). */
  kernelSize: SpatialPair;
  /** Default 1. */
  stride?: SpatialPair;
  /** Zeros on each side; default 0. */
  padding?: SpatialPair;
  /** Weight initialiser. Default `pytorch-default`, as nn.Conv2d. */
  init?: Initializer;
  /**
   * Every bias starts at this value; `null` (the default) draws them as nn.Conv2d does,
   * U(±1/√fanIn).
   */
  biasInit?: number | null;
  /** A seed, or a generator shared by a whole model so layers draw one after another. */
  rng?: Rng | number;
  /** Prefix of the parameter names (`${name}.W`, `${name}.b`). */
  name?: string;
}

export function pair(v: SpatialPair): readonly [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}

/**
 * 2-D convolution with bias (PyTorch's nn.Conv2d): y = conv2d(x, W) + b, x [N,C,H,W],
 * W [O,C,kh,kw], b [O], y [N,O,Ho,Wo].
 *
 * Backward, for g = ∂L/∂y [N,O,Ho,Wo]:
 *   ∂L/∂W = conv2dBackwardWeight(x, g)   (the correlation of x with g)
 *   ∂L/∂b = Σ_{n,i,j} g[n,:,i,j]
 *   ∂L/∂x = conv2dBackwardInput(g, W)    (the transposed convolution of g with W)
 */
export class Conv2d implements Layer {
  readonly name: string;
  readonly W: Parameter;
  readonly b: Parameter;
  readonly #conv: Conv2dOptions;
  #x: Tensor | null = null;

  constructor(
    readonly backend: Backend,
    readonly inChannels: number,
    readonly outChannels: number,
    options: Conv2dLayerOptions,
  ) {
    const [kh, kw] = pair(options.kernelSize);
    for (const [field, v] of [
      ['inChannels', inChannels],
      ['outChannels', outChannels],
      ['kernel height', kh],
      ['kernel width', kw],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new TensorError(`Conv2d: ${field} must be a positive integer, got ${v}`);
      }
    }
    this.#conv = { stride: options.stride ?? 1, padding: options.padding ?? 0 };
    const [sh, sw] = pair(this.#conv.stride!);
    const [ph, pw] = pair(this.#conv.padding!);
    this.name = `Conv2d(${inChannels}→${outChannels}, ${kh}×${kw}${sh !== 1 || sw !== 1 ? `, stride ${sh}×${sw}` : ''}${ph !== 0 || pw !== 0 ? `, padding ${ph}×${pw}` : ''})`;
    const rng = options.rng instanceof Rng ? options.rng : new Rng(options.rng ?? 0);
    // torch's fans for a conv weight [O, C, kh, kw]: fanIn = C·kh·kw, fanOut = O·kh·kw.
    const fanIn = inChannels * kh * kw;
    const fanOut = outChannels * kh * kw;
    const w = new Float64Array(outChannels * fanIn);
    initWeights(options.init ?? 'pytorch-default', w, fanIn, fanOut, rng);
    const b = new Float64Array(outChannels);
    const biasInit = options.biasInit ?? null;
    if (biasInit === null) {
      const bound = 1 / Math.sqrt(fanIn);
      rng.fillUniform(b, -bound, bound);
    } else b.fill(biasInit);
    const prefix = options.name ?? 'conv';
    this.W = new Parameter(backend.tensor(w, [outChannels, inChannels, kh, kw]), `${prefix}.W`);
    this.b = new Parameter(backend.tensor(b, [outChannels]), `${prefix}.b`);
  }

  forward(x: Tensor): Tensor {
    if (x.rank !== 4 || x.shape[1] !== this.inChannels) {
      throw new TensorError(
        `${this.name}: input has shape ${formatShape(x.shape)}, expected [N,${this.inChannels},H,W]`,
      );
    }
    this.#x = x;
    const be = this.backend;
    const y = be.conv2d(x, this.W.value, this.#conv);
    const bias = be.reshape(this.b.value, [1, this.outChannels, 1, 1]);
    const out = be.add(y, bias);
    y.dispose();
    bias.dispose();
    return out;
  }

  backward(gradOut: Tensor): Tensor {
    const x = remembered(this.name, this.#x);
    const dx = this.backend.conv2dBackwardInput(gradOut, this.W.value, x.shape, this.#conv);
    this.backwardParameters(gradOut);
    return dx;
  }

  backwardParameters(gradOut: Tensor): void {
    const x = remembered(this.name, this.#x);
    const be = this.backend;
    this.W.grad = be.conv2dBackwardWeight(x, gradOut, this.W.value.shape, this.#conv);
    this.b.grad = be.sum(gradOut, [0, 2, 3]);
    this.#x = null;
  }

  parameters(): Parameter[] {
    return [this.W, this.b];
  }
}
