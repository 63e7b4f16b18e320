import { OPTIMIZERS } from '@optlab/optim';
export * from '../src/index.js';

export const OPTIMIZER_NAMES_FOR_TEST = Object.keys(OPTIMIZERS);
