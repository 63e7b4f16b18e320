import type { Backend } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import {
  assertSpec,
  createBackend,
  defaultCatalog,
  runExperiment,
  runToSummary,
  type BackendFactory,
  type EvalEvent,
  type ExperimentEvent,
  type ExperimentSpecInput,
  type RunMetrics,
  type StepEvent,
} from './helpers.js';

/**
 * The training loop's rules as a consumer sees them through `runExperiment` (the public API a
 * rebuilt runner keeps): which events come when and with what, when evaluations and schedules
 * happen, what a backend that cannot read synchronously changes, and the final metrics. A clock
 * that stands still makes every time exactly 0.
 */
const catalog = defaultCatalog();
// Not 0, so that a time measured from the wrong origin shows.
// A clock that stands still, and no warm-up (its own clock and steps are not what is tested).
const still = { now: () => 1000, warmUp: false };

type Run = ExperimentSpecInput['runs'][number];

function xSquared(run: Partial<Run>, steps: number, extra: Partial<ExperimentSpecInput> = {}) {
  return assertSpec(
    {
      version: 1,
      name: 'x2',
      task: { kind: 'function', function: { type: 'x-squared' }, start: [2] },
      training: { steps },
      runs: [{ name: 'r', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu64', ...run }],
      ...extra,
    },
    catalog,
  );
}

function linear(
  training: ExperimentSpecInput['training'],
  run: Partial<Run> = {},
  task: Record<string, unknown> = {},
) {
  return assertSpec(
    {
      version: 1,
      name: 'lin',
      task: {
        kind: 'regression',
        dataset: { type: 'linear', n: 20, noise: 0.5, seed: 3 },
        ...task,
      } as ExperimentSpecInput['task'],
      training,
      runs: [{ name: 'r', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu64', ...run }],
    },
    catalog,
  );
}

const ofType = <T extends ExperimentEvent['type']>(events: ExperimentEvent[], type: T) =>
  events.filter((e) => e.type === type) as Extract<ExperimentEvent, { type: T }>[];

const metricsOf = (events: ExperimentEvent[]): RunMetrics => ofType(events, 'end')[0].metrics;

/** SGD on x² from 2: x ← x − lr·2x, f = x² after each update. */
function sgdOnXSquared(lr: number, steps: number): number[] {
  const xs: number[] = [];
  let x = 2;
  for (let t = 0; t < steps; t++) xs.push((x = x - lr * (2 * x)));
  return xs;
}

describe('a function task, event by event', () => {
  it('start, a step event per update with the point, end with every metric', async () => {
    const { events } = await runToSummary(xSquared({}, 3), still);
    const xs = sgdOnXSquared(0.1, 3);
    expect(events.map((e) => e.type)).toEqual([
      'experiment-start',
      'start',
      'step',
      'step',
      'step',
      'end',
      'summary',
    ]);
    const device = ofType(events, 'start')[0].device;
    expect(ofType(events, 'start')).toEqual([
      {
        type: 'start',
        run: 'r',
        seed: 0,
        runIndex: 0,
        backend: 'cpu64',
        device,
        dtype: 'float64',
        model: 'x²',
        parameterCount: 1,
        totalSteps: 3,
        totalEpochs: null,
        stepsPerEpoch: null,
        lr: 0.1,
        initialLoss: 4,
        params: [2],
        paramsMode: 'full',
      },
    ]);
    expect(ofType(events, 'step')).toEqual(
      xs.map((x, i) => ({
        type: 'step',
        run: 'r',
        seed: 0,
        step: i + 1,
        epoch: null,
        loss: x * x,
        lr: 0.1,
        elapsedMs: 0,
        params: [x],
        paramsMode: 'full',
      })),
    );
    expect(metricsOf(events)).toEqual({
      run: 'r',
      seed: 0,
      optimizer: 'SGD',
      paramGroups: null,
      schedule: null,
      label: 'SGD(lr=0.1)',
      backend: 'cpu64',
      device,
      status: 'done',
      diverged: null,
      steps: 3,
      epochs: null,
      initialLoss: 4,
      finalLoss: xs[2] ** 2,
      bestLoss: xs[2] ** 2,
      bestStep: 3,
      bestValidationAccuracy: null,
      bestValidationLoss: null,
      concurrentRuns: 1,
      // Within 1.1 × the best loss (1.05): only the last (1.64 and 2.56 are above 1.153).
      epochsToConverge: 1,
      evaluations: 3,
      historyUnit: 'step',
      target: null,
      wallTimeMs: 0,
      stepsPerSecond: 0,
      finalLr: 0.1,
      trainAccuracy: null,
      validationAccuracy: null,
      validationLoss: null,
      testAccuracy: null,
      testLoss: null,
      finalParams: [xs[2]],
      finalParamsMode: 'full',
      finalParamsSample: null,
      linearRegression: null,
    });
  });

  it('the run index counts runs of the spec, not seeds', async () => {
    const spec = assertSpec(
      {
        version: 1,
        name: 'x2',
        task: { kind: 'function', function: { type: 'x-squared' } },
        training: { steps: 1 },
        runs: [
          { name: 'a', optimizer: { type: 'SGD', lr: 0.1 }, seeds: [5, 6] },
          { name: 'b', optimizer: { type: 'SGD', lr: 0.1 } },
        ],
      },
      catalog,
    );
    const { events } = await runToSummary(spec, still);
    expect(ofType(events, 'start').map((s) => [s.run, s.seed, s.runIndex])).toEqual([
      ['a', 5, 0],
      ['a', 6, 0],
      ['b', 0, 1],
    ]);
  });

  it('the target loss: the first evaluation at or under it', async () => {
    // Losses 2.56, 1.6384, 1.048576: the first at or under 1.6384 is step 2.
    const { events } = await runToSummary(
      xSquared({}, 3, { training: { steps: 3, targetLoss: sgdOnXSquared(0.1, 2)[1] ** 2 } }),
      still,
    );
    expect(metricsOf(events).target).toEqual({ step: 2, epoch: null, elapsedMs: 0 });
  });

  it('a divergence after some evaluations keeps the best finite loss and its step', async () => {
    // lr 1.5: x ← −2x, f = 4^(t+1); the limit 4e6 is passed at step 10.
    const { events } = await runToSummary(xSquared({ optimizer: { type: 'SGD', lr: 1.5 } }, 50));
    expect(metricsOf(events)).toMatchObject({
      status: 'diverged',
      steps: 10,
      finalLoss: 4 ** 11,
      bestLoss: 16,
      bestStep: 1,
      epochsToConverge: 1,
    });
  });
});

describe('ReduceLROnPlateau follows the evaluated loss', () => {
  it('on a function: halves the lr after one step without improvement (patience 0)', async () => {
    // lr 1 maps x to −x: the loss stays 4 at steps 1 and 2, so the lr becomes 0.5 for step 3,
    // which lands on 0.
    const { events } = await runToSummary(
      xSquared(
        {
          optimizer: { type: 'SGD', lr: 1 },
          schedule: { type: 'ReduceLROnPlateau', patience: 0, factor: 0.5 },
        },
        4,
      ),
      still,
    );
    expect(ofType(events, 'step').map((s) => [s.step, s.lr, s.loss, s.params])).toEqual([
      [1, 1, 4, [-2]],
      [2, 1, 4, [2]],
      [3, 0.5, 0, [0]],
      [4, 0.5, 0, [0]],
    ]);
    expect(metricsOf(events)).toMatchObject({
      schedule: 'ReduceLROnPlateau',
      label: 'SGD(lr=1) + ReduceLROnPlateau(patience=0, factor=0.5)',
      finalLr: 0.5,
      bestStep: 3,
      epochsToConverge: 2,
    });
  });
});

describe('a dataset task, event by event', () => {
  it('minibatch step events every logEvery steps, evaluations at each epoch end', async () => {
    // 20 rows in batches of 10: 2 steps per epoch.
    const { events } = await runToSummary(
      linear({ epochs: 3, batchSize: 10, shuffle: false, logEvery: 2 }),
      still,
    );
    const trained = events.filter((e) => e.type === 'step' || e.type === 'eval');
    expect(trained.map((e) => [e.type, (e as StepEvent).step, (e as StepEvent).epoch])).toEqual([
      ['step', 2, 1],
      ['eval', 2, 1],
      ['step', 4, 2],
      ['eval', 4, 2],
      ['step', 6, 3],
      ['eval', 6, 3],
    ]);
    for (const e of trained) expect(e).toMatchObject({ run: 'r', seed: 0, lr: 0.1, elapsedMs: 0 });
    // A regression without a test split: no accuracy, no test loss.
    expect(Object.keys(ofType(events, 'eval')[0]).sort()).toEqual(
      ['elapsedMs', 'epoch', 'loss', 'lr', 'run', 'seed', 'step', 'type'].sort(),
    );
    expect(ofType(events, 'start')[0]).toMatchObject({
      model: 'LinearRegression(1)',
      parameterCount: 2,
      totalSteps: 6,
      totalEpochs: 3,
      stepsPerEpoch: 2,
    });
    expect(ofType(events, 'start')[0]).not.toHaveProperty('params');
    const m = metricsOf(events);
    expect(m).toMatchObject({ steps: 6, epochs: 3, historyUnit: 'epoch', finalLr: 0.1 });
    expect(m.finalLoss).toBe(ofType(events, 'eval')[2].loss);
    expect(m.finalParams).toBeNull();
    // Linear regression is compared with least squares, weight by weight.
    const lr = m.linearRegression!;
    expect(lr.weights).toHaveLength(2);
    expect(lr.leastSquares).toHaveLength(2);
    expect(lr.maxAbsDifference).toBe(
      Math.max(...lr.weights.map((w, i) => Math.abs(w - lr.leastSquares![i]))),
    );
    expect(lr.leastSquaresUnavailable).toBeNull();
  });

  it('full-batch step events carry the loss before the update: the previous evaluation', async () => {
    const { events } = await runToSummary(linear({ epochs: 3, logEvery: 1 }), still);
    const steps = ofType(events, 'step');
    const evals = ofType(events, 'eval');
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3]);
    expect(steps[0].loss).toBeCloseTo(ofType(events, 'start')[0].initialLoss, 12);
    expect(steps[1].loss).toBeCloseTo(evals[0].loss, 12);
    expect(steps[2].loss).toBeCloseTo(evals[1].loss, 12);
  });

  it('evalEvery counts epochs with epochs, steps with steps; the last is always evaluated', async () => {
    const byEpochs = await runToSummary(linear({ epochs: 5, evalEvery: 2, batchSize: 10 }), still);
    expect(ofType(byEpochs.events, 'eval').map((e) => [e.step, e.epoch])).toEqual([
      [4, 2],
      [8, 4],
      [10, 5],
    ]);
    const bySteps = await runToSummary(linear({ steps: 7, evalEvery: 3, batchSize: 10 }), still);
    expect(ofType(bySteps.events, 'eval').map((e) => [e.step, e.epoch])).toEqual([
      [3, 1],
      [6, 3],
      [7, 3],
    ]);
    expect(ofType(bySteps.events, 'start')[0]).toMatchObject({
      totalSteps: 7,
      totalEpochs: null,
      stepsPerEpoch: 2,
    });
    expect(metricsOf(bySteps.events)).toMatchObject({ steps: 7, epochs: 3, historyUnit: 'step' });
  });

  it('a batch larger than the data is the whole data: one step per epoch', async () => {
    const { events } = await runToSummary(linear({ epochs: 2, batchSize: 1000 }), still);
    expect(ofType(events, 'start')[0]).toMatchObject({ totalSteps: 2, stepsPerEpoch: 1 });
  });

  it('a test split adds the test loss to evaluations and metrics', async () => {
    const { events } = await runToSummary(linear({ epochs: 2 }, {}, { testFraction: 0.25 }), still);
    const evals = ofType(events, 'eval');
    expect(evals).toHaveLength(2);
    for (const e of evals) {
      expect(e.testLoss).toEqual(expect.any(Number));
      expect(e).not.toHaveProperty('trainAccuracy');
      expect(e).not.toHaveProperty('testAccuracy');
    }
    expect(metricsOf(events)).toMatchObject({
      testLoss: evals[1].testLoss,
      trainAccuracy: null,
      testAccuracy: null,
    });
  });

  it('schedules step per epoch or per step, as scheduleInterval says', async () => {
    const schedule = { type: 'StepLR', stepSize: 1, gamma: 0.5 };
    const perEpoch = await runToSummary(
      linear({ epochs: 3, batchSize: 10, shuffle: false }, { schedule }),
      still,
    );
    // The lr an evaluation reports is the one of the update before it.
    expect(ofType(perEpoch.events, 'eval').map((e) => e.lr)).toEqual([0.1, 0.05, 0.025]);
    expect(metricsOf(perEpoch.events).finalLr).toBe(0.025);
    const perStep = await runToSummary(
      linear(
        { epochs: 2, batchSize: 10, shuffle: false, scheduleInterval: 'step', logEvery: 1 },
        { schedule },
      ),
      still,
    );
    expect(ofType(perStep.events, 'step').map((e) => e.lr)).toEqual([0.1, 0.05, 0.025, 0.0125]);
  });

  it('a pure schedule steps at every epoch end, evaluated or not; a plateau schedule only on a loss', async () => {
    const training = { epochs: 4, evalEvery: 2, batchSize: 10, shuffle: false } as const;
    const step = await runToSummary(
      linear(training, { schedule: { type: 'StepLR', stepSize: 1, gamma: 0.5 } }),
      still,
    );
    expect(ofType(step.events, 'eval').map((e) => [e.epoch, e.lr])).toEqual([
      [2, 0.05],
      [4, 0.0125],
    ]);
    const plateau = await runToSummary(
      linear(training, { schedule: { type: 'ReduceLROnPlateau', patience: 0, factor: 0.5 } }),
      still,
    );
    // Stepped at epochs 2 and 4 only, with improving losses: the lr never drops.
    expect(ofType(plateau.events, 'eval').map((e) => [e.epoch, e.lr])).toEqual([
      [2, 0.1],
      [4, 0.1],
    ]);
  });

  it('a minibatch loss over the limit ends the run before any evaluation', async () => {
    const { events } = await runToSummary(
      linear({ steps: 50, evalEvery: 50 }, { optimizer: { type: 'SGD', lr: 100 } }),
      still,
    );
    expect(ofType(events, 'eval')).toEqual([]);
    const [diverged] = ofType(events, 'diverged');
    expect(diverged).toMatchObject({ run: 'r', seed: 0, step: 3, epoch: 3 });
    expect(diverged.reason).toMatch(
      /^the minibatch loss \d+\.?\d* exceeded \d+\.?\d* \(1000000 × /,
    );
    const m = metricsOf(events);
    const initial = ofType(events, 'start')[0].initialLoss;
    // No evaluation: the final loss is the initial one and there is no best loss.
    expect(m).toMatchObject({
      status: 'diverged',
      steps: 3,
      epochs: 3,
      finalLoss: initial,
      bestStep: 0,
      epochsToConverge: 0,
      diverged: { step: 3, reason: diverged.reason },
    });
    expect(m.bestLoss).toBeNaN();
  });
});

/** The cpu64 backend, claiming it cannot read synchronously (as a GPU backend). */
const asyncBackends: BackendFactory = async (request) => {
  const be: Backend = await createBackend(request);
  Object.defineProperty(be, 'canReadSync', { value: false });
  return be;
};

describe('a backend that cannot read synchronously', () => {
  const blowUp = (training: ExperimentSpecInput['training'], run: Partial<Run> = {}) =>
    linear(training, { optimizer: { type: 'SGD', lr: 100 }, ...run });

  it('reads minibatch losses only where needed: divergence is then seen at evaluations', async () => {
    const sync = await runToSummary(blowUp({ steps: 50, evalEvery: 10 }), still);
    expect(ofType(sync.events, 'diverged')[0]).toMatchObject({ step: 3 });
    const async = await runToSummary(blowUp({ steps: 50, evalEvery: 10 }), {
      ...still,
      backendFactory: asyncBackends,
    });
    const [diverged] = ofType(async.events, 'diverged');
    expect(diverged.step).toBe(10);
    expect(diverged.reason).toMatch(/^the training loss /);
    expect(ofType(async.events, 'step')).toEqual([]);
  });

  it('reads them when they are logged, or when a plateau schedule steps on them', async () => {
    const logged = await runToSummary(blowUp({ steps: 50, evalEvery: 10, logEvery: 1 }), {
      ...still,
      backendFactory: asyncBackends,
    });
    expect(ofType(logged.events, 'diverged')[0]).toMatchObject({ step: 3 });
    expect(ofType(logged.events, 'step').map((s) => s.step)).toEqual([1, 2]);
    const plateau = await runToSummary(
      blowUp(
        { steps: 50, evalEvery: 10, scheduleInterval: 'step' },
        { schedule: { type: 'ReduceLROnPlateau' } },
      ),
      { ...still, backendFactory: asyncBackends },
    );
    expect(ofType(plateau.events, 'diverged')[0]).toMatchObject({ step: 3 });
  });

  it('does not read them for a per-step interval without a plateau, nor a plateau per epoch', async () => {
    const async = { ...still, backendFactory: asyncBackends };
    const perStep = await runToSummary(
      blowUp({ steps: 50, evalEvery: 10, scheduleInterval: 'step' }),
      async,
    );
    expect(ofType(perStep.events, 'diverged')[0]).toMatchObject({ step: 10 });
    const perEpoch = await runToSummary(
      blowUp({ steps: 50, evalEvery: 10 }, { schedule: { type: 'ReduceLROnPlateau' } }),
      async,
    );
    expect(ofType(perEpoch.events, 'diverged')[0]).toMatchObject({ step: 10 });
  });
});

describe('cancellation', () => {
  it('yieldEveryMs 0 yields at every step even when the clock stands still; no step after abort', async () => {
    const controller = new AbortController();
    const events: ExperimentEvent[] = [];
    let seenAtAbort = -1;
    setTimeout(() => {
      seenAtAbort = events.length;
      controller.abort();
    }, 20);
    for await (const e of runExperiment(
      xSquared({ optimizer: { type: 'SGD', lr: 1e-9 } }, 200_000),
      {
        ...still,
        signal: controller.signal,
        yieldEveryMs: 0,
      },
    )) {
      events.push(e);
    }
    const last = events.at(-1) as Extract<ExperimentEvent, { type: 'cancelled' }>;
    expect(last.type).toBe('cancelled');
    expect(seenAtAbort).toBeGreaterThan(0);
    // The abort is seen right after the yield that let the timer run: no update after it.
    expect(events.slice(seenAtAbort).map((e) => e.type)).toEqual(['cancelled']);
    const lastStep = events.filter((e): e is StepEvent => e.type === 'step').at(-1)!;
    expect(last.step).toBe(lastStep.step);
  });
});

describe('what is written in eval events of a classification', () => {
  it('carries train and test accuracy, and the metrics keep the last ones', async () => {
    const spec = assertSpec(
      {
        version: 1,
        name: 'cls',
        task: {
          kind: 'classification',
          dataset: { type: 'moons', n: 40, seed: 2 },
          model: { type: 'logistic-regression' },
          testFraction: 0.25,
        },
        training: { epochs: 2 },
        runs: [{ name: 'r', optimizer: { type: 'SGD', lr: 0.5 }, backend: 'cpu64' }],
      },
      catalog,
    );
    const { events } = await runToSummary(spec, still);
    const evals: EvalEvent[] = ofType(events, 'eval');
    expect(evals).toHaveLength(2);
    for (const e of evals) {
      expect(e.trainAccuracy).toBeGreaterThanOrEqual(0);
      expect(e.trainAccuracy).toBeLessThanOrEqual(1);
      expect(e.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(e.testLoss).toEqual(expect.any(Number));
    }
    expect(metricsOf(events)).toMatchObject({
      trainAccuracy: evals[1].trainAccuracy,
      testAccuracy: evals[1].testAccuracy,
      testLoss: evals[1].testLoss,
      linearRegression: null,
    });
  });
});

/** A regression on CSV text: `rows` of (x1, x2, y). */
function csvRegression(
  rows: readonly (readonly number[])[],
  training: ExperimentSpecInput['training'],
  run: Partial<Run> = {},
) {
  const text = ['x1,x2,y', ...rows.map((r) => r.join(','))].join('\n');
  return assertSpec(
    {
      version: 1,
      name: 'csv',
      task: {
        kind: 'regression',
        dataset: { type: 'csv', text, task: 'regression' },
        model: { type: 'linear-regression' },
      },
      training,
      runs: [{ name: 'r', optimizer: { type: 'SGD', lr: 0.05 }, backend: 'cpu64', ...run }],
    },
    catalog,
  );
}

const ROWS = Array.from({ length: 20 }, (_, i) => [i / 10, (i * 7) % 5, 1 + i / 4 - ((i * 3) % 4)]);

describe('minibatches', () => {
  it('an update sees only its minibatch: the first 10 of 20 rows, as a 10-row dataset', async () => {
    const half = await runToSummary(
      csvRegression(ROWS, { steps: 1, batchSize: 10, shuffle: false, logEvery: 1 }),
      still,
    );
    const alone = await runToSummary(csvRegression(ROWS.slice(0, 10), { steps: 1 }), still);
    const initialAlone = ofType(alone.events, 'start')[0].initialLoss;
    expect(ofType(half.events, 'step')[0].loss).toBeCloseTo(initialAlone, 12);
    expect(ofType(half.events, 'start')[0].initialLoss).not.toBeCloseTo(initialAlone, 3);
    const w = metricsOf(half.events).linearRegression!.weights;
    metricsOf(alone.events).linearRegression!.weights.forEach((v, i) =>
      expect(w[i]).toBeCloseTo(v, 12),
    );
  });

  it('each epoch covers every row once, in a new order when shuffled, the same order when not', async () => {
    // lr 0: the weights never move, so a step's loss is its batch's loss at the initial weights,
    // and the two batches of an epoch average to the full loss.
    const run = { optimizer: { type: 'SGD', lr: 0 } };
    const losses = async (shuffle: boolean) => {
      const { events } = await runToSummary(
        csvRegression(ROWS, { epochs: 3, batchSize: 10, shuffle, logEvery: 1 }, run),
        still,
      );
      const initial = ofType(events, 'start')[0].initialLoss;
      return { initial, steps: ofType(events, 'step').map((s) => s.loss) };
    };
    const shuffled = await losses(true);
    expect(shuffled.steps).toHaveLength(6);
    for (let e = 0; e < 3; e++) {
      const [a, b] = shuffled.steps.slice(2 * e, 2 * e + 2);
      expect((a + b) / 2).toBeCloseTo(shuffled.initial, 10);
    }
    expect(shuffled.steps.slice(2, 4)).not.toEqual(shuffled.steps.slice(0, 2));
    expect(shuffled.steps.slice(4, 6)).not.toEqual(shuffled.steps.slice(2, 4));
    const ordered = await losses(false);
    expect(ordered.steps.slice(2, 4)).toEqual(ordered.steps.slice(0, 2));
    expect(ordered.steps.slice(4, 6)).toEqual(ordered.steps.slice(0, 2));
    expect(ordered.steps).not.toEqual(shuffled.steps);
  });

  it('a dataset task yields start, evaluations and end, nothing else unless asked', async () => {
    const { events } = await runToSummary(linear({ epochs: 2 }), still);
    expect(events.map((e) => e.type)).toEqual([
      'experiment-start',
      'start',
      'eval',
      'eval',
      'end',
      'summary',
    ]);
  });

  it('no decision boundary for a regression, even on two features', async () => {
    const { events } = await runToSummary(csvRegression(ROWS, { epochs: 2 }), {
      ...still,
      decisionBoundary: { size: 4 },
    });
    expect(events.map((e) => e.type)).toEqual([
      'experiment-start',
      'start',
      'eval',
      'eval',
      'end',
      'summary',
    ]);
  });

  it('says why least squares is unavailable instead of comparing', async () => {
    const { events } = await runToSummary(
      linear({ epochs: 1 }, {}, { dataset: { type: 'linear', n: 1, seed: 3 } }),
      still,
    );
    const lr = metricsOf(events).linearRegression!;
    expect(lr).toEqual({
      weights: lr.weights,
      leastSquares: null,
      maxAbsDifference: null,
      leastSquaresUnavailable: '2 weights (the bias and 1 features) need at least 2 samples, got 1',
    });
    expect(lr.weights).toHaveLength(2);
  });
});

describe('non-finite values', () => {
  it('a parameter that becomes infinite is named as such (function and model)', async () => {
    // x₁ = 2 − 1e308·4 overflows to −Infinity.
    const fn = await runToSummary(xSquared({ optimizer: { type: 'SGD', lr: 1e308 } }, 5), still);
    expect(ofType(fn.events, 'diverged')).toEqual([
      {
        type: 'diverged',
        run: 'r',
        seed: 0,
        step: 1,
        epoch: null,
        reason: 'a parameter became NaN or infinite',
      },
    ]);
    const model = await runToSummary(
      linear({ epochs: 5 }, { optimizer: { type: 'SGD', lr: 1e308 } }),
      still,
    );
    expect(ofType(model.events, 'diverged')[0]).toMatchObject({
      step: 1,
      epoch: 1,
      reason: 'a parameter became NaN or infinite',
    });
  });

  it('a loss that is infinite from the first evaluation leaves no best loss', async () => {
    const { events } = await runToSummary(
      xSquared({ optimizer: { type: 'SGD', lr: 1e200 } }, 5),
      still,
    );
    const m = metricsOf(events);
    expect(m).toMatchObject({
      status: 'diverged',
      steps: 1,
      finalLoss: Infinity,
      bestStep: 0,
      epochsToConverge: 0,
    });
    expect(m.bestLoss).toBeNaN();
  });
});

describe('yielding', () => {
  it('between yields nothing interrupts the loop: no timer fires while the clock stays under yieldEveryMs', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 0);
    const { events } = await runToSummary(xSquared({}, 2000), {
      ...still,
      signal: controller.signal,
      yieldEveryMs: 1500,
    });
    expect(events.at(-1)!.type).toBe('summary');
    expect(ofType(events, 'step')).toHaveLength(2000);
  });
});

/** CPU backends kept after the experiment so that their live tensors can be counted. */
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

describe('cleanup', () => {
  it('a finished dataset run leaves no tensor: model, optimizer state, losses, boundary grid', async () => {
    const { factory, made } = keptBackends();
    const spec = assertSpec(
      {
        version: 1,
        name: 'cls',
        task: {
          kind: 'classification',
          dataset: { type: 'moons', n: 40, seed: 2 },
          model: { type: 'mlp', hidden: [4] },
          testFraction: 0.25,
        },
        training: { epochs: 2, batchSize: 10, logEvery: 1 },
        runs: [
          {
            name: 'r',
            optimizer: { type: 'Adam', lr: 0.01 },
            schedule: { type: 'StepLR', stepSize: 1 },
            backend: 'cpu64',
          },
        ],
      },
      catalog,
    );
    const { events } = await runToSummary(spec, {
      backendFactory: factory,
      decisionBoundary: { size: 4 },
    });
    expect(ofType(events, 'boundary').length).toBe(3);
    expect(made).toHaveLength(1);
    expect(made[0].stats().liveTensors).toBe(0);
  });

  it('a finished or diverged function run leaves no tensor', async () => {
    for (const lr of [0.1, 1.5]) {
      const { factory, made } = keptBackends();
      await runToSummary(xSquared({ optimizer: { type: 'Adam', lr } }, 30), {
        backendFactory: factory,
      });
      expect(made[0].stats().liveTensors).toBe(0);
    }
  });
});
