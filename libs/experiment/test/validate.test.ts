import { describe, expect, it } from 'vitest';
import {
  defaultCatalog,
  formatIssue,
  parseDocumentText,
  validateDocument,
  validateSpec,
  type ExperimentSpecInput,
} from './helpers.js';

const catalog = defaultCatalog();

function base(): ExperimentSpecInput {
  return {
    version: 1,
    name: 'test',
    task: {
      kind: 'regression',
      dataset: { type: 'linear', n: 50, noise: 1, seed: 1 },
      model: { type: 'linear-regression' },
    },
    training: { epochs: 5 },
    runs: [{ name: 'a', optimizer: { type: 'SGD', lr: 0.1 } }],
  };
}

/** The formatted problems of a spec (it must be invalid). */
function problems(json: unknown): string[] {
  const r = validateDocument(json, catalog);
  if (r.ok) throw new Error('expected the spec to be invalid');
  return r.issues.map(formatIssue);
}

describe('validateSpec', () => {
  it('accepts a valid spec and fills the defaults in (the spec as run)', () => {
    const r = validateSpec(base(), catalog);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.training).toEqual({
      epochs: 5,
      batchSize: 'full',
      shuffle: true,
      evalEvery: 1,
      scheduleInterval: 'epoch',
      logEvery: 0,
    });
    expect(r.value.runs[0].backend).toBe('cpu');
    expect(r.value.task).toMatchObject({ testFraction: 0, standardize: false });
  });

  it('names an unknown optimizer with its path and the known names', () => {
    const spec = base();
    spec.runs = [
      { name: 'a', optimizer: { type: 'SGD' } },
      { name: 'b', optimizer: { type: 'Adam' } },
      { name: 'c', optimizer: { type: 'adm' } },
    ];
    const known = Object.keys(catalog.optimizers).join(', ');
    expect(problems(spec)).toEqual([
      `runs[2].optimizer.type: unknown optimizer "adm"; known: ${known}`,
    ]);
    expect(known).toMatch(/^SGD, .*Adam/);
  });

  it('lists every problem at once: unknown options, NaN, negative and out-of-range values, sizes', () => {
    const spec = base() as Record<string, unknown> & ExperimentSpecInput;
    spec.runs = [
      { name: 'a', optimizer: { type: 'Adam', lr: -1, beta: 0.9 } },
      { name: 'a', optimizer: { type: 'SGD', lr: NaN, momentum: 2 }, backend: 'tpu' as never },
    ];
    spec.training = { epochs: 1e9, batchSize: 0 };
    (spec.task as { dataset: Record<string, unknown> }).dataset.n = 5_000_000;
    spec.extra = true;
    expect(problems(spec)).toEqual([
      'training.epochs: must be ≤ 100000 (limit), got 1000000000',
      'training.batchSize: must be ≥ 1, got 0',
      'runs[1].backend: must be one of "cpu", "cpu64", "gpu", got "tpu"',
      'extra: unknown field "extra"; known: $schema, version, name, description, task, training, runs, protocol',
      // The well-formed parts are checked against the registries in the same pass.
      'task.dataset.n: must be ≤ 1000000, got 5000000',
      `runs[0].optimizer.beta: unknown option "beta" for optimizer Adam; known: ${catalog.optimizers.Adam.options.map((o) => o.name).join(', ')}`,
      'runs[0].optimizer.lr: must be ≥ 0, got -1',
    ]);
    // A run with a structural problem (backend "tpu") is reported for that, not checked further.
    const spec2 = base();
    spec2.runs = [{ name: 'b', optimizer: { type: 'SGD', lr: NaN } }];
    expect(problems(spec2)).toEqual(['runs[0].optimizer.lr: must be a finite number, got NaN']);
  });

  it('checks registry options once the structure is right', () => {
    const spec = base();
    spec.runs = [
      { name: 'a', optimizer: { type: 'Adam', lr: -1, beta: 0.9 } },
      { name: 'a', optimizer: { type: 'SGD', lr: 0.1, momentum: 2, nesterov: 'yes' } },
      { name: 'c', optimizer: { type: 'SGD', lr: 0.1 }, schedule: { type: 'StepLR', gamma: 0.5 } },
      { name: 'd', optimizer: { type: 'SGD', lr: 0.1 }, schedule: { type: 'Cosine' } },
    ];
    (spec.task as { dataset: Record<string, unknown> }).dataset.n = 5_000_000;
    const adamOptions = catalog.optimizers.Adam.options.map((o) => o.name).join(', ');
    const schedules = Object.keys(catalog.schedules).join(', ');
    const out = problems(spec);
    expect(out).toContain('task.dataset.n: must be ≤ 1000000, got 5000000');
    expect(out).toContain('runs[0].optimizer.lr: must be ≥ 0, got -1');
    expect(out).toContain(
      `runs[0].optimizer.beta: unknown option "beta" for optimizer Adam; known: ${adamOptions}`,
    );
    expect(out).toContain('runs[1].name: duplicate run name "a" (also runs[0])');
    expect(out).toContain('runs[1].optimizer.nesterov: must be true or false, got "yes"');
    expect(out).toContain(`runs[3].schedule.type: unknown schedule "Cosine"; known: ${schedules}`);
    // StepLR's stepSize is required (its description says so), at the option's path.
    expect(out).toContain('runs[2].schedule.stepSize: is required');
    expect(out.some((l) => l.startsWith('runs[1].optimizer.momentum: '))).toBe(momentumHasMax());
  });

  it('refuses a function task trained in epochs or batches, and a start of the wrong size', () => {
    const spec: ExperimentSpecInput = {
      version: 1,
      name: 'f',
      task: { kind: 'function', function: { type: 'rosenbrock' }, start: [1, 2, 3] },
      training: { epochs: 3, batchSize: 4 },
      runs: [{ name: 'a', optimizer: { type: 'SGD', lr: 0.1 } }],
    };
    expect(problems(spec)).toEqual([
      'task.start: rosenbrock takes 2 coordinates, the start point has 3',
      'training.epochs: a function task has no data to make epochs of; use "steps"',
      'training.batchSize: a function task has no data to batch; leave batchSize out (or "full")',
    ]);
  });

  it('refuses unknown task kinds, datasets and models with the known ones', () => {
    const spec = base() as { task: Record<string, unknown> };
    spec.task = { kind: 'clustering' };
    expect(problems(spec)).toEqual([
      'task.kind: unknown kind "clustering"; known: function, regression, classification',
    ]);
    const s2 = base() as { task: Record<string, unknown> };
    s2.task = {
      kind: 'classification',
      dataset: { type: 'linear' },
      model: { type: 'mlp', hidden: [99999] },
    };
    expect(problems(s2)).toEqual([
      'task.dataset.type: dataset linear is for regression, not classification',
      'task.model.hidden[0]: must be ≤ 8192 (limit), got 99999',
    ]);
  });

  it('requires exactly one of epochs and steps, and version 1', () => {
    const spec = base() as Record<string, unknown>;
    spec.training = {};
    spec.version = 2;
    expect(problems(spec)).toEqual([
      'version: must be 1, got 2',
      'training: give exactly one of "epochs" or "steps"',
    ]);
  });

  it('reports a missing field as required', () => {
    const spec = base() as Record<string, unknown>;
    delete spec.runs;
    expect(problems(spec)).toEqual(['runs: required (an array)']);
  });

  it('refuses a suite whose experiments have problems, with their paths', () => {
    const suite = {
      version: 1,
      kind: 'suite',
      name: 's',
      tuningBudget: 'none',
      experiments: [base(), { ...base(), runs: [{ name: 'x', optimizer: { type: 'Nope' } }] }],
    };
    const r = validateDocument(suite, catalog);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map(formatIssue)).toEqual([
      `experiments[1].runs[0].optimizer.type: unknown optimizer "Nope"; known: ${Object.keys(catalog.optimizers).join(', ')}`,
    ]);
  });
});

describe('parseDocumentText', () => {
  it('names the file, line and column of invalid JSON', () => {
    const text = '{\n  "version": 1,\n  "name": "x",\n}\n';
    const r = parseDocumentText(text, 'specs/bad.json', catalog);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map(formatIssue)).toEqual([
      'specs/bad.json: invalid JSON at line 4, column 1: expected a double-quoted string, found "}"',
    ]);
  });

  it('reports truncated JSON at the end of the input', () => {
    const r = parseDocumentText('{"version": 1', 'a.json', catalog);
    expect(r.ok ? [] : r.issues.map(formatIssue)).toEqual([
      'a.json: invalid JSON at line 1, column 14: expected "," or "}", found end of input',
    ]);
  });
});

function momentumHasMax(): boolean {
  return catalog.optimizers.SGD.options.some((o) => o.name === 'momentum' && o.max !== undefined);
}
