import { describe, expect, it } from 'vitest';
import {
  assertSpec,
  defaultCatalog,
  runExperiment,
  runToSummary,
  type ExperimentEvent,
  type ExperimentSpecInput,
  type StepEvent,
} from './helpers.js';

const catalog = defaultCatalog();
const spec = (json: ExperimentSpecInput) => assertSpec(json, catalog);

const xSquared = (runs: ExperimentSpecInput['runs'], steps = 10): ExperimentSpecInput => ({
  version: 1,
  name: 'x2',
  task: { kind: 'function', function: { type: 'x-squared' }, start: [2] },
  training: { steps },
  runs,
});

const classification = (runs: ExperimentSpecInput['runs'], epochs = 3): ExperimentSpecInput => ({
  version: 1,
  name: 'cls',
  task: {
    kind: 'classification',
    dataset: { type: 'random-classification', n: 120, features: 5, classes: 3, seed: 1 },
    model: { type: 'mlp', hidden: [8], activation: 'tanh', init: 'xavier-uniform' },
    testFraction: 0.25,
  },
  training: { epochs, batchSize: 16 },
  runs,
});

describe('runExperiment events', () => {
  it('reports start, every step with the trajectory, end and the summary, in order', async () => {
    const { events } = await runToSummary(
      spec(xSquared([{ name: 'gd', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu64' }], 3)),
    );
    expect(events.map((e) => e.type)).toEqual([
      'experiment-start',
      'start',
      'step',
      'step',
      'step',
      'end',
      'summary',
    ]);
    const start = events[1] as Extract<ExperimentEvent, { type: 'start' }>;
    expect(start).toMatchObject({
      run: 'gd',
      seed: 0,
      backend: 'cpu64',
      dtype: 'float64',
      initialLoss: 4,
      params: [2],
      lr: 0.1,
      totalSteps: 3,
    });
    expect(start.device).toMatch(/cpu/);
    // x ← x − 0.1·2x = 0.8x: 1.6, 1.28, 1.024; the loss is x² after the step.
    const steps = events.filter((e): e is StepEvent => e.type === 'step');
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3]);
    steps.forEach((s, i) => {
      const x = 2 * 0.8 ** (i + 1);
      expect(s.params![0]).toBeCloseTo(x, 14);
      expect(s.loss).toBeCloseTo(x * x, 14);
      expect(s.lr).toBe(0.1);
      expect(s.elapsedMs).toBeGreaterThanOrEqual(0);
    });
    const end = events[5] as Extract<ExperimentEvent, { type: 'end' }>;
    expect(end.metrics).toMatchObject({ status: 'done', steps: 3, diverged: null, initialLoss: 4 });
    expect(end.metrics.finalLoss).toBeCloseTo(1.024 ** 2, 14);
    expect(end.metrics.bestStep).toBe(3);
  });

  it('reports evaluations with accuracies for dataset tasks', async () => {
    const { events, summary } = await runToSummary(
      spec(classification([{ name: 'adam', optimizer: { type: 'Adam', lr: 0.01 } }], 4)),
    );
    const evals = events.filter((e) => e.type === 'eval');
    expect(evals.map((e) => (e as { epoch: number }).epoch)).toEqual([1, 2, 3, 4]);
    // 90 training rows in batches of 16: 6 steps per epoch.
    expect(evals.map((e) => (e as { step: number }).step)).toEqual([6, 12, 18, 24]);
    for (const e of evals) {
      expect(e).toMatchObject({
        trainAccuracy: expect.any(Number),
        testAccuracy: expect.any(Number),
      });
    }
    expect(summary!.runs[0].epochs).toBe(4);
    expect(summary!.runs[0].historyUnit).toBe('epoch');
  });
});

describe('cancellation', () => {
  it('stops at the next step when the signal aborts, with a cancelled event and no summary', async () => {
    const controller = new AbortController();
    const seen: ExperimentEvent[] = [];
    const s = spec(
      xSquared(
        [
          { name: 'a', optimizer: { type: 'SGD', lr: 0.01 } },
          { name: 'b', optimizer: { type: 'SGD', lr: 0.01 } },
        ],
        1000,
      ),
    );
    for await (const e of runExperiment(s, { signal: controller.signal })) {
      seen.push(e);
      if (e.type === 'step' && e.step === 5) controller.abort();
    }
    expect(seen.at(-1)).toEqual({ type: 'cancelled', run: 'a', seed: 0, step: 5 });
    expect(seen.some((e) => e.type === 'summary' || e.type === 'end')).toBe(false);
  });

  it('lets a timer abort a long run that yields no events', async () => {
    const controller = new AbortController();
    const s = spec(
      classification([{ name: 'long', optimizer: { type: 'SGD', lr: 0.01 } }], 100_000),
    );
    const started = performance.now();
    setTimeout(() => controller.abort(), 150);
    let last: ExperimentEvent | undefined;
    for await (const e of runExperiment(s, { signal: controller.signal, yieldEveryMs: 10 }))
      last = e;
    expect(last?.type).toBe('cancelled');
    expect((last as { step: number }).step).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('divergence', () => {
  it('marks only the diverging run, at the step its loss overflowed; the others finish', async () => {
    // SGD at lr 1.5 on x² maps x to −2x: x_t = 2·(−2)^t, and x_t² = 2^(2t+2) overflows float64
    // (every value ≥ 2^1024 is Infinity) first at t = 511, while x itself stays finite until t = 1023.
    const { summary, events } = await runToSummary(
      spec(
        xSquared(
          [
            { name: 'ok', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu64' },
            { name: 'blowup', optimizer: { type: 'SGD', lr: 1.5 }, backend: 'cpu64' },
            { name: 'adam', optimizer: { type: 'Adam', lr: 0.1 }, backend: 'cpu64' },
          ],
          600,
        ),
      ),
    );
    const diverged = events.filter((e) => e.type === 'diverged');
    expect(diverged).toEqual([
      {
        type: 'diverged',
        run: 'blowup',
        seed: 0,
        step: 511,
        epoch: null,
        reason: 'the loss became Infinity',
      },
    ]);
    expect(summary!.status).toBe('diverged');
    expect(summary!.runs.map((r) => [r.run, r.status, r.steps])).toEqual([
      ['ok', 'done', 600],
      ['blowup', 'diverged', 511],
      ['adam', 'done', 600],
    ]);
    const blowup = summary!.runs[1];
    expect(blowup.diverged).toEqual({ step: 511, reason: 'the loss became Infinity' });
    expect(blowup.finalParams![0]).toBe(-(2 ** 512));
    expect(summary!.aggregates[1].diverged).toBe(1);
  });

  it('stops a model whose minibatch loss becomes NaN/Inf and keeps the other runs', async () => {
    const { summary } = await runToSummary(
      spec({
        version: 1,
        name: 'lin',
        task: { kind: 'regression', dataset: { type: 'linear', n: 100, noise: 1, seed: 42 } },
        training: { epochs: 400 },
        runs: [
          { name: 'huge', optimizer: { type: 'SGD', lr: 100 }, backend: 'cpu64' },
          { name: 'fine', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu64' },
        ],
      }),
    );
    const [huge, fine] = summary!.runs;
    expect(huge.status).toBe('diverged');
    expect(huge.diverged!.step).toBeGreaterThan(1);
    expect(huge.diverged!.step).toBeLessThan(400);
    expect(fine.status).toBe('done');
    expect(fine.steps).toBe(400);
  });
});

describe('fairness', () => {
  it('gives every run of a seed the same initial weights and data order, on every backend', async () => {
    const same = { type: 'SGD', lr: 0.05 } as const;
    const { events, summary } = await runToSummary(
      spec(
        classification([
          { name: 'a', optimizer: same, backend: 'cpu64', seed: 3 },
          { name: 'b', optimizer: same, backend: 'cpu64', seed: 3 },
          { name: 'c', optimizer: same, backend: 'cpu', seed: 3 },
          { name: 'adam', optimizer: { type: 'Adam' }, backend: 'cpu64', seed: 3 },
          { name: 'other-seed', optimizer: same, backend: 'cpu64', seed: 4 },
        ]),
      ),
    );
    const initial = Object.fromEntries(
      events.filter((e) => e.type === 'start').map((e) => [e.run, e.initialLoss]),
    );
    expect(initial.b).toBe(initial.a);
    expect(initial.adam).toBe(initial.a);
    expect(initial.c).toBeCloseTo(initial.a, 5);
    expect(initial['other-seed']).not.toBe(initial.a);
    const losses = (run: string) =>
      events
        .filter((e) => e.type === 'eval' && e.run === run)
        .map((e) => (e as { loss: number }).loss);
    // Same seed, same optimizer: the same weights and minibatches, so bit-identical histories.
    expect(losses('b')).toEqual(losses('a'));
    losses('c').forEach((l, i) => expect(l).toBeCloseTo(losses('a')[i], 4));
    expect(summary!.runs.find((r) => r.run === 'c')!.device).toMatch(/float32/);
  });

  it('gives the median and range over seeds', async () => {
    const { summary } = await runToSummary(
      spec(
        classification([{ name: 'sgd', optimizer: { type: 'SGD', lr: 0.1 }, seeds: [0, 1, 2] }], 2),
      ),
    );
    const finals = summary!.runs.map((r) => r.finalLoss);
    expect(summary!.runs.map((r) => r.seed)).toEqual([0, 1, 2]);
    const sorted = [...finals].sort((a, b) => a - b);
    expect(summary!.aggregates).toHaveLength(1);
    expect(summary!.aggregates[0].finalLoss).toEqual({
      n: 3,
      median: sorted[1],
      min: sorted[0],
      max: sorted[2],
      q1: (sorted[0] + sorted[1]) / 2,
      q3: (sorted[1] + sorted[2]) / 2,
    });
  });
});
