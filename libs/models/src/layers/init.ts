import type { Rng } from '@optlab/tensor';

/**
 * Weight initialisers. Each fills a Dense weight [fanIn, fanOut] from a seeded `Rng` on the host,
 * so the same seed gives the same initial weights on every backend (the values are uploaded).
 * Formulas follow torch.nn.init with its defaults.
 */
export const INITIALIZERS = [
  'small-normal',
  'xavier-uniform',
  'xavier-normal',
  'kaiming-uniform',
  'kaiming-normal',
  'deepobs-truncated-normal',
  'deepobs-2c2d-truncated-normal',
  'pytorch-default',
  'zeros',
] as const;
export type Initializer = (typeof INITIALIZERS)[number];

export const INITIALIZER_DOCS: Readonly<Record<Initializer, string>> = {
  'small-normal': "0.01·N(0, 1), the tutorial's SimpleNN",
  'xavier-uniform': 'Glorot/Xavier uniform: U(±√(6/(fanIn+fanOut)))',
  'xavier-normal': 'Glorot/Xavier normal: N(0, 2/(fanIn+fanOut))',
  'kaiming-uniform': 'He/Kaiming uniform for ReLU (fan_in, gain √2): U(±√(6/fanIn))',
  'kaiming-normal': 'He/Kaiming normal for ReLU (fan_in, gain √2): N(0, 2/fanIn)',
  'deepobs-truncated-normal':
    "0.03·N(0, 1) truncated at ±2σ (redrawn), DeepOBS's MLP problems (TensorFlow's truncated_normal)",
  'deepobs-2c2d-truncated-normal':
    "0.05·N(0, 1) truncated at ±2σ (redrawn), DeepOBS's 2c2d conv nets (net_mnist_2c2d)",
  'pytorch-default':
    "PyTorch's default for nn.Linear and nn.Conv2d: kaiming_uniform(a=√5), i.e. U(±1/√fanIn)",
  zeros: 'all zeros (only sensible for biases and linear models)',
};

/** Fills `out` (a [fanIn, fanOut] weight, row-major) with the initialiser's values. */
export function initWeights(
  init: Initializer,
  out: Float64Array,
  fanIn: number,
  fanOut: number,
  rng: Rng,
): void {
  switch (init) {
    case 'small-normal':
      return rng.fillNormal(out, 0, 0.01);
    case 'xavier-uniform': {
      const bound = Math.sqrt(6 / (fanIn + fanOut));
      return rng.fillUniform(out, -bound, bound);
    }
    case 'xavier-normal':
      return rng.fillNormal(out, 0, Math.sqrt(2 / (fanIn + fanOut)));
    case 'kaiming-uniform': {
      const bound = Math.sqrt(2) * Math.sqrt(3 / fanIn);
      return rng.fillUniform(out, -bound, bound);
    }
    case 'kaiming-normal':
      return rng.fillNormal(out, 0, Math.sqrt(2 / fanIn));
    case 'deepobs-truncated-normal':
      // DeepOBS's net_mlp (deepobs/pytorch/testproblems/testproblems_modules.py) draws its weights
      // with _truncated_normal_init(stddev=3e-2): scipy's truncnorm on [−2σ, 2σ]. Drawing again
      // until a value falls inside gives the same distribution.
      return fillTruncatedNormal(out, 0.03, rng);
    case 'deepobs-2c2d-truncated-normal':
      // net_mnist_2c2d (fsschneider/DeepOBS, deepobs/pytorch/testproblems/testproblems_modules.py
      // at 009aa5eb): _truncated_normal_init(stddev=0.05) for conv and dense weights alike.
      return fillTruncatedNormal(out, 0.05, rng);
    case 'pytorch-default': {
      // torch.nn.Linear/Conv2d reset_parameters: kaiming_uniform_(a=√5) has gain √(2/(1+5)) and
      // bound gain·√(3/fanIn) = 1/√fanIn (fanIn = C·kh·kw for a convolution).
      const bound = 1 / Math.sqrt(fanIn);
      return rng.fillUniform(out, -bound, bound);
    }
    case 'zeros':
      out.fill(0);
      return;
    default:
      throw new Error(`unknown initialiser "${String(init)}"; known: ${INITIALIZERS.join(', ')}`);
  }
}

/** std·N(0, 1) truncated at ±2σ, values outside redrawn (scipy's truncnorm on [−2, 2], scaled). */
function fillTruncatedNormal(out: Float64Array, std: number, rng: Rng): void {
  for (let i = 0; i < out.length; i++) {
    let z = rng.normal();
    while (Math.abs(z) > 2) z = rng.normal();
    out[i] = std * z;
  }
}
