import type { OptionInfo } from '@optlab/tensor';

/**
 * Option descriptions shared by the optimizers that follow Optax (LAMB, LARS, AdaBelief, Adan)
 * and apple/ml-ademamix (AdEMAMix). Optax checks no option and lets ε and ε_root be 0 (LAMB's
 * ε_root and LARS's ε default to 0), so these bounds are inclusive where common.ts's are not.
 */

/** ε outside the square root, 0 allowed (Optax's `eps`). */
export const nonNegativeEpsOption = (dflt: number, doc: string): OptionInfo => ({
  name: 'eps',
  kind: 'number',
  default: dflt,
  min: 0,
  doc,
});

/** ε inside the square root (Optax's `eps_root`). */
export const epsRootOption = (dflt: number, doc: string): OptionInfo => ({
  name: 'epsRoot',
  kind: 'number',
  default: dflt,
  min: 0,
  doc,
});

/** Three decay rates [β₁, β₂, β₃], each in [0, 1) (a rate of 1 makes a bias correction 0). */
export const betas3Option = (dflt: readonly [number, number, number], doc: string): OptionInfo => ({
  name: 'betas',
  kind: 'numbers',
  default: dflt,
  min: 0,
  max: 1,
  exclusiveMax: true,
  minItems: 3,
  doc,
});

/** The length rule of a three-beta option (the bounds of each are checked with the option). */
export function checkThreeBetas(
  group: Readonly<Record<string, unknown>>,
): { option: string; message: string } | undefined {
  const betas = group.betas;
  if (Array.isArray(betas) && betas.length === 3) return undefined;
  return {
    option: 'betas',
    message: `option "betas" must be three numbers [β₁, β₂, β₃], got ${JSON.stringify(betas)}`,
  };
}
