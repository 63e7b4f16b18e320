import type * as z from 'zod';
import type { Catalog } from './catalog.js';
import { formatPath, SpecError, type PathSegment, type SpecIssue } from './issues.js';
import { parseJsonText } from './json-text.js';
import { LIMITS } from './limits.js';
import { checkOptions, optionsOf, unknownName } from './options-check.js';
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
    (spec, issues) => checkExperiment(spec, [], catalog, issues),
    (issues) => checkParts(json, [], catalog, issues),
  );
}

export function validateSuite(json: unknown, catalog: Catalog): Validation<SuiteSpec> {
  return validateWith(
    suiteSpecSchema,
    json,
    (suite, issues) =>
      suite.experiments.forEach((spec, i) =>
        checkExperiment(spec, ['experiments', i], catalog, issues),
      ),
    (issues) => {
      const experiments = (json as { experiments?: unknown } | null)?.experiments;
      if (!Array.isArray(experiments)) return;
      experiments.forEach((e, i) => {
        const one = experimentSpecSchema.safeParse(e);
        if (one.success) checkExperiment(one.data, ['experiments', i], catalog, issues);
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
  if (task.success) checkTask(task.data, [...base, 'task'], catalog, issues);
  if (Array.isArray(doc.runs)) {
    doc.runs.forEach((r, i) => {
      const run = runSchema.safeParse(r);
      if (run.success) checkRun(run.data, [...base, 'runs', i], catalog, issues);
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
  base: readonly PathSegment[],
  catalog: Catalog,
  issues: SpecIssue[],
): void {
  checkTask(spec.task, [...base, 'task'], catalog, issues);
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
    checkRun(run, at, catalog, issues);
  });
}

function checkRun(
  run: RunSpec,
  at: readonly PathSegment[],
  catalog: Catalog,
  issues: SpecIssue[],
): void {
  const optimizer = catalog.optimizers[run.optimizer.type];
  if (!optimizer) {
    issues.push({
      path: formatPath([...at, 'optimizer', 'type']),
      message: unknownName('optimizer', run.optimizer.type, Object.keys(catalog.optimizers)),
    });
  } else {
    const before = issues.length;
    checkOptions([...at, 'optimizer'], 'optimizer', optimizer, run.optimizer, issues);
    const problem =
      issues.length === before
        ? catalog.probeOptimizer?.(run.optimizer.type, optionsOf(run.optimizer))
        : undefined;
    if (problem) issues.push({ path: formatPath([...at, 'optimizer']), message: problem });
  }
  if (run.schedule) {
    issues.push(
      ...checkScheduleOptions(run.schedule.type, optionsOf(run.schedule), catalog, [
        ...at,
        'schedule',
      ]),
    );
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
  at: readonly PathSegment[],
  catalog: Catalog,
  issues: SpecIssue[],
): void {
  if (task.kind === 'function') {
    const entry = catalog.functions[task.function.type];
    if (!entry) {
      issues.push({
        path: formatPath([...at, 'function', 'type']),
        message: unknownName('function', task.function.type, Object.keys(catalog.functions)),
      });
      return;
    }
    const before = issues.length;
    checkOptions([...at, 'function'], 'function', entry, task.function, issues);
    if (task.start !== undefined) checkStart(task.start, [...at, 'start'], issues);
    if (issues.length > before || !catalog.functionDimension) return;
    const dim = catalog.functionDimension(task.function.type, optionsOf(task.function));
    if ('error' in dim) {
      issues.push({ path: formatPath([...at, 'function']), message: dim.error });
      return;
    }
    const given = task.start?.flat().length;
    if (given !== undefined && dim.dimension !== null && dim.dimension !== given) {
      issues.push({
        path: formatPath([...at, 'start']),
        message: `${entry.name} takes ${dim.dimension} coordinate${dim.dimension === 1 ? '' : 's'}, the start point has ${given}`,
      });
    }
    return;
  }
  const dataset = catalog.datasets[task.dataset.type];
  if (!dataset) {
    issues.push({
      path: formatPath([...at, 'dataset', 'type']),
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
      path: formatPath([...at, 'dataset', 'type']),
      message: `dataset ${dataset.name} is for ${dataset.tasks.join(' and ')}, not ${task.kind}`,
    });
  } else {
    checkOptions([...at, 'dataset'], 'dataset', dataset, task.dataset, issues);
    checkDatasetSizes(task.dataset, [...at, 'dataset'], issues);
    const readAs = (task.dataset as Readonly<Record<string, unknown>>).task;
    if (typeof readAs === 'string' && readAs !== task.kind) {
      issues.push({
        path: formatPath([...at, 'dataset', 'task']),
        message: `the dataset is read for ${readAs}, but the task is ${task.kind}; leave "task" out (the task's kind is its default) or make them agree`,
      });
    }
  }
  const model = catalog.models[task.model.type];
  if (!model) {
    issues.push({
      path: formatPath([...at, 'model', 'type']),
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
      path: formatPath([...at, 'model', 'type']),
      message: `model ${model.name} is for ${model.tasks.join(' and ')}, not ${task.kind}`,
    });
  } else {
    checkOptions([...at, 'model'], 'model', model, task.model, issues);
    checkModelSizes(task.model, [...at, 'model'], issues);
  }
}

/** Hidden widths and depth under the stated limits. */
function checkModelSizes(
  config: Readonly<Record<string, unknown>>,
  at: readonly PathSegment[],
  issues: SpecIssue[],
): void {
  const hidden = config.hidden;
  if (!Array.isArray(hidden)) return;
  if (hidden.length > LIMITS.hiddenLayers) {
    issues.push({
      path: formatPath([...at, 'hidden']),
      message: `at most ${LIMITS.hiddenLayers} hidden layers (limit), got ${hidden.length}`,
    });
  }
  hidden.forEach((h, i) => {
    if (typeof h === 'number' && !Number.isInteger(h)) {
      issues.push({
        path: formatPath([...at, 'hidden', i]),
        message: `must be an integer, got ${h}`,
      });
    } else if (typeof h === 'number' && h > LIMITS.hiddenWidth) {
      issues.push({
        path: formatPath([...at, 'hidden', i]),
        message: `must be ≤ ${LIMITS.hiddenWidth} (limit), got ${h}`,
      });
    }
  });
}

/** Generated datasets: sample and feature counts under the stated limits. */
function checkDatasetSizes(
  config: Readonly<Record<string, unknown>>,
  at: readonly PathSegment[],
  issues: SpecIssue[],
): void {
  const limits: Record<string, number> = {
    n: LIMITS.datasetSamples,
    samples: LIMITS.datasetSamples,
    features: LIMITS.datasetFeatures,
  };
  for (const [key, limit] of Object.entries(limits)) {
    const v = config[key];
    const path = formatPath([...at, key]);
    // The registry's own bound may already have said so.
    if (typeof v === 'number' && v > limit && !issues.some((i) => i.path === path)) {
      issues.push({
        path,
        message: `must be ≤ ${limit} (limit), got ${v}`,
      });
    }
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

/** Schedules whose `schedulers` option holds child schedules `[{ type, options }]`. */
const COMPOSITE_SCHEDULES = ['SequentialLR', 'ChainedScheduler'];

/**
 * Checks a schedule name and its options (also used by `optlab schedule`, whose options come
 * from the command line): unknown name, unknown options, bad values, then the schedule's own
 * constructor checks.
 */
export function checkScheduleOptions(
  type: string,
  options: Readonly<Record<string, unknown>>,
  catalog: Catalog,
  at: readonly PathSegment[] = [],
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const schedule = catalog.schedules[type];
  if (!schedule) {
    issues.push({
      path: formatPath([...at, 'type']),
      message: unknownName('schedule', type, Object.keys(catalog.schedules)),
    });
    return issues;
  }
  const { schedulers, ...own } = options;
  const composite = COMPOSITE_SCHEDULES.includes(type);
  checkOptions(at, 'schedule', schedule, composite ? own : options, issues);
  if (composite) {
    if (!Array.isArray(schedulers) || schedulers.length === 0) {
      issues.push({
        path: formatPath([...at, 'schedulers']),
        message: 'required: a non-empty list of { "type": ..., "options": { ... } }',
      });
    } else {
      schedulers.forEach((child: unknown, i) => {
        const c = child as { type?: unknown; options?: unknown } | null;
        const childAt = [...at, 'schedulers', i];
        if (typeof c?.type !== 'string') {
          issues.push({
            path: formatPath([...childAt, 'type']),
            message: `required: a schedule name; known: ${Object.keys(catalog.schedules).join(', ')}`,
          });
          return;
        }
        const childOptions = c.options ?? {};
        if (
          typeof childOptions !== 'object' ||
          childOptions === null ||
          Array.isArray(childOptions)
        ) {
          issues.push({ path: formatPath([...childAt, 'options']), message: 'must be an object' });
          return;
        }
        const childIssues = checkScheduleOptions(
          c.type,
          childOptions as Record<string, unknown>,
          catalog,
          childAt,
        );
        // Option paths of a child sit under its "options".
        issues.push(
          ...childIssues.map((issue) =>
            issue.path === formatPath([...childAt, 'type'])
              ? issue
              : {
                  ...issue,
                  path: issue.path.replace(
                    formatPath(childAt) + '.',
                    formatPath([...childAt, 'options']) + '.',
                  ),
                },
          ),
        );
      });
    }
  }
  if (issues.length === 0) {
    const problem = catalog.probeSchedule?.(type, { ...options });
    if (problem) issues.push({ path: formatPath(at), message: problem });
  }
  return issues;
}
