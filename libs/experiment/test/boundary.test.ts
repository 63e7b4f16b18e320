import { cpu } from '@optlab/tensor';
import { createModel } from '@optlab/models';
import { describe, expect, it } from 'vitest';
import {
  assertSpec,
  classifyLogits,
  defaultCatalog,
  gridPoints,
  runToSummary,
  type BoundaryEvent,
  type ExperimentEvent,
  type ExperimentSpecInput,
} from './helpers.js';

const catalog = defaultCatalog();

const moons = (model: Record<string, unknown>, epochs = 3): ExperimentSpecInput => ({
  version: 1,
  name: 'moons',
  task: {
    kind: 'classification',
    dataset: { type: 'moons', n: 120, noise: 0.1, seed: 3 },
    model: model as never,
    testFraction: 0.25,
    standardize: true,
  },
  training: { epochs, batchSize: 16 },
  runs: [{ name: 'adam', optimizer: { type: 'Adam', lr: 0.05 }, backend: 'cpu64', seed: 7 }],
});

const MLP = { type: 'mlp', hidden: [8], activation: 'tanh', init: 'xavier-uniform' };
const LOGISTIC = { type: 'logistic-regression', init: 'zeros' };

const boundaries = (events: ExperimentEvent[]) =>
  events.filter((e): e is BoundaryEvent => e.type === 'boundary');

describe('decision boundary events', () => {
  it('come after start and after every evaluation, on a size × size grid', async () => {
    const { events } = await runToSummary(assertSpec(moons(MLP), catalog), {
      decisionBoundary: { size: 12 },
    });
    const types = events.map((e) => e.type).filter((t) => t !== 'step');
    expect(types).toEqual([
      'experiment-start',
      'start',
      'boundary',
      'eval',
      'boundary',
      'eval',
      'boundary',
      'eval',
      'boundary',
      'end',
      'summary',
    ]);
    const frames = boundaries(events);
    expect(frames.map((f) => f.step)).toEqual([0, 6, 12, 18]);
    expect(frames.map((f) => f.epoch)).toEqual([0, 1, 2, 3]);
    for (const f of frames) {
      expect(f.grid.size).toBe(12);
      expect(f.classes).toBe(2);
      expect(f.predicted).toHaveLength(144);
      expect(f.confidence).toHaveLength(144);
      for (const c of f.predicted) expect([0, 1]).toContain(c);
      for (const p of f.confidence) {
        expect(p).toBeGreaterThanOrEqual(0.5);
        expect(p).toBeLessThanOrEqual(1);
      }
    }
    // The training points come once, standardised, inside the grid's domain.
    expect(frames[0].points!.labels).toHaveLength(90);
    expect(frames.slice(1).every((f) => f.points === undefined)).toBe(true);
    const { x, labels } = frames[0].points!;
    const mean = (k: number) => x.filter((_, i) => i % 2 === k).reduce((a, v) => a + v, 0) / 90;
    expect(mean(0)).toBeCloseTo(0, 10);
    expect(mean(1)).toBeCloseTo(0, 10);
    for (let i = 0; i < labels.length; i++) {
      expect(x[2 * i]).toBeGreaterThan(frames[0].grid.x[0]);
      expect(x[2 * i]).toBeLessThan(frames[0].grid.x[1]);
      expect(x[2 * i + 1]).toBeGreaterThan(frames[0].grid.y[0]);
      expect(x[2 * i + 1]).toBeLessThan(frames[0].grid.y[1]);
    }
  });

  it.each([
    ['an MLP (softmax over 2 logits)', MLP],
    ['binary logistic regression (one sigmoid logit)', LOGISTIC],
  ])('at step 0 equals predict of the same initial model on the grid: %s', async (_, model) => {
    const spec = assertSpec(moons(model, 1), catalog);
    const { events } = await runToSummary(spec, { decisionBoundary: { size: 9 } });
    const first = boundaries(events)[0];
    // The initial weights come from the seed alone: build the model again and predict the cells.
    const backend = cpu({ dtype: 'float64' });
    const { type, ...options } = model;
    const fresh = createModel(
      backend,
      { kind: type, ...options },
      { features: 2, classes: 2, seed: 7 },
    );
    const { x, y, size } = first.grid;
    const cells = [0, 4, 40, 80];
    for (const cell of cells) {
      const [row, col] = [Math.floor(cell / size), cell % size];
      const px = x[0] + ((col + 0.5) / size) * (x[1] - x[0]);
      const py = y[1] - ((row + 0.5) / size) * (y[1] - y[0]);
      const z = Array.from(fresh.predict(backend.tensor([px, py], [1, 2])).dataSync());
      const probabilities =
        z.length === 1
          ? [1 - 1 / (1 + Math.exp(-z[0])), 1 / (1 + Math.exp(-z[0]))]
          : z.map((v) => Math.exp(v) / z.reduce((s, w) => s + Math.exp(w), 0));
      const cls = probabilities[1] > probabilities[0] ? 1 : 0;
      expect(first.predicted[cell]).toBe(cls);
      expect(first.confidence[cell]).toBeCloseTo(probabilities[cls], 4);
    }
    fresh.dispose();
    backend.dispose();
  });

  it('after training classifies the training points as the runner scores them', async () => {
    const { events, summary } = await runToSummary(assertSpec(moons(MLP, 40), catalog), {
      decisionBoundary: {},
    });
    const frames = boundaries(events);
    const last = frames[frames.length - 1];
    expect(last.grid.size).toBe(48);
    const { x: px, labels } = frames[0].points!;
    const { x, y, size } = last.grid;
    let agree = 0;
    for (let i = 0; i < labels.length; i++) {
      const col = Math.min(size - 1, Math.floor(((px[2 * i] - x[0]) / (x[1] - x[0])) * size));
      const row = Math.min(size - 1, Math.floor(((y[1] - px[2 * i + 1]) / (y[1] - y[0])) * size));
      if (last.predicted[row * size + col] === labels[i]) agree++;
    }
    const accuracy = summary!.runs[0].trainAccuracy!;
    expect(accuracy).toBeGreaterThan(0.9);
    // Nearest-cell classes differ from the exact ones only near the boundary.
    expect(Math.abs(agree / labels.length - accuracy)).toBeLessThan(0.05);
  });

  it('is not emitted for other tasks, for more than two features, or when not asked', async () => {
    const asked = { decisionBoundary: { size: 8 } };
    const function2d = assertSpec(
      {
        version: 1,
        name: 'f',
        task: { kind: 'function', function: { type: 'rosenbrock' } },
        training: { steps: 3 },
        runs: [{ name: 'sgd', optimizer: { type: 'SGD', lr: 0.001 } }],
      },
      catalog,
    );
    const regression = assertSpec(
      {
        version: 1,
        name: 'r',
        task: {
          kind: 'regression',
          dataset: { type: 'linear', n: 20 },
          model: { type: 'linear-regression' },
        },
        training: { epochs: 2, batchSize: 'full' },
        runs: [{ name: 'sgd', optimizer: { type: 'SGD', lr: 0.01 } }],
      },
      catalog,
    );
    const fiveFeatures = assertSpec(
      {
        ...moons(MLP, 1),
        task: {
          kind: 'classification',
          dataset: { type: 'random-classification', n: 40, features: 5, classes: 3, seed: 1 },
          model: MLP as never,
        },
      },
      catalog,
    );
    for (const spec of [function2d, regression, fiveFeatures]) {
      expect(boundaries((await runToSummary(spec, asked)).events)).toEqual([]);
    }
    const notAsked = await runToSummary(assertSpec(moons(MLP, 1), catalog));
    expect(boundaries(notAsked.events)).toEqual([]);
  });

  it('rejects a grid size out of range', async () => {
    await expect(
      runToSummary(assertSpec(moons(MLP, 1), catalog), { decisionBoundary: { size: 1 } }),
    ).rejects.toThrow('decisionBoundary.size must be an integer in [2, 512], got 1');
  });
});

describe('classifyLogits and gridPoints', () => {
  it('takes the argmax (first on ties) with its softmax probability, or the sigmoid of one logit', () => {
    expect(classifyLogits([0, Math.log(3), 1, 1], 2)).toEqual({
      predicted: [1, 0],
      confidence: [0.75, 0.5],
    });
    expect(classifyLogits([Math.log(4), -Math.log(4), 0], 1)).toEqual({
      predicted: [1, 0, 0],
      confidence: [0.8, 0.8, 0.5],
    });
    expect(classifyLogits([0, 0, Math.log(2)], 3)).toEqual({
      predicted: [2],
      confidence: [0.5],
    });
  });

  it('lays cell centres out row-major from the top-left corner', () => {
    expect(Array.from(gridPoints({ size: 2, x: [0, 4], y: [0, 2] }))).toEqual([
      1, 1.5, 3, 1.5, 1, 0.5, 3, 0.5,
    ]);
  });
});
