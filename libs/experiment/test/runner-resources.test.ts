import type { Backend } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import {
  assertSpec,
  createBackend,
  defaultCatalog,
  runExperiment,
  type BackendFactory,
  type ExperimentEvent,
  type ExperimentSpecInput,
} from './helpers.js';

/**
 * Backends made by the runner, kept alive after the experiment so that their live-tensor counts
 * can be read: `dispose` is a no-op here (the runner's pool would otherwise free the backend,
 * and a GPU backend keeps its kernels only while tensors are live, which hides nothing but
 * makes the count unreadable afterwards).
 */
function keptBackends(): { factory: BackendFactory; made: Backend[] } {
  const made: Backend[] = [];
  const factory: BackendFactory = async (request) => {
    const be = await createBackend(request);
    made.push(be);
    Object.defineProperty(be, 'dispose', { value: () => undefined });
    return be;
  };
  return { factory, made };
}

const classification = (
  backend: 'cpu' | 'gpu',
  training: ExperimentSpecInput['training'],
  optimizer: ExperimentSpecInput['runs'][number]['optimizer'] = { type: 'Adam', lr: 0.01 },
): ExperimentSpecInput => ({
  version: 1,
  name: 'resources',
  task: {
    kind: 'classification',
    dataset: { type: 'random-classification', n: 40, features: 4, classes: 3, seed: 1 },
    model: { type: 'mlp', hidden: [8, 8], activation: 'tanh' },
    testFraction: 0.25,
  },
  training,
  runs: [
    {
      name: 'r',
      optimizer,
      backend,
      ...(backend === 'gpu' ? { gpuMode: 'webasm' } : {}),
    },
  ],
});

describe('live tensors', () => {
  for (const backend of ['cpu', 'gpu'] as const) {
    it(`stay flat over 1,000 steps with an evaluation after each, and return to the baseline (${backend})`, async () => {
      const { factory, made } = keptBackends();
      const spec = assertSpec(
        classification(backend, { steps: 1000, batchSize: 10, evalEvery: 1 }),
        defaultCatalog(),
      );
      const liveAtEval: number[] = [];
      let device = '';
      for await (const e of runExperiment(spec, { backendFactory: factory })) {
        if (e.type === 'start') device = e.device;
        if (e.type === 'eval') liveAtEval.push(made[0].stats().liveTensors);
      }
      if (backend === 'gpu') expect(device).toMatch(/^gpu\.js webasm/);
      expect(liveAtEval).toHaveLength(1000);
      // Data, parameters with their gradients and Adam's two moments: the same after every step.
      expect(new Set(liveAtEval)).toEqual(new Set([liveAtEval[0]]));
      // A fresh backend starts with none; the finished run leaves none.
      expect(made[0].stats().liveTensors).toBe(0);
    }, 120_000);
  }
});

describe('cleanup', () => {
  it('releases the optimizer state, model and data of a run cancelled mid-run', async () => {
    const { factory, made } = keptBackends();
    const spec = assertSpec(
      classification('cpu', { epochs: 50, batchSize: 10, evalEvery: 1 }),
      defaultCatalog(),
    );
    const controller = new AbortController();
    const seen: ExperimentEvent[] = [];
    let liveWhileRunning = 0;
    for await (const e of runExperiment(spec, {
      backendFactory: factory,
      signal: controller.signal,
    })) {
      seen.push(e);
      if (e.type === 'eval' && e.epoch === 3) {
        liveWhileRunning = made[0].stats().liveTensors;
        controller.abort();
      }
    }
    expect(seen.at(-1)).toEqual({ type: 'cancelled', run: 'r', seed: 0, step: 9 });
    // Adam's moments exist by then (2 per parameter tensor), beside the weights and the data.
    expect(liveWhileRunning).toBeGreaterThan(12);
    expect(made[0].stats().liveTensors).toBe(0);
  });

  it('releases everything when a consumer stops pulling events (return() on the iterator)', async () => {
    const { factory, made } = keptBackends();
    const spec = assertSpec(
      classification('cpu', { epochs: 50, batchSize: 10 }, { type: 'SGD', lr: 0.1, momentum: 0.9 }),
      defaultCatalog(),
    );
    for await (const e of runExperiment(spec, { backendFactory: factory })) {
      if (e.type === 'eval' && e.epoch === 2) break;
    }
    expect(made[0].stats().liveTensors).toBe(0);
  });
});
