import { registry, type OptionProblem } from '@optlab/tensor';
import {
  DATASETS,
  FUNCTIONS,
  MODELS,
  checkDatasetOptions,
  checkFunctionOptions,
  checkModelOptions,
  datasetShape,
  functionDimension,
  modelDataProblem,
  modelParameterCount,
  modelParameterLayout,
} from '@optlab/models';
import {
  AVERAGING,
  LOOKAHEAD_OPTIONS,
  OPTIMIZERS,
  SCHEDULES,
  checkAveragingOptions,
  checkOptimizerOptions,
  checkScheduleOptions,
} from '@optlab/optim';
import type { Catalog, CatalogEntry, ConfigKind, DatasetEntry } from './catalog.js';

/**
 * gpu.js modes of @optlab/tensor-gpu (its `GPU_MODES`). Listed here rather than imported so that
 * validating a spec never loads gpu.js; a test checks the two lists agree.
 */
export const GPU_MODE_NAMES: readonly string[] = ['webgl2', 'webgpu', 'webasm', 'cpu'];

let cached: Catalog | null = null;

/** The catalog of the libraries' registries (built once). */
export function defaultCatalog(): Catalog {
  cached ??= buildCatalog();
  return cached;
}

/** Each config kind's check, owned by its library. */
const CHECKS: Readonly<
  Record<ConfigKind, (type: string, options: Readonly<Record<string, unknown>>) => OptionProblem[]>
> = {
  optimizer: checkOptimizerOptions,
  schedule: checkScheduleOptions,
  averaging: checkAveragingOptions,
  dataset: checkDatasetOptions,
  model: checkModelOptions,
  function: checkFunctionOptions,
};

function buildCatalog(): Catalog {
  return {
    optimizers: mapValues(OPTIMIZERS, (o) => ({
      name: o.name,
      summary: o.summary,
      options: o.options,
      source: o.paper,
      ...(o.parameterShapes ? { parameterShapes: o.parameterShapes } : {}),
      ...(o.requiresClosure ? { requiresClosure: true } : {}),
    })),
    optimizerWrappers: registry({
      Lookahead: {
        name: 'Lookahead',
        field: 'lookahead',
        summary:
          'Wraps any optimizer: every k steps the slow weights move α toward the fast ones, which restart there.',
        options: LOOKAHEAD_OPTIONS,
        source: 'Zhang, Lucas, Hinton & Ba 2019, NeurIPS',
      },
    }),
    schedules: mapValues(SCHEDULES, (s) => ({
      name: s.name,
      summary: s.summary,
      options: s.options,
      source: s.source,
    })),
    averaging: mapValues(AVERAGING, (a) => ({
      name: a.type,
      summary: `${a.className}: ${a.summary}`,
      options: a.options,
      source: a.source,
    })),
    functions: mapValues(FUNCTIONS, (f) => ({
      name: f.kind,
      summary: f.summary,
      options: f.options,
    })),
    datasets: mapValues(DATASETS, (d): DatasetEntry => {
      const taskOption = d.options.find((o) => o.name === 'task' && o.kind === 'choice');
      return {
        name: d.kind,
        summary: d.summary,
        options: d.options,
        source: d.source,
        requiresOneOf: d.requiresOneOf,
        tasks: taskOption ? (taskOption.choices as ('regression' | 'classification')[]) : [d.task],
      };
    }),
    models: mapValues(MODELS, (m) => ({
      name: m.kind,
      summary: m.summary,
      options: m.options,
      tasks: [m.task],
      ...(m.structured
        ? {
            structuredOptions: m.structured.map(({ name, doc, required, example, itemTypes }) => ({
              name,
              doc,
              required,
              example,
              ...(itemTypes ? { itemTypes } : {}),
            })),
          }
        : {}),
    })),
    gpuModes: GPU_MODE_NAMES,
    checkOptions: (kind, type, options) => CHECKS[kind](type, options),
    functionDimension,
    datasetShape,
    modelParameterCount,
    modelParameterLayout,
    modelDataProblem,
  };
}

function mapValues<T, U extends CatalogEntry>(
  record: Readonly<Record<string, T>>,
  f: (v: T) => U,
): Readonly<Record<string, U>> {
  const out: Record<string, U> = {};
  for (const [k, v] of Object.entries(record)) out[k] = f(v);
  return registry(out);
}
