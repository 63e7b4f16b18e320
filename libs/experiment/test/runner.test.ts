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
    let last: ExperimentEvent | undefined;
    // The timer starts with the run (after its untimed warm-up), which then yields nothing more.
    for await (const e of runExperiment(s, { signal: controller.signal, yieldEveryMs: 10 })) {
      if (e.type === 'start') setTimeout(() => controller.abort(), 150);
      last = e;
    }
    expect(last?.type).toBe('cancelled');
    expect((last as { step: number }).step).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('divergence', () => {
  it('marks only the diverging run, at the first step its loss passes 1e6 × the initial loss; the others finish', async () => {
    // SGD at lr 1.5 on x² maps x to −2x: x_t = 2·(−2)^t and f = 4^(t+1). The initial loss is 4,
    // so the limit is 4e6, first passed at t = 10 (4^11 = 4,194,304); before the limit existed
    // the run went on to step 511, where 4^512 overflows float64.
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
    const reason = 'the loss 4194304 exceeded 4000000 (1000000 × max(|initial loss|, 1))';
    const diverged = events.filter((e) => e.type === 'diverged');
    expect(diverged).toEqual([
      { type: 'diverged', run: 'blowup', seed: 0, step: 10, epoch: null, reason },
    ]);
    expect(summary!.status).toBe('diverged');
    expect(summary!.runs.map((r) => [r.run, r.status, r.steps])).toEqual([
      ['ok', 'done', 600],
      ['blowup', 'diverged', 10],
      ['adam', 'done', 600],
    ]);
    const blowup = summary!.runs[1];
    expect(blowup.diverged).toEqual({ step: 10, reason });
    expect(blowup.finalParams).toEqual([2 * (-2) ** 10]);
    expect(blowup.finalLoss).toBe(4 ** 11);
    expect(summary!.aggregates[1].diverged).toBe(1);
  });

  it('reports a float32 run whose loss grows to 2.1e37 as diverged, not done', async () => {
    // x_t = 2·(−2)^t stays finite in float32 up to t = 126: after 61 steps f = 4^62 ≈ 2.1e37,
    // finite, and the run used to end "done" with that final loss.
    const { summary } = await runToSummary(
      spec(xSquared([{ name: 'blowup', optimizer: { type: 'SGD', lr: 1.5 }, backend: 'cpu' }], 61)),
    );
    expect(summary!.status).toBe('diverged');
    expect(summary!.runs[0]).toMatchObject({ status: 'diverged', steps: 10, finalLoss: 4 ** 11 });
  });

  it('counts a loss that becomes non-finite at once, before any limit could be passed', async () => {
    // x₁ = 2 − 1e200·4: f = 1.6e401 overflows to Infinity at the first step.
    const { summary, events } = await runToSummary(
      spec(xSquared([{ name: 'huge', optimizer: { type: 'SGD', lr: 1e200 }, backend: 'cpu64' }])),
    );
    expect(events.filter((e) => e.type === 'diverged')).toEqual([
      {
        type: 'diverged',
        run: 'huge',
        seed: 0,
        step: 1,
        epoch: null,
        reason: 'the loss became Infinity',
      },
    ]);
    expect(summary!.runs[0].finalParams).toEqual([2 - 4e200]);
  });

  it('measures the limit from a floor of 1 when the initial loss is smaller', async () => {
    // From x = 0.001 (f = 1e-6) at lr 1.5, f_t = 1e-6·4^t. A limit of 1e6 × 1e-6 = 1 would stop
    // the run at t = 10 (f ≈ 1.05); the floor puts it at 1e6, first passed at t = 20.
    const { summary } = await runToSummary(
      spec({
        ...xSquared([{ name: 'tiny', optimizer: { type: 'SGD', lr: 1.5 }, backend: 'cpu64' }], 50),
        task: { kind: 'function', function: { type: 'x-squared' }, start: [0.001] },
      }),
    );
    expect(summary!.runs[0].diverged!.step).toBe(20);
    expect(summary!.runs[0].diverged!.reason).toMatch(/exceeded 1000000 \(/);
  });

  it('stops a model whose minibatch loss blows up and keeps the other runs', async () => {
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

describe('learning rate in events', () => {
  const quadratic = (optimizer: Record<string, unknown> & { type: string }, steps = 5) =>
    spec({
      version: 1,
      name: 'q',
      task: { kind: 'function', function: { type: 'quadratic', coefficients: [1, 10] } },
      training: { steps },
      runs: [{ name: 'r', optimizer, backend: 'cpu64' }],
    });

  it("reports Adafactor's relative step ρₜ = min(1e-2, 1/√t), marked relative-step, not null", async () => {
    // paramGroups[0].lr is null in relative-step mode; events used to carry it as the lr.
    const { events, summary } = await runToSummary(quadratic({ type: 'AdafactorHF' }));
    const start = events.find((e) => e.type === 'start')!;
    expect(start).toMatchObject({ lr: 0.01, lrMode: 'relative-step' });
    const steps = events.filter((e): e is StepEvent => e.type === 'step');
    expect(steps.map((s) => [s.lr, s.lrMode])).toEqual(
      Array.from({ length: 5 }, () => [0.01, 'relative-step']),
    );
    expect(summary!.runs[0].finalLr).toBe(0.01);
  });

  it('follows warmupInit: ρₜ = min(1e-6·t, 1/√t), and ρ₁ is the step Adafactor took', async () => {
    const { events } = await runToSummary(
      quadratic({ type: 'AdafactorHF', warmupInit: true, scaleParameter: false }, 4),
    );
    const steps = events.filter((e): e is StepEvent => e.type === 'step');
    expect(steps.map((s) => s.lr)).toEqual([1, 2, 3, 4].map((t) => 1e-6 * t));
    // First update from (1, 1): the second moment is g² + ε₁, so the direction is sign(g) = 1,
    // of RMS 1 (no clipping), and the step is ρ₁ per coordinate.
    steps[0].params!.forEach((x) => expect(1 - x).toBeCloseTo(steps[0].lr, 15));
  });

  it("reports the schedule's lr, and an optimizer's own lr without a schedule", async () => {
    const scheduled = await runToSummary(
      spec({
        version: 1,
        name: 'q',
        task: { kind: 'function', function: { type: 'x-squared' } },
        training: { steps: 4 },
        runs: [
          {
            name: 'step',
            optimizer: { type: 'SGD', lr: 0.1 },
            schedule: { type: 'StepLR', stepSize: 2, gamma: 0.5 },
          },
        ],
      }),
    );
    const lrs = scheduled.events.filter((e): e is StepEvent => e.type === 'step').map((s) => s.lr);
    expect(lrs).toEqual([0.1, 0.1, 0.05, 0.05]);
    const plain = await runToSummary(quadratic({ type: 'Adam', lr: 0.02 }, 2));
    const start = plain.events.find((e) => e.type === 'start')!;
    expect(start).toMatchObject({ lr: 0.02 });
    expect(start).not.toHaveProperty('lrMode');
  });
});
