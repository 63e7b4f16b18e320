import type { Catalog } from './catalog.js';
import { formatPath, type PathSegment, type SpecIssue } from './issues.js';
import { entryOf, optionsOf, pushProblems, rawAt, unknownName } from './options-check.js';
import { groupByEntries, type ParamGroupEntry } from './param-match.js';
import type { RunSpec, TaskSpec } from './schema.js';

/** The optimizer of the parameters a matrices-only optimizer cannot take, unless `fallback.type` says otherwise. */
export const DEFAULT_FALLBACK = 'AdamW';

/**
 * The checks of a run's optimizer that depend on the task (zod has checked the fields' shapes):
 * a matrices-only optimizer (Muon) on a function's vector, `fallback` where nothing falls back,
 * `paramGroups` on a function task, with LBFGS, entries that match no parameter of the model
 * and entry options the optimizer (or, for Muon's vectors, the fallback) refuses.
 */
export function checkRunOptimizer(
  run: RunSpec,
  raw: unknown,
  at: readonly PathSegment[],
  task: TaskSpec,
  catalog: Catalog,
  issues: SpecIssue[],
): void {
  const push = (path: readonly PathSegment[], message: string) =>
    issues.push({ path: formatPath([...at, ...path]), message });
  const type = run.optimizer.type;
  const entry = entryOf(catalog.optimizers, type);
  if (!entry) return; // checkRun reported the unknown name
  const matricesOnly = entry.parameterShapes === 'matrices';
  const fallbackType = checkFallback(run, raw, at, matricesOnly, catalog, issues);

  if (task.kind === 'function') {
    const isMatrix = task.start !== undefined && Array.isArray(task.start[0]);
    if (matricesOnly && !isMatrix) {
      push(
        ['optimizer', 'type'],
        `${type} takes 2-D parameters (matrices) only, and this function task trains one vector (${task.function.type}'s point): nothing can fall back to another optimizer; give task.start as a matrix (rows of equal length) or choose another optimizer`,
      );
    }
    if (run.fallback !== undefined) {
      push(['fallback'], 'a function task trains one parameter: nothing falls back');
    }
    if (run.paramGroups !== undefined) {
      push(
        ['paramGroups'],
        'a function task trains one parameter; parameter groups need a model (a regression or classification task)',
      );
    }
    return;
  }
  if (run.paramGroups === undefined) return;
  if (entry.requiresClosure && type === 'LBFGS') {
    push(['paramGroups'], 'LBFGS takes one parameter group (as torch.optim.LBFGS)');
    return;
  }
  const modelOptions = optionsOf(task.model);
  const layout = catalog.modelParameterLayout(task.model.type, modelOptions);
  if (!layout) return; // checkTask reported the model
  const entries = run.paramGroups as ParamGroupEntry[];
  const { unmatched } = groupByEntries(
    layout.map((p) => p.name),
    entries,
  );
  for (const j of unmatched) {
    push(
      ['paramGroups', j, 'match'],
      `${JSON.stringify(entries[j].match)} matches no parameter of the ${task.model.type} model; its parameters: ${layout.map((p) => p.name).join(', ')}`,
    );
  }
  const runOptions = optionsOf(rawAt(raw, ['optimizer']));
  if (type === 'Prodigy') checkProdigyLrs(entries, runOptions, at, issues);
  const fallbackOptions = optionsOf(rawAt(raw, ['fallback']));
  entries.forEach((e, j) => {
    const own = optionsOf(rawAt(raw, ['paramGroups', j]));
    delete own.match;
    const fits = layout.filter((p) => groupByEntries([p.name], [e]).unmatched.length === 0);
    // Muon's entries reach the fallback for the parameters Muon cannot take.
    const targets: [string, Record<string, unknown>][] = [];
    if (!matricesOnly || fits.some((p) => p.rank === 2)) targets.push([type, runOptions]);
    if (matricesOnly && fallbackType && fits.some((p) => p.rank !== 2)) {
      targets.push([fallbackType, fallbackOptions]);
    }
    for (const [target, base] of targets) {
      const problems = catalog
        .checkOptions('optimizer', target, { ...base, ...own })
        .filter((p) => Object.hasOwn(own, String(p.path[0])))
        .map((p) =>
          target === type ? p : { ...p, message: `${p.message} (for ${target}, the fallback)` },
        );
      pushProblems([...at, 'paramGroups', j], problems, issues);
    }
  });
}

/** Checks `fallback`; returns the fallback's optimizer name when there is one to use. */
function checkFallback(
  run: RunSpec,
  raw: unknown,
  at: readonly PathSegment[],
  matricesOnly: boolean,
  catalog: Catalog,
  issues: SpecIssue[],
): string | null {
  if (!matricesOnly) {
    if (run.fallback !== undefined) {
      issues.push({
        path: formatPath([...at, 'fallback']),
        message: `${run.optimizer.type} takes parameters of every shape: nothing falls back (fallback is for Muon's biases)`,
      });
    }
    return null;
  }
  const type = run.fallback?.type ?? DEFAULT_FALLBACK;
  const entry = entryOf(catalog.optimizers, type);
  const typeAt = formatPath([...at, 'fallback', 'type']);
  if (!entry) {
    issues.push({
      path: typeAt,
      message: unknownName('optimizer', type, Object.keys(catalog.optimizers)),
    });
    return null;
  }
  if (entry.parameterShapes === 'matrices' || entry.requiresClosure) {
    issues.push({
      path: typeAt,
      message: `${type} cannot take the parameters ${run.optimizer.type} leaves: ${entry.requiresClosure ? 'it steps with a closure' : 'it takes matrices only'}`,
    });
    return null;
  }
  const options = optionsOf(rawAt(raw, ['fallback']));
  pushProblems([...at, 'fallback'], catalog.checkOptions('optimizer', type, options), issues);
  return type;
}

/** Prodigy estimates one step size for all groups: a group's lr may only be the run's or 0. */
function checkProdigyLrs(
  entries: readonly ParamGroupEntry[],
  runOptions: Readonly<Record<string, unknown>>,
  at: readonly PathSegment[],
  issues: SpecIssue[],
): void {
  const lr = runOptions.lr ?? 1;
  entries.forEach((e, j) => {
    if (e.lr === undefined || e.lr === 0 || e.lr === lr) return;
    issues.push({
      path: formatPath([...at, 'paramGroups', j, 'lr']),
      message: `Prodigy estimates one step size for every group: a group's lr must be the run's (${String(lr)}) or 0 (to freeze it), got ${String(e.lr)}`,
    });
  });
}
