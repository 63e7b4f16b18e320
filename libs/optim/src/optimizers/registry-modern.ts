import { AdamWScheduleFree, ADAMW_SCHEDULE_FREE_SPEC } from './adamw-schedule-free.js';
import { Muon, MUON_SPEC } from './muon.js';
import { Prodigy, PRODIGY_SPEC } from './prodigy.js';
import { info, type Ctor, type OptimizerInfo } from './registry.js';
import { SGDScheduleFree, SGD_SCHEDULE_FREE_SPEC } from './sgd-schedule-free.js';

/** Muon, the Schedule-Free pair and Prodigy (issue 11, item 3), spread into `OPTIMIZERS`. */
export const MODERN_OPTIMIZERS: Readonly<Record<string, OptimizerInfo>> = {
  Muon: {
    ...info(MUON_SPEC, Muon as unknown as Ctor, {
      summary:
        'Momentum orthogonalized by Newton–Schulz iterations; 2-D parameters only (biases go to AdamW).',
      paper:
        'Jordan et al. 2024 (kellerjordan.github.io/posts/muon); Liu et al. 2025, arXiv:2502.16982',
      statePerParameter: '1 × params (momentum buffer)',
    }),
    parameterShapes: 'matrices',
  },
  AdamWScheduleFree: info(ADAMW_SCHEDULE_FREE_SPEC, AdamWScheduleFree as unknown as Ctor, {
    summary:
      'AdamW without a schedule: gradients at y, an average x of the iterates; train()/eval() switch between them.',
    paper: 'Defazio et al. 2024, NeurIPS ("The Road Less Scheduled")',
    statePerParameter: '2 × params (z, v)',
  }),
  SGDScheduleFree: info(SGD_SCHEDULE_FREE_SPEC, SGDScheduleFree as unknown as Ctor, {
    summary:
      'SGD without a schedule: gradients at y, an average x of the iterates; train()/eval() switch between them.',
    paper: 'Defazio et al. 2024, NeurIPS ("The Road Less Scheduled")',
    statePerParameter: '1 × params (z)',
  }),
  Prodigy: info(PRODIGY_SPEC, Prodigy as unknown as Ctor, {
    summary: 'Adam with a step size d estimated from the gradients (D-Adaptation); lr stays 1.',
    paper: 'Mishchenko & Defazio 2024, ICML',
    statePerParameter: '4 × params (θ₀, s, m, v; 3 with β₁ = 0) + 5 numbers (d estimate)',
  }),
};
