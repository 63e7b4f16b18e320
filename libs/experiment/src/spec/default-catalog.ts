import { Parameter, cpu } from '@optlab/tensor';
import { DATASETS, FUNCTIONS, MODELS, createFunction } from '@optlab/models';
import { OPTIMIZERS, SCHEDULES, createOptimizer, createSchedule } from '@optlab/optim';
import type { Catalog, CatalogEntry, DatasetEntry } from './catalog.js';

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

function buildCatalog(): Catalog {
  const probeBackend = cpu({ dtype: 'float64' });
  const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
  return {
    optimizers: mapValues(OPTIMIZERS, (o) => ({
      name: o.name,
      summary: o.summary,
      options: o.options,
      source: o.paper,
    })),
    schedules: mapValues(SCHEDULES, (s) => ({
      name: s.name,
      summary: s.summary,
      options: s.options,
      source: s.source,
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
        tasks: taskOption ? (taskOption.choices as ('regression' | 'classification')[]) : [d.task],
      };
    }),
    models: mapValues(MODELS, (m) => ({
      name: m.kind,
      summary: m.summary,
      options: m.options,
      tasks: [m.task],
    })),
    gpuModes: GPU_MODE_NAMES,
    probeOptimizer(type, options) {
      const p = new Parameter(probeBackend.zeros([2, 2]));
      try {
        createOptimizer(type, [p], options).dispose();
        return undefined;
      } catch (err) {
        return message(err);
      } finally {
        p.dispose();
      }
    },
    probeSchedule(type, options) {
      const p = new Parameter(probeBackend.zeros([1]));
      try {
        const optimizer = createOptimizer('SGD', [p], { lr: 0.1 });
        try {
          createSchedule(type, optimizer, options);
        } finally {
          optimizer.dispose();
        }
        return undefined;
      } catch (err) {
        return message(err);
      } finally {
        p.dispose();
      }
    },
    functionDimension(type, options) {
      try {
        return { dimension: createFunction({ kind: type, ...options }).dim };
      } catch (err) {
        return { error: message(err) };
      }
    },
  };
}

function mapValues<T, U extends CatalogEntry>(
  record: Readonly<Record<string, T>>,
  f: (v: T) => U,
): Record<string, U> {
  const out: Record<string, U> = {};
  for (const [k, v] of Object.entries(record)) out[k] = f(v);
  return out;
}
