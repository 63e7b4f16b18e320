import { describe, expect, it } from 'vitest';
import {
  LIMITS,
  SpecError,
  assertSpec,
  defaultCatalog,
  formatIssue,
  parseDocumentText,
  validateDocument,
  validateSpec,
  type Catalog,
} from './helpers.js';

/**
 * Issue 9: names that are JavaScript object properties, `__proto__` keys, composite schedules'
 * children, seeds, every limit of limits.ts, empty splits, and validation linear in the depth of
 * nested schedules.
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

function withRun(run: Json): Json {
  return regression({ runs: [{ name: 'a', optimizer: { type: 'SGD', lr: 0.1 }, ...run }] });
}

function problems(json: unknown, c: Catalog = catalog): string[] {
  const r = validateDocument(json, c);
  if (r.ok) throw new Error('expected the spec to be invalid');
  return r.issues.map(formatIssue);
}

const PROPERTY_NAMES = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'];

describe('type names that are JavaScript object properties', () => {
  it.each(PROPERTY_NAMES)(
    '%s is an unknown optimizer, schedule, dataset, model and function',
    (name) => {
      const known = (r: Readonly<Record<string, unknown>>) => Object.keys(r).join(', ');
      expect(problems(withRun({ optimizer: { type: name } }))).toEqual([
        `runs[0].optimizer.type: unknown optimizer "${name}"; known: ${known(catalog.optimizers)}`,
      ]);
      expect(problems(withRun({ schedule: { type: name } }))).toEqual([
        `runs[0].schedule.type: unknown schedule "${name}"; known: ${known(catalog.schedules)}`,
      ]);
      expect(problems(classification({ type: name }))[0]).toMatch(
        new RegExp(`^task\\.dataset\\.type: unknown classification dataset "${name}"; known: `),
      );
      expect(problems(classification({ type: 'moons' }, { type: name }))[0]).toMatch(
        new RegExp(`^task\\.model\\.type: unknown classification model "${name}"; known: `),
      );
      const fn = regression({
        task: { kind: 'function', function: { type: name } },
        training: { steps: 5 },
      });
      expect(problems(fn)).toEqual([
        `task.function.type: unknown function "${name}"; known: ${known(catalog.functions)}`,
      ]);
    },
  );

  it('as raw JSON text too (where "__proto__" is an own key)', () => {
    const text =
      '{"version":1,"name":"t","task":{"kind":"regression","dataset":{"type":"linear"}},"training":{"epochs":1},"runs":[{"name":"a","optimizer":{"type":"constructor"},"schedule":{"type":"__proto__"}}]}';
    const r = parseDocumentText(text, 'spec.json', catalog);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).toEqual([
      'runs[0].optimizer.type',
      'runs[0].schedule.type',
    ]);
    expect(r.issues[1].message).toMatch(/^unknown schedule "__proto__"; known: StepLR/);
  });
});

describe('options given as raw JSON', () => {
  it('refuses a "__proto__" key inside options like any unknown key', () => {
    const text = JSON.stringify(withRun({ schedule: { type: 'StepLR', stepSize: 2 } })).replace(
      '"lr":0.1',
      '"lr":0.1,"__proto__":{"x":1}',
    );
    const r = parseDocumentText(text, 'spec.json', catalog);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map(formatIssue)).toEqual([
      `runs[0].optimizer.__proto__: unknown option "__proto__" for optimizer SGD; known: ${catalog.optimizers.SGD.options.map((o) => o.name).join(', ')}`,
    ]);
  });

  it('refuses "__proto__" in dataset, model and schedule options', () => {
    const text = JSON.stringify(
      classification({ type: 'moons', n: 40 }, { type: 'mlp', hidden: [4] }),
    )
      .replace('"n":40', '"n":40,"__proto__":1')
      .replace('"hidden":[4]', '"hidden":[4],"__proto__":2');
    const r = parseDocumentText(text, 'spec.json', catalog);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).toEqual(['task.dataset.__proto__', 'task.model.__proto__']);
  });
});

describe('composite schedules', () => {
  const sequential = (schedulers: unknown[], milestones: number[]) =>
    withRun({ schedule: { type: 'SequentialLR', milestones, schedulers } });

  it('checks every child recursively, with JSON paths', () => {
    expect(
      problems(
        sequential(
          [
            { type: 'LinearLR', options: { totalIters: 2 } },
            {
              type: 'ChainedScheduler',
              options: {
                schedulers: [
                  { type: 'StepLR', options: { stepSize: 0 } },
                  { type: 'ExponentialLR', options: { gama: 0.9 } },
                ],
              },
            },
          ],
          [2],
        ),
      ),
    ).toEqual([
      'runs[0].schedule.schedulers[1].options.schedulers[0].options.stepSize: must be ≥ 1, got 0',
      'runs[0].schedule.schedulers[1].options.schedulers[1].options.gama: unknown option "gama" for schedule ExponentialLR; known: gamma, lastEpoch',
      'runs[0].schedule.schedulers[1].options.schedulers[1].options.gamma: is required',
    ]);
  });

  it('refuses unknown keys inside schedulers[i], a non-closed-form child, and a bad milestone count', () => {
    expect(
      problems(
        sequential(
          [{ type: 'StepLR', options: { stepSize: 1 }, gamma: 0.5 }, { type: 'ReduceLROnPlateau' }],
          [],
        ),
      ),
    ).toEqual([
      'runs[0].schedule.milestones: Expected 1 milestones for 2 schedulers, got 0',
      'runs[0].schedule.schedulers[0].gamma: unknown key "gamma"; known: type, options',
      'runs[0].schedule.schedulers[1].type: ReduceLROnPlateau cannot be composed: only schedules with a closed form can',
    ]);
  });

  /** SequentialLR nested `depth` deep, the nesting in the first child. */
  function nested(depth: number, leaf: Json): Json {
    let s: Json = leaf;
    for (let i = 0; i < depth; i++) {
      const { type, ...options } = s;
      s = {
        type: 'SequentialLR',
        milestones: [3],
        schedulers: [
          { type, options },
          { type: 'ConstantLR', options: {} },
        ],
      };
    }
    return s;
  }

  it('validates SequentialLR nested 800 deep (linear: the issue measured 18 s at 400)', () => {
    expect(
      validateSpec(withRun({ schedule: nested(800, { type: 'StepLR', stepSize: 2 }) }), catalog).ok,
    ).toBe(true);
    const bad = problems(withRun({ schedule: nested(800, { type: 'StepLR', stepSize: 0 }) }));
    expect(bad).toEqual([
      `runs[0].schedule${'.schedulers[0].options'.repeat(800)}.stepSize: must be ≥ 1, got 0`,
    ]);
  });
});

describe('cross-field rules stated by the libraries', () => {
  it('OneCycleLR with only epochs says stepsPerEpoch is missing', () => {
    expect(problems(withRun({ schedule: { type: 'OneCycleLR', maxLr: 0.1, epochs: 5 } }))).toEqual([
      'runs[0].schedule.stepsPerEpoch: You must define either totalSteps OR (epochs AND stepsPerEpoch): stepsPerEpoch is missing (epochs is given)',
    ]);
  });

  it("AdafactorHF's lr is required unless relativeStep", () => {
    expect(problems(withRun({ optimizer: { type: 'AdafactorHF', relativeStep: false } }))).toEqual([
      'runs[0].optimizer.lr: lr is required when relativeStep is false',
    ]);
    expect(validateSpec(withRun({ optimizer: { type: 'AdafactorHF' } }), catalog).ok).toBe(true);
  });
});

describe('seeds', () => {
  it.each([1e300, 2 ** 53, 2 ** 32, -1, 0.5])(
    'refuses dataset and run seed %s with the path',
    (seed) => {
      const spec = regression({
        task: { kind: 'regression', dataset: { type: 'linear', seed } },
        runs: [{ name: 'a', optimizer: { type: 'SGD' }, seed }],
      });
      expect([...new Set(problems(spec).map((p) => p.split(':')[0]))]).toEqual([
        'runs[0].seed',
        'task.dataset.seed',
      ]);
    },
  );

  it('accepts 0 and 2^31 − 1', () => {
    for (const seed of [0, 2 ** 31 - 1]) {
      const spec = regression({
        task: { kind: 'regression', dataset: { type: 'linear', seed } },
        runs: [{ name: 'a', optimizer: { type: 'SGD' }, seeds: [seed] }],
      });
      expect(validateSpec(spec, catalog).ok).toBe(true);
    }
  });
});

describe('every limit of limits.ts is enforced, naming the path and the size', () => {
  it('modelParameters: features 1e5 with hidden [8192] has 8.2e8 parameters', () => {
    const spec = classification(
      { type: 'random-classification', n: 100, features: 100_000, classes: 3 },
      { type: 'mlp', hidden: [8192] },
    );
    const count = 100_000 * 8192 + 8192 + 8192 * 3 + 3;
    expect(problems(spec)).toEqual([
      `task.model: mlp on 100000 features and 3 classes has ${count} parameters (weights and biases); the limit is ${LIMITS.modelParameters}`,
    ]);
  });

  it('modelParameters: a CSV (width unknown before reading) is bounded from below', () => {
    // Hidden layers alone can break the limit: 1 feature, 8192², 2 classes is 67 M parameters.
    const spec = classification(
      { type: 'csv', text: 'a,label\n1,x\n2,y\n' },
      { type: 'mlp', hidden: [8192, 8192] },
    );
    const count = 1 * 8192 + 8192 + 8192 * 8192 + 8192 + 8192 * 2 + 2;
    expect(problems(spec)).toEqual([
      `task.model: mlp has at least ${count} parameters (weights and biases) whatever the data's width; the limit is ${LIMITS.modelParameters}`,
    ]);
    const small = classification(
      { type: 'csv', text: 'a,label\n1,x\n2,y\n' },
      { type: 'mlp', hidden: [64] },
    );
    expect(validateDocument(small, catalog).ok).toBe(true);
  });

  it('functionDimension: of the function and of the start point', () => {
    const coefficients = new Array<number>(LIMITS.functionDimension + 1).fill(1);
    const fn = (f: Json, start?: unknown) =>
      regression({
        task: { kind: 'function', function: f, ...(start ? { start } : {}) },
        training: { steps: 5 },
      });
    expect(problems(fn({ type: 'quadratic', coefficients }))).toEqual([
      `task.function: quadratic would have ${LIMITS.functionDimension + 1} coordinates; the limit is ${LIMITS.functionDimension}`,
    ]);
    expect(problems(fn({ type: 'quadratic' }, coefficients))).toContain(
      `task.start: at most ${LIMITS.functionDimension} coordinates (limit), got ${LIMITS.functionDimension + 1}`,
    );
  });

  /** The default catalog, except that datasets report the given shape and no option problems. */
  function withShape(rows: number, features: number): Catalog {
    return {
      ...catalog,
      checkOptions: (kind, type, options) =>
        kind === 'dataset' ? [] : catalog.checkOptions(kind, type, options),
      datasetShape: () => ({ rows, features, classes: 3 }),
    };
  }
  const generated = classification(
    { type: 'random-classification' },
    { type: 'logistic-regression' },
  );

  it('datasetSamples, datasetFeatures and datasetValues, whatever the library itself allows', () => {
    expect(problems(generated, withShape(LIMITS.datasetSamples + 1, 1))).toEqual([
      `task.dataset.n: rows: ${LIMITS.datasetSamples + 1} exceeds the limit of ${LIMITS.datasetSamples}`,
    ]);
    expect(problems(generated, withShape(10, LIMITS.datasetFeatures + 1))).toEqual([
      `task.dataset.features: features: ${LIMITS.datasetFeatures + 1} exceeds the limit of ${LIMITS.datasetFeatures}`,
    ]);
    expect(problems(generated, withShape(1000, 60_000))).toEqual([
      `task.dataset.n: n × features = 1000 × 60000 = 60000000 exceeds the limit of ${LIMITS.datasetValues}`,
    ]);
    expect(LIMITS.datasetValues).toBe(5e7);
  });

  it('datasetValues through the library too: n × features above 5e7', () => {
    expect(
      problems(classification({ type: 'random-classification', n: 1_000_000, features: 60 })),
    ).toEqual(['task.dataset.n: n × features = 60000000 values exceeds the limit of 50000000']);
  });

  it('hiddenLayers and hiddenWidth', () => {
    const layers = new Array<number>(LIMITS.hiddenLayers + 1).fill(2);
    expect(problems(classification({ type: 'moons' }, { type: 'mlp', hidden: layers }))).toEqual([
      `task.model.hidden: at most ${LIMITS.hiddenLayers} hidden layers (limit), got ${LIMITS.hiddenLayers + 1}`,
    ]);
    expect(
      problems(
        classification({ type: 'moons' }, { type: 'mlp', hidden: [4, LIMITS.hiddenWidth + 1] }),
      ),
    ).toEqual([
      `task.model.hidden[1]: must be ≤ ${LIMITS.hiddenWidth} (limit), got ${LIMITS.hiddenWidth + 1}`,
    ]);
  });

  it('runs, seeds, epochs, steps, batch size, name length, experiments per suite', () => {
    const runs = Array.from({ length: LIMITS.runs + 1 }, (_, i) => ({
      name: `r${i}`,
      optimizer: { type: 'SGD' },
    }));
    expect(problems(regression({ runs }))[0]).toMatch(/^runs: .*64/);
    const seeds = Array.from({ length: LIMITS.seedsPerRun + 1 }, (_, i) => i);
    expect(problems(withRun({ seeds }))[0]).toMatch(/^runs\[0\]\.seeds: .*100/);
    expect(problems(regression({ training: { epochs: LIMITS.epochs + 1 } }))).toEqual([
      `training.epochs: must be ≤ ${LIMITS.epochs} (limit), got ${LIMITS.epochs + 1}`,
    ]);
    expect(problems(regression({ training: { steps: LIMITS.steps + 1 } }))[0]).toMatch(
      /^training\.steps: must be ≤ 10000000/,
    );
    expect(
      problems(regression({ training: { epochs: 1, batchSize: LIMITS.batchSize + 1 } }))[0],
    ).toMatch(/^training\.batchSize: .*1000000/);
    expect(problems(regression({ name: 'x'.repeat(LIMITS.nameLength + 1) }))[0]).toMatch(
      /^name: .*200/,
    );
    const suite = {
      version: 1,
      kind: 'suite',
      name: 's',
      tuningBudget: 'none',
      experiments: new Array(LIMITS.experimentsPerSuite + 1).fill(regression()),
    };
    expect(problems(suite)[0]).toMatch(/^experiments: .*20/);
  });
});

describe('inputs that crashed a run after validation passed', () => {
  it('refuses hidden: [] (an MLP needs a hidden layer; logistic-regression has none)', () => {
    expect(problems(classification({ type: 'moons' }, { type: 'mlp', hidden: [] }))).toEqual([
      'task.model.hidden: must list at least 1 number, got []',
    ]);
  });

  it('refuses a split that leaves an empty test or training set, naming testFraction', () => {
    expect(
      problems(classification({ type: 'moons', n: 2 }, { type: 'mlp' }, { testFraction: 0.25 })),
    ).toEqual(['task.testFraction: 2 rows with testFraction 0.25 leave an empty test set']);
    expect(
      problems(
        regression({
          task: { kind: 'regression', dataset: { type: 'linear', n: 1 }, testFraction: 0.5 },
        }),
      ),
    ).toEqual(['task.testFraction: 1 rows with testFraction 0.5 leave an empty training set']);
    expect(
      validateSpec(
        classification({ type: 'moons', n: 4 }, { type: 'mlp' }, { testFraction: 0.25 }),
        catalog,
      ).ok,
    ).toBe(true);
  });
});

describe('assertSpec', () => {
  it('throws a SpecError listing every problem of an invalid spec', () => {
    let thrown: unknown;
    try {
      assertSpec(withRun({ optimizer: { type: 'SGD', lr: -1 } }), catalog);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(SpecError);
    expect((thrown as SpecError).issues).toEqual([
      { path: 'runs[0].optimizer.lr', message: 'must be ≥ 0, got -1' },
    ]);
  });

  it('returns the spec with defaults filled in when it is valid', () => {
    expect(assertSpec(regression(), catalog).runs[0].backend).toBe('cpu');
  });
});
