import { createOptimizer, isClosureOptimizer, type Optimizer } from '@optlab/optim';
import { optionsOf } from '../spec/options-check.js';
import type { ExperimentSpec } from '../spec/schema.js';
import { BackendPool, createBackend, type BackendFactory } from '../runner/backends.js';
import { DataTask } from '../runner/data-task.js';
import { FunctionTask } from '../runner/function-task.js';
import { prepareTask } from '../runner/prepared-task.js';
import type { TrainingTask } from '../runner/training-task.js';
import { lrRangeTest, type LrFindOptions, type LrFindResult } from './range-test.js';

/** A run that cannot take a range test, said for the user. */
export class LrFindError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LrFindError';
  }
}

/**
 * The range test of one run of a spec, for each of `seeds`: the run's task (its model, data and
 * initial weights for the seed, or its function and start point), its optimizer with its options,
 * and the lr set on every parameter group before each update. The run's schedule is not used:
 * the test sets the lr itself. Training runs for the test's steps however long the spec's
 * training is (minibatches go on over epochs).
 */
export async function runLrFind(
  spec: ExperimentSpec,
  runName: string,
  seeds: readonly number[],
  options: LrFindOptions,
  backendFactory: BackendFactory = createBackend,
): Promise<{ seed: number; result: LrFindResult }[]> {
  const run = spec.runs.find((r) => r.name === runName);
  if (!run) throw new LrFindError(`no run named "${runName}"`);
  const prepared = await prepareTask(spec);
  const pool = new BackendPool(backendFactory);
  try {
    const backend = await pool.get({ backend: run.backend, gpuMode: run.gpuMode });
    const out: { seed: number; result: LrFindResult }[] = [];
    for (const seed of seeds) {
      const task: TrainingTask =
        prepared.kind === 'function'
          ? new FunctionTask(backend, prepared, options.steps)
          : new DataTask(backend, spec, prepared, { run: run.name, seed, boundarySize: null });
      let optimizer: Optimizer | null = null;
      try {
        const begun = await task.start();
        optimizer = createOptimizer(run.optimizer.type, begun.parameters, optionsOf(run.optimizer));
        const opt = optimizer;
        if (isClosureOptimizer(opt)) {
          // Its line search or second gradient would change the step the range test measures.
          throw new LrFindError(
            `${run.optimizer.type} steps with a closure; the LR range test takes one plain step per lr`,
          );
        }
        if (opt.paramGroups.some((g) => typeof g.lr !== 'number')) {
          throw new LrFindError(
            `${run.optimizer.type} as configured has no learning rate to search (relative-step mode)`,
          );
        }
        let before = begun.initial.loss;
        const result = await lrRangeTest(async (lr, i) => {
          for (const g of opt.paramGroups) g.lr = lr;
          const lossT = await task.step(i);
          let loss = before;
          if (lossT) {
            loss = (await lossT.data())[0];
            lossT.dispose();
          }
          opt.step();
          // A function's loss comes from evaluating the point; it is the next update's "before".
          if (!lossT) before = (await task.evaluate()).loss;
          return loss;
        }, options);
        out.push({ seed, result });
      } finally {
        optimizer?.dispose?.();
        task.dispose();
      }
    }
    return out;
  } finally {
    if (prepared.kind !== 'function') prepared.dispose();
    await pool.dispose();
  }
}
