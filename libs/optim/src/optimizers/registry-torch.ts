import { checkOptionValues, type OptionProblem } from '@optlab/tensor';
import type { OptionInfo } from '../options.js';
import { Adafactor, ADAFACTOR_SPEC } from './adafactor.js';
import { AdafactorHF, ADAFACTOR_HF_SPEC } from './adafactor-hf.js';
import { ASGD, ASGD_SPEC } from './asgd.js';
import { LBFGS, LBFGS_SPEC } from './lbfgs.js';
import { Rprop, RPROP_SPEC } from './rprop.js';
import { checkOptimizerOptions, info, OPTIMIZERS, type OptimizerInfo } from './registry.js';
import type { Optimizer } from './optimizer.js';
import { SAM } from './sam.js';
import { SAM_GROUP_OPTIONS } from './sam-options.js';

/*
 * The rest of torch.optim (ASGD, Rprop, LBFGS, torch's Adafactor), Hugging Face's Adafactor
 * under its own name, and SAM. Spread into OPTIMIZERS by registry.ts, which alone imports this
 * file. sam.ts imports registry.ts back (SAM creates its base by name); the cycle is safe
 * because nothing here reads sam.ts's bindings while the modules load (SAM is only constructed
 * inside `create`).
 */

type Ctor = Parameters<typeof info>[1];

/** SAM's options in forms and specs: the base's name, ρ and adaptive; the base's options pass through. */
const SAM_OPTIONS: readonly OptionInfo[] = [
  {
    name: 'base',
    kind: 'choice',
    default: null,
    // Read when a form or a check asks, after every module has loaded.
    get choices(): readonly string[] {
      return Object.keys(OPTIMIZERS).filter((n) => n !== 'SAM' && n !== 'LBFGS');
    },
    doc: 'The optimizer that takes the step (required); its options are given beside rho and adaptive.',
  },
  ...SAM_GROUP_OPTIONS,
];

/**
 * SAM's options as a spec gives them: base, rho and adaptive checked as SAM's, every other
 * option as the base optimizer's (as `new SAM(params, { base, rho, ...baseOptions })` takes them).
 */
function checkSamOptions(options: Readonly<Record<string, unknown>>): OptionProblem[] {
  const own: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (SAM_OPTIONS.some((o) => o.name === key)) own[key] = value;
    else rest[key] = value;
  }
  const problems = checkOptionValues(SAM_OPTIONS, own, [], 'optimizer SAM');
  if (problems.length > 0) return problems;
  if (typeof own.base !== 'string') {
    return [
      {
        path: ['base'],
        message: `SAM needs "base": the optimizer it wraps, one of ${SAM_OPTIONS[0].choices!.join(', ')}`,
      },
    ];
  }
  return checkOptimizerOptions(own.base, rest).map((p) => ({
    ...p,
    message: `${p.message} (an option of SAM's base ${own.base})`,
  }));
}

export const TORCH_OPTIMIZERS: Readonly<Record<string, OptimizerInfo>> = {
  ASGD: info(ASGD_SPEC, ASGD as unknown as Ctor, {
    summary: 'SGD with a decaying step and a running (Polyak) average of the iterates.',
    paper: 'Polyak & Juditsky 1992, SIAM J. Control Optim.',
    statePerParameter: '1 × params (ax) + 2 numbers (η, μ)',
  }),
  Rprop: info(RPROP_SPEC, Rprop as unknown as Ctor, {
    summary: 'Per-coordinate step sizes grown or shrunk by the sign agreement of the gradients.',
    paper: 'Riedmiller & Braun 1993, ICNN',
    statePerParameter: '2 × params (previous gradient, step sizes)',
  }),
  LBFGS: {
    ...info(LBFGS_SPEC, LBFGS as unknown as Ctor, {
      summary:
        'Limited-memory quasi-Newton steps, optionally with a strong-Wolfe line search; needs a closure.',
      paper: 'Nocedal 1980, Math. Comp.; Liu & Nocedal 1989',
      statePerParameter: '(2·historySize + 2) × params (s, y pairs, d, previous gradient)',
    }),
    requiresClosure: true,
  },
  Adafactor: info(ADAFACTOR_SPEC, Adafactor as unknown as Ctor, {
    summary:
      'PyTorch’s Adafactor: factored second moments, lr-capped relative step, update clipping.',
    paper: 'Shazeer & Stern 2018, ICML (torch.optim.Adafactor semantics)',
    statePerParameter: 'n + m per n×m matrix, 1 × params for vectors',
  }),
  AdafactorHF: info(ADAFACTOR_HF_SPEC, AdafactorHF as unknown as Ctor, {
    summary:
      'Hugging Face’s Adafactor: factored second moments, relative step sizes, update clipping, optional beta1.',
    paper: 'Shazeer & Stern 2018, ICML (transformers.optimization.Adafactor semantics)',
    statePerParameter: 'n + m per n×m matrix, 1 × params for vectors (+1 × params with beta1)',
  }),
  SAM: {
    name: 'SAM',
    summary:
      'Sharpness-aware minimization around any base optimizer; two gradients per step, needs a closure.',
    paper: 'Foret et al. 2021, ICLR; adaptive: Kwon et al. 2021, ICML',
    statePerParameter: '1 × params (w before the ascent) + the base optimizer’s',
    options: SAM_OPTIONS,
    requiresClosure: true,
    checkOptions: checkSamOptions,
    create: (params, options = {}) => new SAM(params, options) as unknown as Optimizer,
  },
};
