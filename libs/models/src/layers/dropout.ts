import {
  Rng,
  TensorError,
  defineUpdate,
  where,
  type Backend,
  type Parameter,
  type Tensor,
} from '@optlab/tensor';
import { remembered, type Layer } from './layer.js';

/** The inverted-dropout mask: 1/(1 − p) where u ≥ p, else 0 (u uniform on [0, 1)). */
const dropoutMask = defineUpdate({
  name: 'dropoutMask',
  inputs: ['u'],
  outputs: ['mask'],
  scalars: ['p', 'scale'],
  body: ({ u }, { p, scale }) => ({ mask: where(u.sub(p), scale, 0) }),
});

export interface DropoutOptions {
  /** A seed, or a generator shared by a whole model. */
  rng?: Rng | number;
}

/**
 * Dropout (PyTorch's nn.Dropout, "inverted"): in training each value is zeroed with probability
 * p and the others scaled by 1/(1 − p), so evaluation needs no rescaling; in evaluation it is the
 * identity. Each training forward draws a fresh mask from a seed taken from the layer's
 * generator, so a run repeats exactly from its seed. Backward multiplies by the same mask.
 */
export class Dropout implements Layer {
  readonly name: string;
  readonly #rng: Rng;
  #training = true;
  #mask: Tensor | null = null;

  constructor(
    readonly backend: Backend,
    readonly p: number,
    options: DropoutOptions = {},
  ) {
    if (!(p >= 0 && p < 1)) {
      throw new TensorError(`Dropout: p must be in [0, 1), got ${p}`);
    }
    this.name = `Dropout(${p})`;
    this.#rng = options.rng instanceof Rng ? options.rng : new Rng(options.rng ?? 0);
  }

  get training(): boolean {
    return this.#training;
  }

  setTraining(training: boolean): void {
    this.#training = training;
  }

  forward(x: Tensor): Tensor {
    if (!this.#training || this.p === 0) {
      this.#mask = null;
      // A new tensor, as every other layer returns: the caller may dispose it.
      return this.backend.mul(x, 1);
    }
    const be = this.backend;
    const u = be.uniform(x.shape, { seed: this.#rng.int(0, 2 ** 31 - 1) });
    // where(c, a, b) picks a where c > 0: u − p > 0 keeps the value (u = p, measure zero, drops).
    this.#mask = be.fusedUpdate(dropoutMask, { u }, { p: this.p, scale: 1 / (1 - this.p) }).mask;
    u.dispose();
    return be.mul(x, this.#mask);
  }

  backward(gradOut: Tensor): Tensor {
    if (!this.#training || this.p === 0) return this.backend.mul(gradOut, 1);
    const mask = remembered(this.name, this.#mask);
    this.#mask = null;
    return this.backend.mul(gradOut, mask);
  }

  parameters(): Parameter[] {
    return [];
  }
}
