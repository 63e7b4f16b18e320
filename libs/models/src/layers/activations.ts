import { defineUpdate, where, type Backend, type Parameter, type Tensor } from '@optlab/tensor';
import { remembered, type Layer } from './layer.js';

/*
 * Activations. Each backward pass is one fused elementwise program (one loop on the CPU, one
 * kernel on a GPU) rather than three or four separate ops with temporaries.
 */

/** ∂tanh: g·(1 − y²), from the remembered output y = tanh(x). */
const tanhBackward = defineUpdate({
  name: 'tanhBackward',
  inputs: ['y', 'g'],
  outputs: ['dx'],
  body: ({ y, g }) => ({ dx: g.mul(y.square().neg().add(1)) }),
});

/** ∂relu: g where x > 0, else 0 (PyTorch's choice of 0 at x = 0). */
const reluBackward = defineUpdate({
  name: 'reluBackward',
  inputs: ['x', 'g'],
  outputs: ['dx'],
  body: ({ x, g }) => ({ dx: where(x, g, 0) }),
});

/** ∂σ: g·y·(1 − y), from the remembered output y = σ(x). */
const sigmoidBackward = defineUpdate({
  name: 'sigmoidBackward',
  inputs: ['y', 'g'],
  outputs: ['dx'],
  body: ({ y, g }) => ({ dx: g.mul(y).mul(y.neg().add(1)) }),
});

/** √(2/π) and the cubic coefficient of the tanh approximation of GELU. */
const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

/** GELU, tanh form: ½·x·(1 + tanh(c·(x + k·x³))). */
const geluForward = defineUpdate({
  name: 'geluForward',
  inputs: ['x'],
  outputs: ['y'],
  body: ({ x }) => {
    const t = x.add(x.mul(x).mul(x).mul(GELU_K)).mul(GELU_C).tanh();
    return { y: x.mul(0.5).mul(t.add(1)) };
  },
});

/**
 * ∂GELU (tanh form), with u = c·(x + k·x³), t = tanh(u):
 *   d/dx = ½·(1 + t) + ½·x·(1 − t²)·c·(1 + 3k·x²)
 */
const geluBackward = defineUpdate({
  name: 'geluBackward',
  inputs: ['x', 'g'],
  outputs: ['dx'],
  body: ({ x, g }) => {
    const x2 = x.mul(x);
    const t = x.add(x2.mul(x).mul(GELU_K)).mul(GELU_C).tanh();
    const du = x2
      .mul(3 * GELU_K)
      .add(1)
      .mul(GELU_C);
    const d = t
      .add(1)
      .mul(0.5)
      .add(x.mul(0.5).mul(t.square().neg().add(1)).mul(du));
    return { dx: g.mul(d) };
  },
});

/** tanh(x) */
export class Tanh implements Layer {
  readonly name = 'Tanh';
  #y: Tensor | null = null;
  constructor(readonly backend: Backend) {}

  forward(x: Tensor): Tensor {
    this.#y = this.backend.tanh(x);
    return this.#y;
  }

  backward(gradOut: Tensor): Tensor {
    const y = remembered(this.name, this.#y);
    this.#y = null;
    return this.backend.fusedUpdate(tanhBackward, { y, g: gradOut }).dx;
  }

  parameters(): Parameter[] {
    return [];
  }
}

/** max(0, x) */
export class ReLU implements Layer {
  readonly name = 'ReLU';
  #x: Tensor | null = null;
  constructor(readonly backend: Backend) {}

  forward(x: Tensor): Tensor {
    this.#x = x;
    return this.backend.relu(x);
  }

  backward(gradOut: Tensor): Tensor {
    const x = remembered(this.name, this.#x);
    this.#x = null;
    return this.backend.fusedUpdate(reluBackward, { x, g: gradOut }).dx;
  }

  parameters(): Parameter[] {
    return [];
  }
}

/** σ(x) = 1 / (1 + e⁻ˣ) */
export class Sigmoid implements Layer {
  readonly name = 'Sigmoid';
  #y: Tensor | null = null;
  constructor(readonly backend: Backend) {}

  forward(x: Tensor): Tensor {
    this.#y = this.backend.sigmoid(x);
    return this.#y;
  }

  backward(gradOut: Tensor): Tensor {
    const y = remembered(this.name, this.#y);
    this.#y = null;
    return this.backend.fusedUpdate(sigmoidBackward, { y, g: gradOut }).dx;
  }

  parameters(): Parameter[] {
    return [];
  }
}

/**
 * GELU in its tanh approximation, ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) — PyTorch's
 * `nn.GELU(approximate='tanh')`. The exact form x·Φ(x) needs erf, which backends do not have;
 * the two differ by less than 5·10⁻⁴ everywhere.
 */
export class GELU implements Layer {
  readonly name = 'GELU(tanh)';
  #x: Tensor | null = null;
  constructor(readonly backend: Backend) {}

  forward(x: Tensor): Tensor {
    this.#x = x;
    return this.backend.fusedUpdate(geluForward, { x }).y;
  }

  backward(gradOut: Tensor): Tensor {
    const x = remembered(this.name, this.#x);
    this.#x = null;
    return this.backend.fusedUpdate(geluBackward, { x, g: gradOut }).dx;
  }

  parameters(): Parameter[] {
    return [];
  }
}

export const ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'gelu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** The layer for an activation name. */
export function activationLayer(backend: Backend, name: Activation): Layer {
  switch (name) {
    case 'tanh':
      return new Tanh(backend);
    case 'relu':
      return new ReLU(backend);
    case 'sigmoid':
      return new Sigmoid(backend);
    case 'gelu':
      return new GELU(backend);
    default:
      throw new Error(`unknown activation "${String(name)}"; known: ${ACTIVATIONS.join(', ')}`);
  }
}
