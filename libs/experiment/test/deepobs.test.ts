import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEEPOBS_PROBLEMS,
  DEFAULT_ALPHA,
  SUITES,
  defaultCatalog,
  deepobsExperiment,
  prepareTask,
  runToSummary,
  smallestPossibleP,
  validateDocument,
  type ExperimentSpec,
} from './helpers.js';

const examplesDir = new URL('../../../examples/', import.meta.url);

function validExperiment(doc: unknown): ExperimentSpec {
  const r = validateDocument(doc, defaultCatalog());
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  if (r.value.kind !== 'experiment') throw new Error('a suite');
  return r.value.spec;
}

const example = (file: string) =>
  validExperiment(JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8')));

describe('DeepOBS problems', () => {
  it('each problem, as DeepOBS defines it, is a valid spec (mnist_logreg names a folder)', () => {
    for (const p of Object.values(DEEPOBS_PROBLEMS)) {
      const spec = validExperiment(
        deepobsExperiment(p, {
          runs: [{ name: 'SGD', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu' }],
        }),
      );
      expect(spec.training).toMatchObject({
        epochs: p.epochs,
        batchSize: p.batchSize,
        dropLast: true,
      });
      expect(spec.description).toContain('As DeepOBS defines it.');
      expect(spec.description).toContain('no L2 regularisation');
    }
  });
  it('the description states every difference from DeepOBS', () => {
    const spec = deepobsExperiment(DEEPOBS_PROBLEMS.fmnist_2c2d, {
      epochs: 2,
      trainRows: 10_000,
      validationFraction: 0.1,
      runs: [{ name: 'Adam', optimizer: { type: 'Adam', lr: 0.001 }, backend: 'cpu' }],
    });
    expect(spec.description).toContain(
      "Differences from DeepOBS, to fit a laptop: 2 epochs instead of DeepOBS's 100; the first 10000 training images only; 10% of the training rows held out for validation.",
    );
    expect(spec.task).toMatchObject({
      dataset: { type: 'fashion-mnist', trainRows: 10_000 },
      validationFraction: 0.1,
    });
  });
  it("the examples use the problems' own tasks (one definition)", () => {
    const same = (file: string, problem: keyof typeof DEEPOBS_PROBLEMS) => {
      const spec = example(file);
      const task = DEEPOBS_PROBLEMS[problem].task;
      if (spec.task.kind === 'function' || task.kind === 'function') throw new Error('data tasks');
      expect(spec.task.model).toEqual(task.model);
      expect(spec.task.dataset.type).toBe(task.dataset.type);
      expect(spec.training.batchSize).toBe(DEEPOBS_PROBLEMS[problem].batchSize);
    };
    same('fmnist-2c2d.json', 'fmnist_2c2d');
    same('quadratic-deep.json', 'quadratic_deep');
    same('deepobs-fmnist-mlp.json', 'fmnist_mlp');
    same('deepobs-fmnist-logreg.json', 'fmnist_logreg');
  });
  it('the deepobs-small suite is valid, tunes on validation data and reports on the test set', () => {
    const suite = SUITES['deepobs-small'];
    const r = validateDocument(suite, defaultCatalog());
    expect(r.ok ? [] : r.issues).toEqual([]);
    expect(suite.experiments.map((e) => e.name)).toEqual([
      'deepobs-quadratic-deep',
      'deepobs-fmnist-logreg',
      'deepobs-fmnist-mlp',
      'deepobs-fmnist-2c2d',
    ]);
    for (const e of suite.experiments) {
      expect(e.protocol?.select.metric).toBe('validation-loss');
      expect(e.protocol?.report).toBe(e.task.kind === 'regression' ? 'test-loss' : 'test-accuracy');
      expect(e.runs.map((run) => run.name)).toEqual(['SGD', 'Momentum', 'Adam']);
    }
  });
  it("reruns enough seeds for the leaderboard's verdicts to decide at α = 0.05", () => {
    // At 3 seeds each the smallest two-sided Mann–Whitney p is 0.1: every verdict would read
    // "cannot decide" (the suite once reran the image problems on 3).
    for (const e of SUITES['deepobs-small'].experiments) {
      const n = e.protocol?.rerunSeeds;
      if (typeof n !== 'number') throw new Error(`${e.name}: rerunSeeds is a count`);
      expect([e.name, smallestPossibleP(n, n) <= DEFAULT_ALPHA]).toEqual([e.name, true]);
    }
  });
});

describe('quadratic_deep through the runner', () => {
  it("validates on its own set, tests on DeepOBS's, drops the last partial batch (7 steps an epoch)", async () => {
    const spec = validExperiment(
      deepobsExperiment(DEEPOBS_PROBLEMS.quadratic_deep, {
        epochs: 2,
        runs: [{ name: 'SGD', optimizer: { type: 'SGD', lr: 0.015848931925 }, backend: 'cpu64' }],
      }),
    );
    const task = await prepareTask(spec);
    if (task.kind === 'function') throw new Error('a data task');
    expect([task.train.n, task.validation?.n, task.test?.n]).toEqual([1000, 1000, 1000]);
    const { summary } = await runToSummary(spec);
    const run = summary!.runs[0];
    expect(run.steps).toBe(14);
    // DeepOBS's loss at θ = ones on its 1000 training points (tools/fixtures/models/quadratic-deep.json).
    expect(run.initialLoss).toBeCloseTo(353.70644520533455, 9);
    expect(run.testLoss).toBeGreaterThan(0);
    expect(run.testLoss).toBeLessThan(run.initialLoss);
    expect(run.validationLoss).toBeGreaterThan(0);
  });
  it('refuses a validation split of a dataset with its own validation set', async () => {
    const spec = validExperiment({
      ...deepobsExperiment(DEEPOBS_PROBLEMS.quadratic_deep, {
        epochs: 1,
        runs: [{ name: 'SGD', optimizer: { type: 'SGD', lr: 0.01 }, backend: 'cpu' }],
      }),
      task: { ...DEEPOBS_PROBLEMS.quadratic_deep.task, validationFraction: 0.1 },
    });
    await expect(prepareTask(spec)).rejects.toThrow(
      'task.validationFraction: the deepobs-quadratic dataset brings its own validation set: set validationFraction to 0',
    );
  });
});

describe('cnn specs: problems with JSON paths', () => {
  const base = (layers: unknown) => ({
    version: 1,
    name: 'cnn',
    task: {
      kind: 'classification',
      dataset: { type: 'fashion-mnist' },
      model: { type: 'cnn', layers },
    },
    training: { epochs: 1, batchSize: 128 },
    runs: [{ name: 'Adam', optimizer: { type: 'Adam' } }],
  });
  it('a bad layer is named by its path', () => {
    const r = validateDocument(
      base([
        { type: 'conv2d', out: 8, kernel: 3 },
        { type: 'dense', out: 10 },
      ]),
      defaultCatalog(),
    );
    expect(r.ok ? [] : r.issues).toEqual([
      {
        path: 'task.model.layers[1].type',
        message: 'a dense layer needs vectors: put {"type": "flatten"} before it',
      },
    ]);
  });
  it('a kernel larger than the 28×28 image, and logits that are not the 10 classes', () => {
    const tooBig = validateDocument(
      base([{ type: 'conv2d', out: 8, kernel: 30 }, { type: 'flatten' }, { type: 'dense' }]),
      defaultCatalog(),
    );
    expect(tooBig.ok ? [] : tooBig.issues).toEqual([
      {
        path: 'task.model.layers[0].kernel',
        message:
          'kernel 30×30 is larger than its input 28×28 (padding 0×0); the input to layer 0 is [1,28,28]',
      },
    ]);
    const classes = validateDocument(
      base([{ type: 'flatten' }, { type: 'dense', out: 3 }]),
      defaultCatalog(),
    );
    expect(classes.ok ? [] : classes.issues).toEqual([
      {
        path: 'task.model.layers[1].out',
        message: 'the last layer gives the logits: out must be the 10 classes of the data, got 3',
      },
    ]);
  });
  it('the parameter limit holds for a cnn', () => {
    const r = validateDocument(
      base([
        { type: 'flatten' },
        { type: 'dense', out: 8192 },
        { type: 'dense', out: 8192 },
        { type: 'dense' },
      ]),
      defaultCatalog(),
    );
    expect(r.ok ? [] : r.issues).toEqual([
      {
        path: 'task.model',
        message:
          'cnn on 784 features and 10 classes has 73629706 parameters (weights and biases); the limit is 50000000',
      },
    ]);
  });
});
