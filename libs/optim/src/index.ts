/**
 * @optlab/optim — optimizers and learning-rate schedules with PyTorch's semantics, written once
 * against @optlab/tensor's Backend interface.
 */
export * from './optimizers/index.js';
export * from './schedules/index.js';
export type { OptionInfo, OptionProblem } from './options.js';
export * from './averaging/index.js';
export * from './theory/heavy-ball.js';
export * from './theory/stability.js';
