import { AdaBelief, ADABELIEF_SPEC } from './adabelief.js';
import { AdEMAMix, ADEMAMIX_SPEC } from './ademamix.js';
import { Adan, ADAN_SPEC } from './adan.js';
import { LAMB, LAMB_SPEC } from './lamb.js';
import { LARS, LARS_SPEC } from './lars.js';
import { info, type OptimizerInfo } from './registry.js';

type Ctor = Parameters<typeof info>[1];

/**
 * Issue 11's large-batch and adaptive optimizers: Optax's `lamb`, `lars`, `adabelief`, `adan`
 * and apple/ml-ademamix's AdEMAMix. Spread into `OPTIMIZERS` by registry.ts.
 */
export const ADAPTIVE_OPTIMIZERS: Record<string, OptimizerInfo> = {
  LAMB: info(LAMB_SPEC, LAMB as unknown as Ctor, {
    summary: 'Adam direction (plus weight decay) scaled per tensor by the trust ratio ‖θ‖/‖u‖.',
    paper: 'You et al. 2020, ICLR',
    statePerParameter: '2 × params (m, v)',
  }),
  LARS: info(LARS_SPEC, LARS as unknown as Ctor, {
    summary: 'SGD with momentum, each tensor’s step scaled by the trust ratio c·‖θ‖/‖g + λθ‖.',
    paper: 'You, Gitman & Ginsburg 2017, arXiv:1708.03888',
    statePerParameter: '1 × params (momentum trace)',
  }),
  AdaBelief: info(ADABELIEF_SPEC, AdaBelief as unknown as Ctor, {
    summary: 'Adam with the second moment of the prediction error g − m instead of g².',
    paper: 'Zhuang et al. 2020, NeurIPS',
    statePerParameter: '2 × params (m, s)',
  }),
  Adan: info(ADAN_SPEC, Adan as unknown as Ctor, {
    summary: 'Adaptive Nesterov momentum from averages of g, of g − g_prev and of a squared term.',
    paper: 'Xie et al. 2022, arXiv:2208.06677',
    statePerParameter: '4 × params (m, v, n, previous g)',
  }),
  AdEMAMix: info(ADEMAMIX_SPEC, AdEMAMix as unknown as Ctor, {
    summary: 'Adam mixing a fast and a slow (β₃ ≈ 0.9999) gradient average, with warmups.',
    paper: 'Pagliardini, Ablin & Grangier 2024, arXiv:2409.03463',
    statePerParameter: '3 × params (fast m, slow m, v; 2 × with β₁ = 0)',
  }),
};
