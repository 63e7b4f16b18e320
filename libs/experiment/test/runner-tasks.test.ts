import { describe, expect, it } from 'vitest';
import {
  assertSpec,
  createBackend,
  defaultCatalog,
  prepareTask,
  runToSummary,
  type ExperimentSpecInput,
  type PreparedData,
  type PreparedFunction,
} from './helpers.js';
import { DataTask } from '../src/runner/data-task.js';
import { FunctionTask } from '../src/runner/function-task.js';

/**
 * The two training tasks on their own: what the `TrainingTask` contract promises beyond what
 * the loop uses (dispose at any point and more than once; no use before start), and the
 * decision-boundary grid over all of the data.
 */
const catalog = defaultCatalog();

const classification = (testFraction: number): ExperimentSpecInput => ({
  version: 1,
  name: 'cls',
  task: {
    kind: 'classification',
    dataset: { type: 'moons', n: 40, seed: 5 },
    model: { type: 'logistic-regression' },
    testFraction,
  },
  training: { epochs: 1 },
  runs: [{ name: 'r', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu64' }],
});

const fn: ExperimentSpecInput = {
  version: 1,
  name: 'f',
  task: { kind: 'function', function: { type: 'booth' } },
  training: { steps: 2 },
  runs: [{ name: 'r', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu64' }],
};

describe('TrainingTask.dispose', () => {
  it('a data task: before start, after start, twice', async () => {
    const spec = assertSpec(classification(0), catalog);
    const prepared = (await prepareTask(spec)) as PreparedData;
    const backend = await createBackend({ backend: 'cpu64' });
    const options = { run: 'r', seed: 0, boundarySize: 4 };
    const unstarted = new DataTask(backend, spec, prepared, options);
    expect(() => unstarted.step(0)).toThrow('DataTask: start() has not run, or dispose() has');
    unstarted.dispose();
    const task = new DataTask(backend, spec, prepared, options);
    await task.start();
    const live = backend.stats().liveTensors;
    task.dispose();
    task.dispose();
    expect(backend.stats().liveTensors).toBeLessThan(live);
    expect(() => task.step(0)).toThrow('DataTask: start() has not run, or dispose() has');
    prepared.dispose();
    expect(backend.stats().liveTensors).toBe(0);
  });

  it('a function task: before start, after start, twice', async () => {
    const spec = assertSpec(fn, catalog);
    const prepared = (await prepareTask(spec)) as PreparedFunction;
    const backend = await createBackend({ backend: 'cpu64' });
    const unstarted = new FunctionTask(backend, prepared, 2);
    await expect(unstarted.step()).rejects.toThrow(
      'FunctionTask: start() has not run, or dispose() has',
    );
    unstarted.dispose();
    const task = new FunctionTask(backend, prepared, 2);
    const begun = await task.start();
    expect(begun).toMatchObject({
      totalSteps: 2,
      totalEpochs: null,
      stepsPerEpoch: null,
      scheduleInterval: 'step',
      evaluationEvent: 'step',
      lossName: 'the loss',
      events: [],
    });
    // No epochs: an update never ends one.
    expect(task.endsEpoch()).toBe(false);
    expect(task.epochAfter()).toBeNull();
    task.dispose();
    task.dispose();
    expect(backend.stats().liveTensors).toBe(0);
    await expect(task.step()).rejects.toThrow(
      'FunctionTask: start() has not run, or dispose() has',
    );
  });
});

describe('the decision-boundary grid', () => {
  /** The bounding box of the points, 10 % wider per side, as the lab draws it. */
  function box(xs: Float64Array[]): { x: number[]; y: number[] } {
    const axis = (f: number) => {
      const v = xs.flatMap((x) => Array.from(x).filter((_, i) => i % 2 === f));
      const lo = Math.min(...v);
      const hi = Math.max(...v);
      const m = Math.max((hi - lo) * 0.1, 1e-3);
      return [lo - m, hi + m];
    };
    return { x: axis(0), y: axis(1) };
  }

  it('spans the test points as well as the training points', async () => {
    const spec = assertSpec(classification(0.5), catalog);
    const prepared = (await prepareTask(spec)) as PreparedData;
    const all = box([prepared.train.x, prepared.test!.x]);
    // The split puts some extreme point in the test set, so the two boxes differ.
    expect(box([prepared.train.x])).not.toEqual(all);
    prepared.dispose();
    const { events } = await runToSummary(spec, { decisionBoundary: { size: 4 } });
    const first = events.find((e) => e.type === 'boundary')!;
    expect(first.grid).toEqual({ size: 4, ...all });
  });

  it('spans the training points when there is no test set', async () => {
    const spec = assertSpec(classification(0), catalog);
    const prepared = (await prepareTask(spec)) as PreparedData;
    const train = box([prepared.train.x]);
    prepared.dispose();
    const { events } = await runToSummary(spec, { decisionBoundary: { size: 3 } });
    expect(events.find((e) => e.type === 'boundary')!.grid).toEqual({ size: 3, ...train });
  });
});
