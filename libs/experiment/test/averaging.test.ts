import { describe, expect, it } from 'vitest';
import {
  assertSpec,
  defaultCatalog,
  runToSummary,
  validateSpec,
  type ExperimentEvent,
  type ExperimentSpecInput,
} from './helpers.js';

const catalog = defaultCatalog();

/** f(x) = x² from 2 with SGD lr 0.1 on cpu64: the raw point after update s is 2·0.8^s. */
const xSquared = (
  averaging: Record<string, unknown> | undefined,
  steps = 3,
  extra: Record<string, unknown> = {},
): ExperimentSpecInput => ({
  version: 1,
  name: 'avg',
  task: { kind: 'function', function: { type: 'x-squared' }, start: [2] },
  training: { steps, scheduleInterval: 'step' },
  runs: [
    {
      name: 'gd',
      optimizer: { type: 'SGD', lr: 0.1 },
      backend: 'cpu64',
      ...(averaging ? { averaging: averaging as { type: string } } : {}),
      ...extra,
    },
  ],
});

const steps = (events: ExperimentEvent[]) =>
  events.filter((e): e is Extract<ExperimentEvent, { type: 'step' }> => e.type === 'step');
const end = (events: ExperimentEvent[]) =>
  events.find((e): e is Extract<ExperimentEvent, { type: 'end' }> => e.type === 'end')!;

describe('runs[].averaging: evaluations on the averaged weights, training on the raw ones', () => {
  it('ema: every evaluation and the final metrics are those of the EMA, and say so', async () => {
    const { events } = await runToSummary(
      assertSpec(xSquared({ type: 'ema', decay: 0.5 }), catalog),
    );
    // raw: 1.6, 1.28, 1.024; EMA: 1.6 (copy), 1.6 + 0.5(1.28 − 1.6), 1.44 + 0.5(1.024 − 1.44)
    const ema = [1.6, 1.44, 1.232];
    steps(events).forEach((e, i) => {
      expect(e.evaluatedOn).toBe('ema');
      expect(e.params![0]).toBeCloseTo(ema[i], 14);
      expect(e.loss).toBeCloseTo(ema[i] ** 2, 14);
    });
    const m = end(events).metrics;
    expect(m.evaluatedOn).toBe('ema');
    expect(m.finalParams![0]).toBeCloseTo(1.232, 14);
    expect(m.finalLoss).toBeCloseTo(1.232 ** 2, 14);
  });

  it('swa: raw weights until start, then the running equal average', async () => {
    const { events } = await runToSummary(assertSpec(xSquared({ type: 'swa', start: 1 }), catalog));
    const s = steps(events);
    expect(s.map((e) => e.evaluatedOn)).toEqual(['raw', 'swa', 'swa']);
    // step 1: raw 1.6; step 2: the average is the copy 1.28; step 3: (1.28 + 1.024) / 2
    [1.6, 1.28, 1.152].forEach((v, i) => expect(s[i].params![0]).toBeCloseTo(v, 14));
    expect(end(events).metrics.evaluatedOn).toBe('swa');
  });

  it('swa with swaLr: SWALR takes over the schedule after start, as in PyTorch’s recipe', async () => {
    const { events } = await runToSummary(
      assertSpec(
        xSquared(
          { type: 'swa', start: 2, swaLr: 0.01, annealEpochs: 2, annealStrategy: 'linear' },
          6,
        ),
        catalog,
      ),
    );
    const lrs = steps(events).map((e) => e.lr);
    [0.1, 0.1, 0.1, 0.055, 0.01, 0.01].forEach((v, i) => expect(lrs[i]).toBeCloseTo(v, 15));
  });

  it('without averaging, events and metrics carry no evaluatedOn', async () => {
    const { events } = await runToSummary(assertSpec(xSquared(undefined), catalog));
    expect(steps(events).every((e) => !('evaluatedOn' in e))).toBe(true);
    expect('evaluatedOn' in end(events).metrics).toBe(false);
  });

  it('a classification run evaluates accuracies on the EMA', async () => {
    const spec = assertSpec(
      {
        version: 1,
        name: 'cls',
        task: {
          kind: 'classification',
          dataset: { type: 'random-classification', n: 60, features: 4, classes: 3, seed: 1 },
          model: { type: 'mlp', hidden: [6] },
          testFraction: 0.25,
        },
        training: { epochs: 2, batchSize: 15 },
        runs: [
          { name: 'raw', optimizer: { type: 'SGD', lr: 0.1 } },
          {
            name: 'ema',
            optimizer: { type: 'SGD', lr: 0.1 },
            averaging: { type: 'ema', decay: 0.9 },
          },
        ],
      },
      catalog,
    );
    const { events } = await runToSummary(spec);
    const evals = events.filter((e) => e.type === 'eval') as Extract<
      ExperimentEvent,
      { type: 'eval' }
    >[];
    const raw = evals.filter((e) => e.run === 'raw');
    const ema = evals.filter((e) => e.run === 'ema');
    expect(ema.map((e) => e.evaluatedOn)).toEqual(['ema', 'ema']);
    // Same data, seed and raw trajectory; the evaluated weights differ.
    expect(ema[1].loss).not.toBe(raw[1].loss);
    const metrics = events
      .filter((e) => e.type === 'end')
      .map(
        (e) =>
          (e as { metrics: { run: string; evaluatedOn?: string; testAccuracy: number | null } })
            .metrics,
      );
    expect(metrics.find((m) => m.run === 'ema')!.evaluatedOn).toBe('ema');
    expect(metrics.find((m) => m.run === 'ema')!.testAccuracy).not.toBeNull();
  });
});

describe('runs[].averaging validation names the JSON path', () => {
  const problems = (averaging: Record<string, unknown>) => {
    const r = validateSpec(xSquared(averaging), catalog);
    return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
  };

  it('refuses unknown types, bad values, unknown options and SWALR options without swaLr', () => {
    expect(problems({ type: 'polyak' })).toEqual([
      'runs[0].averaging.type: unknown averaging "polyak"; known: ema, swa',
    ]);
    expect(problems({ type: 'ema', decay: 1.5 })).toEqual([
      'runs[0].averaging.decay: must be ≤ 1, got 1.5',
    ]);
    expect(problems({ type: 'ema', decy: 0.9 })).toEqual([
      'runs[0].averaging.decy: unknown option "decy" for averaging ema; known: decay, minDecay, useWarmup, warmupGamma, warmupPower, start',
    ]);
    expect(problems({ type: 'swa' })).toEqual(['runs[0].averaging.start: is required']);
    expect(problems({ type: 'swa', start: 3, annealStrategy: 'linear' })).toEqual([
      'runs[0].averaging.annealStrategy: applies only with swaLr (the SWALR schedule)',
    ]);
    expect(problems({ type: 'swa', start: 3, swaLr: 0.05, annealEpochs: 5 })).toEqual([]);
  });
});
