import { datasetOwnSplits } from '@optlab/models';
import type { ExperimentSpec } from '../spec/schema.js';

/**
 * Whether a task has test and validation data: a split of its training rows, or a set its dataset
 * brings of its own (Fashion-MNIST's test images; quadratic_deep's validation draws).
 */
export function heldOutSets(task: ExperimentSpec['task']): { test: boolean; validation: boolean } {
  if (task.kind === 'function') return { test: false, validation: false };
  const own = datasetOwnSplits(task.dataset.type);
  return {
    test: task.testFraction > 0 || own.test,
    validation: task.validationFraction > 0 || own.validation,
  };
}
