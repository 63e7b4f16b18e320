import { describe, expect, it } from 'vitest';
import {
  LIMITS,
  checkScheduleOptions,
  defaultCatalog,
  formatIssue,
  validateDocument,
  validateSpec,
  validateSuite,
  type Catalog,
} from './helpers.js';

/**
 * The validator's edges, each one a rule a rebuilt validator could lose without another test
 * noticing (docs/mutation-testing.md): documents that are not objects, suites checked part by
 * part, the catalog's own lists of names, limits at exactly their value, the train/test split
 * at its boundaries, start points, GPU modes and the CSV dataset's `task`.
 */
const catalog = defaultCatalog();

type Json = Record<string, unknown>;

function regression(extra: Json = {}): Json {
  return {
    version: 1,
    name: 'test',
    task: { kind: 'regression', dataset: { type: 'linear', n: 50 } },
    training: { epochs: 5 },
    runs: [{ name: 'a', optimizer: { type: 'SGD', lr: 0.1 } }],
    ...extra,
  };
}

function classification(dataset: Json, model: Json = { type: 'mlp' }, task: Json = {}): Json {
  return regression({ task: { kind: 'classification', dataset, model, ...task } });
}

function fn(task: Json): Json {
  return regression({ task: { kind: 'function', ...task }, training: { steps: 5 } });
}

function withRun(run: Json): Json {
  return regression({ runs: [{ name: 'a', optimizer: { type: 'SGD', lr: 0.1 }, ...run }] });
}

function suite(experiments: unknown[]): Json {
  return { version: 1, kind: 'suite', name: 's', tuningBudget: 'none', experiments };
}

function problems(json: unknown, c: Catalog = catalog): string[] {
  const r = validateDocument(json, c);
  if (r.ok) throw new Error('expected the spec to be invalid');
  return r.issues.map(formatIssue);
}

function valid(json: unknown, c: Catalog = catalog): boolean {
  const r = validateDocument(json, c);
  if (!r.ok) throw new Error(`expected a valid spec: ${r.issues.map(formatIssue).join('; ')}`);
  return true;
}

/** The default catalog, except that generated datasets have the given shape and valid options. */
function withShape(rows: number | null, features: number | null, classes: number | null): Catalog {
  return {
    ...catalog,
    checkOptions: (kind, type, options) =>
      kind === 'dataset' ? [] : catalog.checkOptions(kind, type, options),
    datasetShape: () => ({ rows, features, classes }),
  };
}

describe('documents that are not objects', () => {
  it.each([
    ['null', null],
    ['a string', 'spec'],
    ['a number', 5],
    ['nothing', undefined],
  ])('%s is refused as a whole, without a crash', (_, json) => {
    const r = validateDocument(json, catalog);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0].path).toBe('');
    expect(validateSpec(json, catalog).ok).toBe(false);
  });

  it('validateSuite refuses null and a suite whose experiments are not a list', () => {
    const none = validateSuite(null, catalog);
    expect(none.ok ? [] : none.issues.map((i) => i.path)).toEqual(['']);
    const notList = validateSuite({ ...suite([]), experiments: 5 }, catalog);
    expect(notList.ok ? [] : notList.issues.map((i) => i.path)).toEqual(['experiments']);
  });
});

describe('validateDocument tells the kinds apart', () => {
  it('an experiment and a suite, each with its defaults filled in', () => {
    const one = validateDocument(regression(), catalog);
    expect(one.ok && one.value.kind).toBe('experiment');
    if (one.ok && one.value.kind === 'experiment') {
      expect(one.value.spec.name).toBe('test');
      expect(one.value.spec.runs[0].backend).toBe('cpu');
    }
    const many = validateDocument(suite([regression(), regression({ name: 'second' })]), catalog);
    expect(many.ok && many.value.kind).toBe('suite');
    if (many.ok && many.value.kind === 'suite') {
      expect(many.value.suite.experiments.map((e) => e.name)).toEqual(['test', 'second']);
      expect(many.value.suite.experiments[1].training.batchSize).toBe('full');
    }
  });
});

describe('suites are checked experiment by experiment', () => {
  it("reads each experiment's options from that experiment", () => {
    const bad = withRun({ optimizer: { type: 'SGD', lr: -1 } });
    expect(problems(suite([regression(), bad]))).toEqual([
      'experiments[1].runs[0].optimizer.lr: must be ≥ 0, got -1',
    ]);
  });

  it('checks the well-formed experiments and parts of a suite that has structural problems', () => {
    const broken = { ...regression(), training: {} };
    const unknownDataset = {
      ...broken,
      task: { kind: 'regression', dataset: { type: 'nope' } },
      runs: [{ name: 'a', optimizer: { type: 'SGD', lr: -2 } }],
    };
    const wellFormed = withRun({ optimizer: { type: 'SGD', lr: -1 } });
    expect(problems(suite([broken, wellFormed, unknownDataset, null]))).toEqual([
      'experiments[0].training: give exactly one of "epochs" or "steps"',
      'experiments[2].training: give exactly one of "epochs" or "steps"',
      'experiments[3]: expected an object, got null',
      'experiments[1].runs[0].optimizer.lr: must be ≥ 0, got -1',
      `experiments[2].task.dataset.type: unknown regression dataset "nope"; known: ${regressionDatasets()}`,
      'experiments[2].runs[0].optimizer.lr: must be ≥ 0, got -2',
    ]);
  });
});

function regressionDatasets(): string {
  return Object.values(catalog.datasets)
    .filter((d) => d.tasks.includes('regression'))
    .map((d) => d.name)
    .join(', ');
}

describe('a well-formed experiment inside a broken suite', () => {
  it('gets every experiment-level check: duplicate run names, epochs of a function task', () => {
    const twice = regression({
      runs: [
        { name: 'a', optimizer: { type: 'SGD', lr: 0.1 } },
        { name: 'a', optimizer: { type: 'SGD', lr: 0.2 } },
      ],
    });
    const epochs = fn({ function: { type: 'rosenbrock' } });
    epochs.training = { epochs: 2 };
    expect(problems({ ...suite([twice, epochs]), bogus: true })).toEqual([
      expect.stringMatching(/^bogus: unknown field "bogus"/),
      'experiments[0].runs[1].name: duplicate run name "a" (also runs[0])',
      'experiments[1].training.epochs: a function task has no data to make epochs of; use "steps"',
    ]);
  });
});

describe("unknown names list the catalog's own names", () => {
  /** A catalog offering a few entries of each kind, as a front end offering a subset would. */
  const narrow: Catalog = {
    ...catalog,
    optimizers: { SGD: catalog.optimizers.SGD, Adam: catalog.optimizers.Adam },
    schedules: { StepLR: catalog.schedules.StepLR },
    functions: { rosenbrock: catalog.functions.rosenbrock },
  };

  it('optimizers, schedules and functions', () => {
    expect(problems(withRun({ optimizer: { type: 'RMSprop' } }), narrow)).toEqual([
      'runs[0].optimizer.type: unknown optimizer "RMSprop"; known: SGD, Adam',
    ]);
    expect(problems(withRun({ schedule: { type: 'ExponentialLR', gamma: 0.9 } }), narrow)).toEqual([
      'runs[0].schedule.type: unknown schedule "ExponentialLR"; known: StepLR',
    ]);
    expect(problems(fn({ function: { type: 'beale' } }), narrow)).toEqual([
      'task.function.type: unknown function "beale"; known: rosenbrock',
    ]);
  });

  it('datasets and models: only those for the task kind', () => {
    const datasets = Object.values(catalog.datasets)
      .filter((d) => d.tasks.includes('classification'))
      .map((d) => d.name)
      .join(', ');
    expect(datasets).toContain('moons');
    expect(datasets).not.toContain('linear');
    expect(problems(classification({ type: 'nope' }))).toEqual([
      `task.dataset.type: unknown classification dataset "nope"; known: ${datasets}`,
    ]);
    const models = Object.values(catalog.models)
      .filter((m) => m.tasks.includes('regression'))
      .map((m) => m.name)
      .join(', ');
    expect(models).toBe('linear-regression, quadratic-deep');
    expect(
      problems(
        regression({
          task: { kind: 'regression', dataset: { type: 'linear' }, model: { type: 'nope' } },
        }),
      ),
    ).toEqual([`task.model.type: unknown regression model "nope"; known: ${models}`]);
  });

  it('a model for the other task kind', () => {
    expect(problems(classification({ type: 'moons' }, { type: 'linear-regression' }))).toEqual([
      'task.model.type: model linear-regression is for regression, not classification',
    ]);
  });
});

describe('checkScheduleOptions on its own (optlab schedule)', () => {
  it('paths are relative to the options unless a base is given', () => {
    expect(checkScheduleOptions('StepLR', {}, catalog)).toEqual([
      { path: 'stepSize', message: 'is required' },
    ]);
    expect(checkScheduleOptions('StepLR', { stepSize: 2 }, catalog)).toEqual([]);
    expect(checkScheduleOptions('Nope', {}, catalog)[0].path).toBe('type');
    expect(checkScheduleOptions('StepLR', {}, catalog, ['runs', 3, 'schedule'])).toEqual([
      { path: 'runs[3].schedule.stepSize', message: 'is required' },
    ]);
  });
});

describe('GPU modes', () => {
  it('a gpuMode on another backend, and an unknown gpu.js mode', () => {
    expect(problems(withRun({ gpuMode: 'webgl2' }))).toEqual([
      'runs[0].gpuMode: only applies to backend "gpu" (this run uses "cpu")',
    ]);
    expect(problems(withRun({ backend: 'cpu64', gpuMode: 'cpu' }))).toEqual([
      'runs[0].gpuMode: only applies to backend "gpu" (this run uses "cpu64")',
    ]);
    expect(problems(withRun({ backend: 'gpu', gpuMode: 'webgl' }))).toEqual([
      'runs[0].gpuMode: unknown gpu.js mode "webgl"; known: webgl2, webgpu, webasm, cpu',
    ]);
    expect(valid(withRun({ backend: 'gpu', gpuMode: 'webgl2' }))).toBe(true);
    expect(valid(withRun({ backend: 'gpu' }))).toBe(true);
  });
});

describe('the CSV dataset', () => {
  const text = 'x,y\n1,0\n2,1\n';

  it('read for another task than the spec’s: refused at dataset.task', () => {
    expect(problems(classification({ type: 'csv', text, task: 'regression' }))).toEqual([
      'task.dataset.task: the dataset is read for regression, but the task is classification; leave "task" out (the task\'s kind is its default) or make them agree',
    ]);
    expect(valid(classification({ type: 'csv', text, task: 'classification' }))).toBe(true);
  });

  it('its rows are unknown before reading: any testFraction passes validation', () => {
    expect(
      valid(classification({ type: 'csv', text }, { type: 'mlp' }, { testFraction: 0.2 })),
    ).toBe(true);
  });
});

describe('limits at exactly their value pass', () => {
  it('rows, features and n × features', () => {
    const model = { type: 'logistic-regression' };
    const spec = classification({ type: 'random-classification' }, model);
    expect(valid(spec, withShape(LIMITS.datasetSamples, 1, 3))).toBe(true);
    expect(valid(spec, withShape(10, LIMITS.datasetFeatures, 3))).toBe(true);
    expect(valid(spec, withShape(1000, LIMITS.datasetValues / 1000, 3))).toBe(true);
    expect(problems(spec, withShape(1001, LIMITS.datasetValues / 1000, 3))).toEqual([
      `task.dataset.n: n × features = 1001 × 50000 = 50050000 exceeds the limit of ${LIMITS.datasetValues}`,
    ]);
  });

  it('hidden layers, model parameters and function dimension', () => {
    const layers = new Array<number>(LIMITS.hiddenLayers).fill(2);
    expect(valid(classification({ type: 'moons' }, { type: 'mlp', hidden: layers }))).toBe(true);
    expect(
      valid(classification({ type: 'moons' }, { type: 'mlp', hidden: [LIMITS.hiddenWidth] })),
    ).toBe(true);
    const atLimit: Catalog = { ...catalog, modelParameterCount: () => LIMITS.modelParameters };
    expect(valid(classification({ type: 'moons' }), atLimit)).toBe(true);
    const over: Catalog = { ...catalog, modelParameterCount: () => LIMITS.modelParameters + 1 };
    expect(problems(classification({ type: 'moons' }), over)).toEqual([
      `task.model: mlp on 2 features and 2 classes has ${LIMITS.modelParameters + 1} parameters (weights and biases); the limit is ${LIMITS.modelParameters}`,
    ]);
    const wide: Catalog = { ...catalog, functionDimension: () => LIMITS.functionDimension };
    expect(valid(fn({ function: { type: 'rosenbrock' } }), wide)).toBe(true);
  });

  it('a start point of exactly the limit', () => {
    const coefficients = new Array<number>(LIMITS.functionDimension).fill(1);
    expect(
      valid(fn({ function: { type: 'quadratic' }, start: coefficients }), {
        ...catalog,
        functionDimension: () => LIMITS.functionDimension,
      }),
    ).toBe(true);
  });
});

describe('one problem is reported once', () => {
  it('a hidden width over the limit is not also counted as too many parameters', () => {
    const spec = classification(
      { type: 'random-classification', n: 100, features: 100_000, classes: 3 },
      { type: 'mlp', hidden: [LIMITS.hiddenWidth + 1] },
    );
    expect(problems(spec)).toEqual([
      `task.model.hidden[0]: must be ≤ ${LIMITS.hiddenWidth} (limit), got ${LIMITS.hiddenWidth + 1}`,
    ]);
  });

  it('a hidden width that is not a number is not also over the limit', () => {
    expect(problems(classification({ type: 'moons' }, { type: 'mlp', hidden: ['99999'] }))).toEqual(
      [
        // The library names the entry in the message, not in the path.
        'task.model.hidden: [0] must be a finite number, got "99999"',
      ],
    );
  });

  it("a function's bad option is not also a start of the wrong size", () => {
    expect(
      problems(fn({ function: { type: 'quadratic', coefficients: [] }, start: [1, 2] })),
    ).toEqual(['task.function.coefficients: must list at least 1 number, got []']);
    expect(problems(fn({ function: { type: 'rosenbrock', b: -1 } }))).toEqual([
      'task.function.b: must be ≥ 0, got -1',
    ]);
  });

  it('without a known dimension or shape nothing more is checked', () => {
    const unknownDim: Catalog = { ...catalog, functionDimension: () => undefined };
    expect(valid(fn({ function: { type: 'rosenbrock' }, start: [1, 2, 3] }), unknownDim)).toBe(
      true,
    );
    const noShape: Catalog = { ...catalog, datasetShape: () => undefined };
    expect(
      valid(
        classification({ type: 'moons', n: 2 }, { type: 'mlp' }, { testFraction: 0.25 }),
        noShape,
      ),
    ).toBe(true);
  });
});

describe('start points', () => {
  it('a function without a start point, and one of the right size', () => {
    expect(valid(fn({ function: { type: 'rosenbrock' } }))).toBe(true);
    expect(valid(fn({ function: { type: 'rosenbrock' }, start: [-1, 2] }))).toBe(true);
  });

  it('one coordinate, in the singular', () => {
    expect(
      problems(fn({ function: { type: 'quadratic', coefficients: [1] }, start: [1, 2] })),
    ).toEqual(['task.start: quadratic takes 1 coordinate, the start point has 2']);
  });

  it('a matrix start point: rows of equal length, counted in full', () => {
    const f = { type: 'quadratic', coefficients: [1, 2, 3, 4, 5, 6] };
    expect(problems(fn({ function: f, start: [[1, 2, 3], [4, 5], [6]] }))).toEqual([
      'task.start[1]: rows of a matrix start point must have equal lengths: row 0 has 3, row 1 has 2',
      'task.start[2]: rows of a matrix start point must have equal lengths: row 0 has 3, row 2 has 1',
    ]);
    expect(
      valid(
        fn({
          function: f,
          start: [
            [1, 2, 3],
            [4, 5, 6],
          ],
        }),
      ),
    ).toBe(true);
    expect(
      problems(
        fn({
          function: f,
          start: [
            [1, 2],
            [3, 4],
          ],
        }),
      ),
    ).toEqual(['task.start: quadratic takes 6 coordinates, the start point has 4']);
  });
});

describe('the train/test split at its boundaries', () => {
  const moons = (n: number, testFraction: number) =>
    classification({ type: 'moons', n }, { type: 'mlp' }, { testFraction });
  const linear = (n: number, testFraction: number) =>
    regression({ task: { kind: 'regression', dataset: { type: 'linear', n }, testFraction } });

  it('classification: each class sends round(count × fraction) rows to test', () => {
    // Classes of 2 and 1 rows: round(1) + round(0.5) = 2 test rows, 1 training row.
    expect(valid(moons(3, 0.5))).toBe(true);
    // round(0.68) + round(0.34) = 1 test row.
    expect(valid(moons(3, 0.34))).toBe(true);
    // round(0.5) + round(0.5) = 2 of 2 rows.
    expect(problems(moons(2, 0.5))).toEqual([
      'task.testFraction: 2 rows with testFraction 0.5 leave an empty training set',
    ]);
  });

  it('regression: ceil(rows × fraction) rows to test', () => {
    expect(valid(linear(10, 0.5))).toBe(true);
    expect(valid(linear(10, 0.05))).toBe(true);
    expect(problems(linear(2, 0.9))).toEqual([
      'task.testFraction: 2 rows with testFraction 0.9 leave an empty training set',
    ]);
  });

  it('classes decide the split only for classification, and only when known and positive', () => {
    const spec = (kind: 'regression' | 'classification') =>
      regression({
        task: {
          kind,
          dataset: { type: kind === 'regression' ? 'linear' : 'moons' },
          ...(kind === 'classification' ? { model: { type: 'mlp' } } : {}),
          testFraction: 0.05,
        },
      });
    // ceil(0.5) = 1 test row; stratified over 3 classes it would be 0.
    expect(valid(spec('regression'), withShape(10, 1, 3))).toBe(true);
    expect(valid(spec('regression'), withShape(10, 1, null))).toBe(true);
    expect(valid(spec('classification'), withShape(10, 2, 0))).toBe(true);
    expect(valid(spec('classification'), withShape(10, 2, null))).toBe(true);
    expect(problems(spec('classification'), withShape(10, 2, 3))).toEqual([
      'task.testFraction: 10 rows with testFraction 0.05 leave an empty test set',
    ]);
  });
});
