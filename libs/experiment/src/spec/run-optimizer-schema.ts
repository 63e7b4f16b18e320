import * as z from 'zod';
import { LIMITS } from './limits.js';

/**
 * What a run adds around its optimizer, beside `optimizer` in the run (all optional): a
 * Lookahead wrapper, gradient clipping before each step, per-layer parameter groups, and the
 * optimizer of the parameters a matrices-only optimizer (Muon) cannot take. Kept in one place so
 * that `runSchema` spreads them in as one group; `validate.ts` checks what depends on the
 * registries and the model (group options, names that match nothing), `build-optimizer.ts`
 * builds them. See docs/decisions/0016-optimizers-in-the-runner.md.
 */
export const runOptimizerFields = {
  lookahead: z
    .strictObject({
      k: z.int().min(1).optional().describe('Fast steps between synchronisations (default 5).'),
      alpha: z.number().min(0).max(1).optional().describe('Slow-weights step size (default 0.5).'),
    })
    .optional()
    .describe('Wrap the optimizer in Lookahead (Zhang et al. 2019).'),
  clipGradNorm: z
    .strictObject({
      maxNorm: z.number().min(0).describe('Largest norm of all gradients together.'),
      normType: z
        .union([z.number().gt(0), z.literal('inf')])
        .optional()
        .describe('p of the p-norm (default 2), or "inf" for the largest |g|.'),
    })
    .optional()
    .describe(
      'Scale the gradients before each step so that their joint norm is at most maxNorm (torch.nn.utils.clip_grad_norm_).',
    ),
  clipGradValue: z
    .strictObject({
      clipValue: z.number().min(0).describe('Largest |g| of any element.'),
    })
    .optional()
    .describe(
      'Clamp every gradient element to [−clipValue, clipValue] before each step (torch.nn.utils.clip_grad_value_), before clipGradNorm.',
    ),
  paramGroups: z
    .array(
      z.looseObject({
        match: z
          .string()
          .min(1)
          .describe(
            'Parameters whose name contains these dot-separated parts in a row: "bias", "layer1", "layer2.W", "*.b".',
          ),
      }),
    )
    .min(1)
    .max(LIMITS.paramGroups)
    .optional()
    .describe(
      'Dataset tasks: optimizer options per parameter, e.g. [{ "match": "bias", "weightDecay": 0 }]. Every entry that matches a parameter applies, later ones over earlier ones; each must match something.',
    ),
  fallback: z
    .looseObject({
      type: z.string().min(1).optional().describe('Optimizer name (default AdamW).'),
    })
    .optional()
    .describe(
      "Muon (2-D parameters only): the optimizer of the other parameters (biases), default AdamW with Muon's lr.",
    ),
};

export type RunOptimizerFields = {
  [K in keyof typeof runOptimizerFields]: z.output<(typeof runOptimizerFields)[K]>;
};
