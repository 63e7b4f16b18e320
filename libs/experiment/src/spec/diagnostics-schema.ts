import * as z from 'zod';

/** Bounds of the diagnostics' power iteration (each Hessian-vector product costs two gradients). */
export const SHARPNESS_LIMITS = { iterations: 1_000 } as const;

/** The power iteration's defaults (`runs[].diagnostics.sharpness`). */
export const SHARPNESS_DEFAULTS = { iterations: 20, tolerance: 1e-3, seed: 0 } as const;

/**
 * `runs[].diagnostics`: opt-in training diagnostics every `every` updates — per-parameter
 * gradient, update and weight norms, and optionally the sharpness (top Hessian eigenvalue).
 * See docs/decisions/0029-training-diagnostics-and-loss-landscapes.md.
 */
export const diagnosticsSchema = z
  .strictObject({
    every: z
      .int()
      .min(1)
      .describe('Compute the diagnostics after every this many updates (and after the last).'),
    sharpness: z
      .strictObject({
        iterations: z
          .int()
          .min(1)
          .max(SHARPNESS_LIMITS.iterations)
          .optional()
          .describe(
            `Most power-iteration steps, each one Hessian-vector product (two gradients) (default ${SHARPNESS_DEFAULTS.iterations}).`,
          ),
        tolerance: z
          .number()
          .gt(0)
          .optional()
          .describe(
            `Stop when the estimate changes by less than this, relative (default ${SHARPNESS_DEFAULTS.tolerance}).`,
          ),
        seed: z
          .int()
          .min(0)
          .optional()
          .describe(
            'Seed of the first start vector (default 0); later estimates start from the previous eigenvector.',
          ),
      })
      .optional()
      .describe(
        'The top Hessian eigenvalue of the full training loss (a test function: the function) by power iteration on finite-difference Hessian-vector products; the weights and gradients are restored, so training is unchanged.',
      ),
  })
  .describe(
    'Training diagnostics every few updates, written as "diagnostics" events: per-parameter gradient norm, update norm and update/weight ratio, and optionally the sharpness.',
  );

export type DiagnosticsSpec = z.infer<typeof diagnosticsSchema>;
