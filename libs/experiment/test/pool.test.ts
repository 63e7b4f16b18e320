import { describe, expect, it } from 'vitest';
import {
  assertSpec,
  defaultCatalog,
  runExperiment,
  withoutTiming,
  type ExperimentEvent,
  type ExperimentSpec,
  type RunEndEvent,
} from './helpers.js';
import { EventSpool, ExperimentPool, runExperimentInPool } from '../src/node/index.js';

/**
 * The worker pool gives the events of the sequential runner, in its order, bit for bit apart from
 * timing fields. The workers run from the TypeScript sources here (tools/source-loader).
 */
async function collect(events: AsyncGenerator<ExperimentEvent, unknown>) {
  const out: ExperimentEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

const functionSpec: ExperimentSpec = assertSpec(
  {
    version: 1,
    name: 'four',
    task: { kind: 'function', function: { type: 'rosenbrock' } },
    training: { steps: 300, targetLoss: 1 },
    runs: [
      { name: 'sgd', optimizer: { type: 'SGD', lr: 1e-3 }, backend: 'cpu64' },
      { name: 'momentum', optimizer: { type: 'SGD', lr: 1e-3, momentum: 0.9 }, backend: 'cpu64' },
      { name: 'adam', optimizer: { type: 'Adam', lr: 0.01 }, seeds: [0, 1], backend: 'cpu' },
      // Diverges: NaN and Infinity must survive the trip through the workers.
      { name: 'blowup', optimizer: { type: 'SGD', lr: 10 }, backend: 'cpu64' },
    ],
  },
  defaultCatalog(),
);

const dataSpec: ExperimentSpec = assertSpec(
  {
    version: 1,
    name: 'mlp',
    task: {
      kind: 'classification',
      dataset: { type: 'moons', n: 200, noise: 0.2, seed: 3 },
      model: { type: 'mlp', hidden: [8] },
      testFraction: 0.25,
    },
    training: { epochs: 3, batchSize: 16 },
    runs: [
      { name: 'sgd', optimizer: { type: 'SGD', lr: 0.1 }, seeds: [1, 2] },
      { name: 'adam', optimizer: { type: 'Adam', lr: 0.01 }, seeds: [1, 2] },
    ],
  },
  defaultCatalog(),
);

describe('runExperimentInPool', () => {
  it('gives the sequential events in order, equal apart from timing, on 2 workers', async () => {
    const sequential = await collect(runExperiment(functionSpec));
    const pooled = await collect(runExperimentInPool(functionSpec, { jobs: 2 }));
    expect(pooled.map((e) => e.type)).toEqual(sequential.map((e) => e.type));
    expect(withoutTiming(pooled)).toEqual(withoutTiming(sequential));
    const ends = pooled.filter((e): e is RunEndEvent => e.type === 'end');
    expect(ends.map((e) => [e.run, e.seed, e.metrics.status])).toEqual([
      ['sgd', 0, 'done'],
      ['momentum', 0, 'done'],
      ['adam', 0, 'done'],
      ['adam', 1, 'done'],
      ['blowup', 0, 'diverged'],
    ]);
    // The first unit timed started while both workers held a unit (none ends before its timing
    // does): it saw 2. Which unit that is depends on the workers' start-up.
    const shared = ends.map((e) => e.metrics.concurrentRuns);
    expect(Math.max(...shared)).toBe(2);
    for (const n of shared) expect([1, 2]).toContain(n);
    const sequentialEnds = sequential.filter((e): e is RunEndEvent => e.type === 'end');
    for (const e of sequentialEnds) expect(e.metrics.concurrentRuns).toBe(1);
  }, 120_000);

  it('gives the same data-task results on 3 workers, through spools held on disk', async () => {
    const sequential = await collect(runExperiment(dataSpec));
    // A spool of 1 byte moves every waiting event to its file at once.
    const pooled = await collect(runExperimentInPool(dataSpec, { jobs: 3, spoolMemoryBytes: 1 }));
    expect(withoutTiming(pooled)).toEqual(withoutTiming(sequential));
  }, 120_000);

  it('runs only the units asked for, in the order given', async () => {
    const sequential = await collect(runExperiment(functionSpec, { units: [1, 4] }));
    const pooled = await collect(runExperimentInPool(functionSpec, { jobs: 2, units: [1, 4] }));
    expect(withoutTiming(pooled)).toEqual(withoutTiming(sequential));
    expect(sequential[0]).toMatchObject({ type: 'experiment-start', total: 2 });
    const summary = sequential.at(-1) as Extract<ExperimentEvent, { type: 'summary' }>;
    expect(summary.summary.runs.map((m) => m.run)).toEqual(['momentum', 'blowup']);
  }, 120_000);

  it('stops on cancel with a cancelled event for the run whose turn it was, and no summary', async () => {
    const long = assertSpec(
      {
        ...functionSpec,
        training: { steps: 2_000_000 },
        runs: functionSpec.runs.slice(0, 2),
      },
      defaultCatalog(),
    );
    const controller = new AbortController();
    const seen: ExperimentEvent[] = [];
    for await (const e of runExperimentInPool(long, { jobs: 2, signal: controller.signal })) {
      seen.push(e);
      if (e.type === 'step' && e.step === 100) controller.abort();
    }
    const last = seen.at(-1) as Extract<ExperimentEvent, { type: 'cancelled' }>;
    expect(last).toMatchObject({ type: 'cancelled', run: 'sgd', seed: 0 });
    expect(last.step).toBeGreaterThanOrEqual(100);
    expect(seen.some((e) => e.type === 'summary' || e.type === 'end')).toBe(false);
  }, 120_000);
});

describe('ExperimentPool', () => {
  it('runs experiments one after the other on the same threads, each as runExperiment would', async () => {
    const pool = new ExperimentPool({ jobs: 2 });
    try {
      const first = await collect(pool.run(dataSpec));
      expect(pool.threads).toBe(2);
      const second = await collect(pool.run(functionSpec, { units: [0, 2, 3] }));
      // No new thread: the second experiment (a comparison's rerun phase) reuses both.
      expect(pool.threads).toBe(2);
      expect(withoutTiming(first)).toEqual(withoutTiming(await collect(runExperiment(dataSpec))));
      expect(withoutTiming(second)).toEqual(
        withoutTiming(await collect(runExperiment(functionSpec, { units: [0, 2, 3] }))),
      );
    } finally {
      await pool.close();
    }
  }, 120_000);

  it("drops what a cancelled experiment's workers still send, and runs the next one whole", async () => {
    const long = assertSpec(
      { ...functionSpec, training: { steps: 2_000_000 }, runs: functionSpec.runs.slice(0, 2) },
      defaultCatalog(),
    );
    const pool = new ExperimentPool({ jobs: 2 });
    try {
      const controller = new AbortController();
      for await (const e of pool.run(long, { signal: controller.signal })) {
        if (e.type === 'step' && e.step === 50) controller.abort();
      }
      const after = await collect(pool.run(functionSpec));
      expect(withoutTiming(after)).toEqual(
        withoutTiming(await collect(runExperiment(functionSpec))),
      );
      await expect(pool.close()).resolves.toBeUndefined();
      await expect(collect(pool.run(functionSpec))).rejects.toThrow('the pool is closed');
    } finally {
      await pool.close();
    }
  }, 120_000);
});

describe('EventSpool', () => {
  it('gives back what it was given, NaN, infinities and −0 included, from memory and from disk', () => {
    const events: ExperimentEvent[] = [NaN, Infinity, -Infinity, -0, 1.5].map((loss, step) => ({
      type: 'step',
      run: 'r',
      seed: 0,
      step,
      epoch: null,
      loss,
      lr: 0.1,
      elapsedMs: step,
    }));
    for (const limit of [1, 1e9]) {
      const spool = new EventSpool(limit);
      for (const e of events) spool.push(e);
      const back = [...spool.drain()];
      expect(back).toEqual(events);
      expect(Object.is((back[3] as { loss: number }).loss, -0)).toBe(true);
      expect([...spool.drain()]).toEqual([]);
      spool.dispose();
    }
  });
});
