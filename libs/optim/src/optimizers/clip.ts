import { defineUpdate, keep, tidy, type Parameter, type Tensor } from '@optlab/tensor';

/** |g|^p, the summand of a p-norm. */
const absPow = defineUpdate({
  name: 'absPow',
  inputs: ['grad'],
  scalars: ['p'],
  outputs: ['y'],
  body: ({ grad }, { p }) => ({ y: grad.abs().pow(p) }),
});

const absolute = defineUpdate({
  name: 'absolute',
  inputs: ['grad'],
  outputs: ['y'],
  body: ({ grad }) => ({ y: grad.abs() }),
});

/** g ← g · min(1, maxNorm/(‖g‖ + 1e-6)), the norm coming in as a 1-element tensor. */
const scaleByNorm = defineUpdate({
  name: 'clipByNorm',
  inputs: ['grad', 'totalNorm'],
  scalars: ['maxNorm'],
  outputs: ['grad'],
  body: ({ grad, totalNorm }, { maxNorm }) => ({
    grad: grad.mul(maxNorm.div(totalNorm.add(1e-6)).minimum(1)),
  }),
});

const clampValue = defineUpdate({
  name: 'clipByValue',
  inputs: ['grad'],
  scalars: ['clipValue'],
  outputs: ['grad'],
  body: ({ grad }, { clipValue }) => ({ grad: grad.maximum(clipValue.neg()).minimum(clipValue) }),
});

/**
 * Scales the gradients of `params` in place so that their joint `normType`-norm is at most
 * `maxNorm`, PyTorch's `torch.nn.utils.clip_grad_norm_`:
 * ```
 * N = ‖(‖g₁‖, …, ‖gₖ‖)‖   (the norm of all gradients as one vector)
 * gᵢ ← gᵢ · min(1, maxNorm / (N + 1e-6))
 * ```
 * Returns N (before clipping) as a 1-element tensor; nothing is read back, so a GPU backend
 * stays on the device. `normType` may be `Infinity` (the largest |g|). Parameters without a
 * gradient are ignored; with none at all the norm is 0.
 */
export function clipGradNorm(
  params: readonly Parameter[],
  maxNorm: number,
  normType: number = 2,
): Tensor {
  if (!(typeof maxNorm === 'number' && maxNorm >= 0)) {
    throw new Error(`clipGradNorm: Invalid maxNorm value: ${String(maxNorm)}`);
  }
  if (!(typeof normType === 'number' && normType > 0)) {
    throw new Error(`clipGradNorm: Invalid normType value: ${String(normType)}`);
  }
  const grads = params.map((p) => p.grad).filter((g): g is Tensor => g !== null);
  if (grads.length === 0) {
    const be = params[0]?.backend;
    if (!be) throw new Error('clipGradNorm: no parameters');
    return be.zeros([]);
  }
  const be = grads[0].backend;
  const total = tidy(() => {
    if (normType === Infinity) {
      return grads
        .map((g) => be.max(be.fusedUpdate(absolute, { grad: g }).y))
        .reduce((a, b) => be.maximum(a, b));
    }
    const sum = grads
      .map((g) => be.sum(be.fusedUpdate(absPow, { grad: g }, { p: normType }).y))
      .reduce((a, b) => be.add(a, b));
    if (normType === 1) return sum;
    return normType === 2 ? be.sqrt(sum) : be.pow(sum, 1 / normType);
  });
  keep(total);
  for (const g of grads) be.fusedUpdate(scaleByNorm, { grad: g, totalNorm: total }, { maxNorm });
  return total;
}

/**
 * Clamps every gradient element to [−clipValue, clipValue] in place, PyTorch's
 * `torch.nn.utils.clip_grad_value_`.
 */
export function clipGradValue(params: readonly Parameter[], clipValue: number): void {
  if (!(typeof clipValue === 'number' && clipValue >= 0)) {
    throw new Error(`clipGradValue: Invalid clipValue value: ${String(clipValue)}`);
  }
  for (const p of params) {
    if (p.grad !== null) p.backend.fusedUpdate(clampValue, { grad: p.grad }, { clipValue });
  }
}
