import { describe, expect, it } from 'vitest';
import { cpu, type Backend } from '@optlab/tensor';
import {
  assertSpec,
  defaultCatalog,
  runExperiment,
  unitsOf,
  withoutTiming,
  type ExperimentEvent,
} from './helpers.js';

const spec = assertSpec(
  {
    version: 1,
    name: 'warm',
    task: {
      kind: 'classification',
      dataset: { type: 'moons', n: 120, noise: 0.2, seed: 3 },
      model: { type: 'mlp', hidden: [8] },
    },
    training: { epochs: 2, batchSize: 16 },
    runs: [
      { name: 'sgd', optimizer: { type: 'SGD', lr: 0.1 }, seeds: [4, 5] },
      { name: 'adam', optimizer: { type: 'Adam', lr: 0.01 } },
    ],
  },
  defaultCatalog(),
);

async function run(warmUp: boolean, signal?: AbortSignal) {
  const made: Backend[] = [];
  const factory = async () => {
    const b = cpu({ dtype: 'float32' });
    made.push(b);
    return b;
  };
  let clockReadings = 0;
  const now = () => (clockReadings++, performance.now());
  const events: ExperimentEvent[] = [];
  const kernelsAtStart: number[] = [];
  // No yields on a timer: the clock is then read a fixed number of times per run, whatever the load.
  const options = { warmUp, backendFactory: factory, now, signal, yieldEveryMs: Infinity };
  for await (const e of runExperiment(spec, options)) {
    if (e.type === 'start') kernelsAtStart.push(made[0].stats().kernels);
    events.push(e);
  }
  return { events, clockReadings, kernelsAtStart, backend: made[0] };
}

describe('the untimed warm-up', () => {
  it('trains a throwaway copy before each run, off the clock, and changes no result', async () => {
    const cold = await run(false);
    const warm = await run(true);
    expect(withoutTiming(warm.events)).toEqual(withoutTiming(cold.events));
    // The warm-up never reads the run's clock: it is not in any time the run reports.
    expect(warm.clockReadings).toBe(cold.clockReadings);
    // Yet it computed: by each run's start, the warm-ups had launched more kernels.
    for (let i = 0; i < unitsOf(spec).length; i++) {
      expect(warm.kernelsAtStart[i] - (i > 0 ? warm.kernelsAtStart[i - 1] : 0)).toBeGreaterThan(
        cold.kernelsAtStart[i] - (i > 0 ? cold.kernelsAtStart[i - 1] : 0),
      );
    }
    // And it left nothing behind.
    expect(warm.backend.stats().liveTensors).toBe(0);
  });

  it('is cancelled with the run: a signal during the warm-up ends it at step 0', async () => {
    // A program not run before in this thread warms up for 150 ms or more (`WARM_UP`).
    const long = assertSpec(
      {
        ...spec,
        training: { epochs: 10_000, batchSize: 16 },
        runs: [{ name: 'rms', optimizer: { type: 'RMSprop', lr: 0.01 } }],
      },
      defaultCatalog(),
    );
    const controller = new AbortController();
    const events: ExperimentEvent[] = [];
    for await (const e of runExperiment(long, { signal: controller.signal })) {
      if (e.type === 'experiment-start') setTimeout(() => controller.abort(), 20);
      events.push(e);
    }
    expect(events.map((e) => e.type)).toEqual(['experiment-start', 'cancelled']);
    expect(events[1]).toEqual({ type: 'cancelled', run: 'rms', seed: 0, step: 0 });
  });
});
