import type * as z from 'zod';
import type { Catalog } from './catalog.js';
import { formatPath, SpecError, type PathSegment, type SpecIssue } from './issues.js';
import { parseJsonText } from './json-text.js';
import { LIMITS } from './limits.js';
import { entryOf, optionsOf, pushProblems, rawAt, unknownName } from './options-check.js';
import {
  experimentSpecSchema,
  runSchema,
  suiteSpecSchema,
  taskSchema,
  type ExperimentSpec,
  type RunSpec,
  type SuiteSpec,
  type TaskSpec,
} from './schema.js';
import { fromZodIssues } from './zod-issues.js';
import { checkRunOptimizer } from './validate-run-optimizer.js';
import { checkProtocolAndSize, checkSweep } from './validate-sweep.js';
import { expandSweeps } from '../sweep/expand.js';

export type Validation<T> = { ok: true; value: T } | { ok: false; issues: SpecIssue[] };

/** A document is one experiment spec or a suite of them (it has `experiments`). */
export type SpecDocument =
  { kind: 'experiment'; spec: ExperimentSpec } | { kind: 'suite'; suite: SuiteSpec };

/**
 * Validates a parsed JSON value as an experiment spec: structure first (zod), then everything
 * that depends on the registries. Returns every problem found, each with its JSON path; the
 * value it returns has the defaults filled in (that is the spec "as run").
 */
export function validateSpec(json: unknown, catalog: Catalog): Validation<ExperimentSpec> {
  return validateWith(
    experimentSpecSchema,
    json,
    (spec, issues) => checkExperiment(spec, json, [], catalog, issues),
    (issues) => checkParts(json, [], catalog, issues),
  );
}

export function validateSuite(json: unknown, catalog: Catalog): Validation<SuiteSpec> {
  return validateWith(
    suiteSpecSchema,
    json,
    (suite, issues) =>
      suite.experiments.forEach((spec, i) =>
        checkExperiment(spec, rawAt(json, ['experiments', i]), ['experiments', i], catalog, issues),
      ),
    (issues) => {
      const experiments = (json as { experiments?: unknown } | null)?.experiments;
      if (!Array.isArray(experiments)) return;
      experiments.forEach((e, i) => {
        const one = experimentSpecSchema.safeParse(e);
        if (one.success) checkExperiment(one.data, e, ['experiments', i], catalog, issues);
        else checkParts(e, ['experiments', i], catalog, issues);
      });
    },
  );
}

/**
 * When the document as a whole has structural problems, the parts that are well formed on
 * their own (the task, each run) still get their registry checks, so that one pass lists every
 * problem rather than revealing them a layer at a time.
 */
function checkParts(
  json: unknown,
  base: readonly PathSegment[],
  catalog: Catalog,
  issues: SpecIssue[],
): void {
  if (json === null || typeof json !== 'object') return;
  const doc = json as { task?: unknown; runs?: unknown };
  const task = taskSchema.safeParse(doc.task);
  if (task.success) checkTask(task.data, doc.task, [...base, 'task'], catalog, issues);
  if (Array.isArray(doc.runs)) {
    doc.runs.forEach((r, i) => {
      const run = runSchema.safeParse(r);
      if (run.success) checkRun(run.data, r, [...base, 'runs', i], catalog, issues);
    });
  }
}

/** Validates either kind of document, telling them apart by `experiments`. */
export function validateDocument(json: unknown, catalog: Catalog): Validation<SpecDocument> {
  if (json !== null && typeof json === 'object' && 'experiments' in json) {
    const r = validateSuite(json, catalog);
    return r.ok ? { ok: true, value: { kind: 'suite', suite: r.value } } : r;
  }
  const r = validateSpec(json, catalog);
  return r.ok ? { ok: true, value: { kind: 'experiment', spec: r.value } } : r;
}

/** JSON text → validated document; invalid JSON is reported with `source`, line and column. */
export function parseDocumentText(
  text: string,
  source: string,
  catalog: Catalog,
): Validation<SpecDocument> {
  const parsed = parseJsonText(text, source);
  if (!parsed.ok) return { ok: false, issues: [parsed.issue] };
  return validateDocument(parsed.value, catalog);
}

/** Like `validateSpec` but throws a `SpecError` listing every problem. */
export function assertSpec(json: unknown, catalog: Catalog): ExperimentSpec {
  const r = validateSpec(json, catalog);
  if (!r.ok) throw new SpecError(r.issues);
  return r.value;
}

function validateWith<T>(
  schema: z.ZodType<T>,
  json: unknown,
  semantic: (value: T, issues: SpecIssue[]) => void,
  partial: (issues: SpecIssue[]) => void,
): Validation<T> {
  const parsed = schema.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    const issues = fromZodIssues(schema, json, parsed.error.issues);
    partial(issues);
    return { ok: false, issues };
  }
  const issues: SpecIssue[] = [];
  semantic(parsed.data, issues);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: parsed.data };
}

function checkExperiment(
  spec: ExperimentSpec,
  raw: unknown,
  base: readonly PathSegment[],
  catalog: Catalog,
  issues: SpecIssue[],
): void {
  checkTask(spec.task, rawAt(raw, ['task']), [...base, 'task'], catalog, issues);
  const training = [...base, 'training'];
  if (spec.task.kind === 'function') {
    if (spec.training.epochs !== undefined) {
      issues.push({
        path: formatPath([...training, 'epochs']),
        message: 'a function task has no data to make epochs of; use "steps"',
      });
    }
    if (spec.training.batchSize !== 'full') {
      issues.push({
        path: formatPath([...training, 'batchSize']),
        message: 'a function task has no data to batch; leave batchSize out (or "full")',
      });
    }
  }
  const seen = new Map<string, number>();
  spec.runs.forEach((run, i) => {
    const at = [...base, 'runs', i];
    const first = seen.get(run.name);
    if (first !== undefined) {
      issues.push({
        path: formatPath([...at, 'name']),
        message: `duplicate run name ${JSON.stringify(run.name)} (also runs[${first}])`,
      });
    } else seen.set(run.name, i);
    checkRun(run, rawAt(raw, ['runs', i]), at, catalog, issues);
    checkRunOptimizer(run, rawAt(raw, ['runs', i]), at, spec.task, catalog, issues);
    checkRunOverrides(spec, run, rawAt(raw, ['task']), at, catalog, issues);
    checkSweep(spec, run, rawAt(raw, ['runs', i]), at, catalog, issues);
  });
  checkProtocolAndSize(spec, base, issues);
  if (issues.length === 0) checkConfigurationNames(spec, base, issues);
}

/** A run's own batch size and initialisation, against the task. */
function checkRunOverrides(
  spec: ExperimentSpec,
  run: RunSpec,
  rawTask: unknown,
  at: readonly PathSegment[],
  catalog: Catalog,
  issues: SpecIssue[],
): void {
  const task = spec.task;
  if (task.kind === 'function') {
    if (run.training?.batchSize !== undefined && run.training.batchSize !== 'full') {
      issues.push({
        path: formatPath([...at, 'training', 'batchSize']),
        message: 'a function task has no data to batch; leave batchSize out (or "full")',
      });
    }
    if (run.model !== undefined) {
      issues.push({
        path: formatPath([...at, 'model']),
        message: 'a function task has no model to initialise',
      });
    }
    return;
  }
  const init = run.model?.init;
  if (init !== undefined && entryOf(catalog.models, task.model.type)) {
    const options = { ...optionsOf(rawAt(rawTask, ['model']) ?? task.model), init };
    for (const p of catalog.checkOptions('model', task.model.type, options)) {
      if (p.path[0] === 'init') {
        issues.push({ path: formatPath([...at, 'model', 'init']), message: p.message });
      }
    }
  }
}

/** Expanded names must not meet another run's (a run named "Adam[lr=1e-3]" beside a sweep). */
function checkConfigurationNames(
  spec: ExperimentSpec,
  base: readonly PathSegment[],
  issues: SpecIssue[],
): void {
  const seen = new Map<string, number>();
  for (const c of expandSweeps(spec).configurations) {
    const first = seen.get(c.name);
    if (first !== undefined && first !== c.groupIndex) {
      issues.push({
        path: formatPath([...base, 'runs', c.groupIndex, 'name']),
        message: `the sweep names a configuration ${JSON.stringify(c.name)}, as runs[${first}] does; rename one`,
      });
      return;
    }
    seen.set(c.name, c.groupIndex);
  }
}

/** `raw` is the run as the JSON gave it: options are read from it (see `optionsOf`). */
function checkRun(
  run: RunSpec,
  raw: unknown,
  at: readonly PathSegment[],
  catalog: Catalog,
  issues: SpecIssue[],
): void {
  const type = run.optimizer.type;
  if (!entryOf(catalog.optimizers, type)) {
    issues.push({
      path: formatPath([...at, 'optimizer', 'type']),
      message: unknownName('optimizer', type, Object.keys(catalog.optimizers)),
    });
  } else {
    const options = optionsOf(rawAt(raw, ['optimizer']));
    pushProblems([...at, 'optimizer'], catalog.checkOptions('optimizer', type, options), issues);
  }
  if (run.schedule) {
    const options = optionsOf(rawAt(raw, ['schedule']));
    issues.push(...checkScheduleOptions(run.schedule.type, options, catalog, [...at, 'schedule']));
  }
  if (run.averaging) {
    const at2 = [...at, 'averaging'];
    const type = run.averaging.type;
    if (!entryOf(catalog.averaging, type)) {
      issues.push({
        path: formatPath([...at2, 'type']),
        message: unknownName('averaging', type, Object.keys(catalog.averaging)),
      });
    } else {
      const options = optionsOf(rawAt(raw, ['averaging']));
      pushProblems(at2, catalog.checkOptions('averaging', type, options), issues);
    }
  }
  if (run.gpuMode !== undefined) {
    if (run.backend !== 'gpu') {
      issues.push({
        path: formatPath([...at, 'gpuMode']),
        message: `only applies to backend "gpu" (this run uses "${run.backend}")`,
      });
    } else if (!catalog.gpuModes.includes(run.gpuMode)) {
      issues.push({
        path: formatPath([...at, 'gpuMode']),
        message: unknownName('gpu.js mode', run.gpuMode, catalog.gpuModes),
      });
    }
  }
}

function checkTask(
  task: TaskSpec,
  raw: unknown,
  at: readonly PathSegment[],
  catalog: Catalog,
  issues: SpecIssue[],
): void {
  if (task.kind === 'function') {
    checkFunctionTask(task, raw, at, catalog, issues);
    return;
  }
  const datasetAt = [...at, 'dataset'];
  const dataset = entryOf(catalog.datasets, task.dataset.type);
  let shape: ReturnType<Catalog['datasetShape']>;
  if (!dataset) {
    issues.push({
      path: formatPath([...datasetAt, 'type']),
      message: unknownName(
        `${task.kind} dataset`,
        task.dataset.type,
        Object.values(catalog.datasets)
          .filter((d) => d.tasks.includes(task.kind))
          .map((d) => d.name),
      ),
    });
  } else if (!dataset.tasks.includes(task.kind)) {
    issues.push({
      path: formatPath([...datasetAt, 'type']),
      message: `dataset ${dataset.name} is for ${dataset.tasks.join(' and ')}, not ${task.kind}`,
    });
  } else {
    const options = optionsOf(rawAt(raw, ['dataset']));
    const problems = catalog.checkOptions('dataset', task.dataset.type, options);
    pushProblems(datasetAt, problems, issues);
    if (problems.length === 0) {
      shape = catalog.datasetShape(task.dataset.type, options);
      if (shape) checkDatasetSize(shape, task, datasetAt, at, issues);
    }
    const readAs = options.task;
    if (typeof readAs === 'string' && readAs !== task.kind) {
      issues.push({
        path: formatPath([...datasetAt, 'task']),
        message: `the dataset is read for ${readAs}, but the task is ${task.kind}; leave "task" out (the task's kind is its default) or make them agree`,
      });
    }
  }
  const modelAt = [...at, 'model'];
  const model = entryOf(catalog.models, task.model.type);
  if (!model) {
    issues.push({
      path: formatPath([...modelAt, 'type']),
      message: unknownName(
        `${task.kind} model`,
        task.model.type,
        Object.values(catalog.models)
          .filter((m) => m.tasks.includes(task.kind))
          .map((m) => m.name),
      ),
    });
  } else if (!model.tasks.includes(task.kind)) {
    issues.push({
      path: formatPath([...modelAt, 'type']),
      message: `model ${model.name} is for ${model.tasks.join(' and ')}, not ${task.kind}`,
    });
  } else {
    // The default model of a regression task is not in the JSON: zod filled it in.
    const options = optionsOf(rawAt(raw, ['model']) ?? task.model);
    const before = issues.length;
    checkModelDepth(options, modelAt, issues);
    pushProblems(modelAt, catalog.checkOptions('model', task.model.type, options), issues);
    if (issues.length === before) {
      checkModelParameters(task.model.type, options, task.kind, shape, modelAt, catalog, issues);
    }
  }
}

function checkFunctionTask(
  task: Extract<TaskSpec, { kind: 'function' }>,
  raw: unknown,
  at: readonly PathSegment[],
  catalog: Catalog,
  issues: SpecIssue[],
): void {
  const type = task.function.type;
  const entry = entryOf(catalog.functions, type);
  if (!entry) {
    issues.push({
      path: formatPath([...at, 'function', 'type']),
      message: unknownName('function', type, Object.keys(catalog.functions)),
    });
    return;
  }
  const before = issues.length;
  const options = optionsOf(rawAt(raw, ['function']));
  pushProblems([...at, 'function'], catalog.checkOptions('function', type, options), issues);
  if (task.start !== undefined) checkStart(task.start, [...at, 'start'], issues);
  if (issues.length > before) return;
  const dim = catalog.functionDimension(type, options);
  if (dim === undefined) return;
  if (dim > LIMITS.functionDimension) {
    issues.push({
      path: formatPath([...at, 'function']),
      message: `${entry.name} would have ${dim} coordinates; the limit is ${LIMITS.functionDimension}`,
    });
    return;
  }
  const given = task.start?.flat().length;
  if (given !== undefined && dim !== given) {
    issues.push({
      path: formatPath([...at, 'start']),
      message: `${entry.name} takes ${dim} coordinate${dim === 1 ? '' : 's'}, the start point has ${given}`,
    });
  }
}

/** Depth and widths of an MLP's hidden layers under the stated limits. */
function checkModelDepth(
  options: Readonly<Record<string, unknown>>,
  at: readonly PathSegment[],
  issues: SpecIssue[],
): void {
  const hidden = options.hidden;
  if (!Array.isArray(hidden)) return;
  if (hidden.length > LIMITS.hiddenLayers) {
    issues.push({
      path: formatPath([...at, 'hidden']),
      message: `at most ${LIMITS.hiddenLayers} hidden layers (limit), got ${hidden.length}`,
    });
  }
  hidden.forEach((h, i) => {
    if (typeof h === 'number' && h > LIMITS.hiddenWidth) {
      issues.push({
        path: formatPath([...at, 'hidden', i]),
        message: `must be ≤ ${LIMITS.hiddenWidth} (limit), got ${h}`,
      });
    }
  });
}

/**
 * The model's weights and biases, computed from the data's widths, under the limit. Where the
 * data decides a width (a CSV file, an image folder), the smallest data it could be (1 feature;
 * 2 classes, or 1 target) gives a lower bound: hidden layers alone can exceed the limit.
 */
function checkModelParameters(
  type: string,
  options: Readonly<Record<string, unknown>>,
  kind: 'regression' | 'classification',
  shape: { features: number | null; classes: number | null } | undefined,
  at: readonly PathSegment[],
  catalog: Catalog,
  issues: SpecIssue[],
): void {
  const known = shape?.features != null && shape.classes != null;
  const features = shape?.features ?? 1;
  const classes = shape?.classes ?? (kind === 'classification' ? 2 : 0);
  if (known) {
    // Only data of a known width can show a cnn's kernel too large or logits not the classes.
    const problem = catalog.modelDataProblem?.(type, options, features, classes);
    if (problem) {
      issues.push({ path: formatPath([...at, ...problem.path]), message: problem.message });
      return;
    }
  }
  const count = catalog.modelParameterCount(type, options, features, classes);
  if (count !== undefined && count > LIMITS.modelParameters) {
    issues.push({
      path: formatPath(at),
      message: known
        ? `${type} on ${features} features and ${classes} classes has ${count} parameters (weights and biases); the limit is ${LIMITS.modelParameters}`
        : `${type} has at least ${count} parameters (weights and biases) whatever the data's width; the limit is ${LIMITS.modelParameters}`,
    });
  }
}

/**
 * A generated dataset's rows, features and values (rows × features) under the limits, and a
 * train/test split that leaves both parts some rows (the runner's split: classification is
 * stratified, each class sending round(count × testFraction) rows to test; classes are taken
 * as evenly sized, as the generators make them).
 */
function checkDatasetSize(
  shape: { rows: number | null; features: number | null; classes: number | null },
  task: Exclude<TaskSpec, { kind: 'function' }>,
  datasetAt: readonly PathSegment[],
  taskAt: readonly PathSegment[],
  issues: SpecIssue[],
): void {
  const { rows, features, classes } = shape;
  const over = (key: string, what: string, value: number, limit: number) =>
    issues.push({
      path: formatPath([...datasetAt, key]),
      message: `${what} ${value} exceeds the limit of ${limit}`,
    });
  if (rows !== null && rows > LIMITS.datasetSamples) {
    over('n', 'rows:', rows, LIMITS.datasetSamples);
  }
  if (features !== null && features > LIMITS.datasetFeatures) {
    over('features', 'features:', features, LIMITS.datasetFeatures);
  }
  if (rows !== null && features !== null && rows * features > LIMITS.datasetValues) {
    over('n', `n × features = ${rows} × ${features} =`, rows * features, LIMITS.datasetValues);
  }
  if (rows === null) return;
  const heldOut = (n: number, f: number) => {
    if (task.kind === 'classification' && classes !== null && classes > 0) {
      let out = 0;
      for (let c = 0; c < classes; c++) {
        const count = Math.floor(n / classes) + (c < n % classes ? 1 : 0);
        out += Math.round(count * f);
      }
      return out;
    }
    return Math.ceil(n * f);
  };
  let train = rows;
  for (const [key, part] of [
    ['testFraction', 'test'],
    ['validationFraction', 'validation'],
  ] as const) {
    const f = task[key];
    if (f <= 0) continue;
    const held = heldOut(train, f);
    const empty = held === 0 ? part : held >= train ? 'training' : null;
    if (empty) {
      issues.push({
        path: formatPath([...taskAt, key]),
        message: `${train} rows with ${key} ${f} leave an empty ${empty} set`,
      });
      return;
    }
    // The validation split is taken from what the test split leaves for training.
    train -= held;
  }
}

function checkStart(
  start: number[] | number[][],
  at: readonly PathSegment[],
  issues: SpecIssue[],
): void {
  if (Array.isArray(start[0])) {
    const rows = start as number[][];
    const width = rows[0].length;
    rows.forEach((row, i) => {
      if (row.length !== width) {
        issues.push({
          path: formatPath([...at, i]),
          message: `rows of a matrix start point must have equal lengths: row 0 has ${width}, row ${i} has ${row.length}`,
        });
      }
    });
  }
  if (start.flat().length > LIMITS.functionDimension) {
    issues.push({
      path: formatPath(at),
      message: `at most ${LIMITS.functionDimension} coordinates (limit), got ${start.flat().length}`,
    });
  }
}

/**
 * Checks a schedule name and its options (also used by `optlab schedule`, whose options come
 * from the command line): an unknown name, then @optlab/optim's pure check (unknown options, bad
 * values, rules across options, and the children of SequentialLR and ChainedScheduler with their
 * paths). Linear in the size of the options, however deep the composites nest.
 */
export function checkScheduleOptions(
  type: string,
  options: Readonly<Record<string, unknown>>,
  catalog: Catalog,
  at: readonly PathSegment[] = [],
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  if (!entryOf(catalog.schedules, type)) {
    issues.push({
      path: formatPath([...at, 'type']),
      message: unknownName('schedule', type, Object.keys(catalog.schedules)),
    });
    return issues;
  }
  pushProblems(at, catalog.checkOptions('schedule', type, options), issues);
  return issues;
}
