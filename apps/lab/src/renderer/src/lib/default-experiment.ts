/** The experiment a new lab starts with: SGD, Momentum and Adam on Rosenbrock, built from the catalog's defaults. */
import { catalog } from './catalog.js';
import { fromSpec, type ExperimentDraft } from './draft.js';
import { defaultsOf } from './options.js';

export function newExperiment(): ExperimentDraft {
  const fn = 'rosenbrock' in catalog.functions ? 'rosenbrock' : Object.keys(catalog.functions)[0];
  const optimizer = (type: string, patch: Record<string, unknown>) => ({
    ...defaultsOf(type, catalog.optimizers[type]?.options ?? []),
    ...patch,
  });
  return fromSpec({
    version: 1,
    name: 'New experiment',
    task: {
      kind: 'function',
      function: defaultsOf(fn, catalog.functions[fn].options),
      start: [-1.5, 2],
    },
    training: { steps: 2000 },
    runs: [
      { name: 'SGD', optimizer: optimizer('SGD', { lr: 0.001 }), backend: 'cpu', seed: 0 },
      {
        name: 'Momentum',
        optimizer: optimizer('SGD', { lr: 0.001, momentum: 0.9 }),
        backend: 'cpu',
        seed: 0,
      },
      { name: 'Adam', optimizer: optimizer('Adam', { lr: 0.02 }), backend: 'cpu', seed: 0 },
    ],
  });
}
