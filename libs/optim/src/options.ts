/**
 * Option descriptions of optimizers and schedules. The type and its checker live in
 * @optlab/tensor, shared with @optlab/models and the experiment spec (docs/decisions/0009).
 */
export type { OptionInfo, OptionProblem } from '@optlab/tensor';
