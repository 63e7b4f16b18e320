import { SWEEP_PATHS, expandSweeps, isRandom, parseSweepPath, sweepSize } from '../sweep/expand.js';
import { heldOutSets } from '../protocol/held-out.js';
import type { Catalog } from './catalog.js';
import { formatPath, type PathSegment, type SpecIssue } from './issues.js';
import { LIMITS } from './limits.js';
import { entryOf, optionsOf, rawAt } from './options-check.js';
import type { ExperimentSpec, ProtocolSpec, RunSpec, SweepValues } from './schema.js';

/**
 * The checks of sweeps and of the protocol, which need the whole run (and the task) to make
 * sense of a path: each path names an option the run has, each grid is non-empty and in range,
 * every expanded configuration is a valid run, and the expansion stays under
 * `LIMITS.expandedRuns`. Issues name the JSON path of the sweep entry
 * (`runs[0].sweep["optimizer.lr"].logspace`).
 */

/** Problems of one run's sweep (structure already checked by zod). */
export function checkSweep(
  spec: ExperimentSpec,
  run: RunSpec,
  raw: unknown,
  at: readonly PathSegment[],
  catalog: Catalog,
  issues: SpecIssue[],
): void {
  const sweep = run.sweep;
  if (!sweep) return;
  const sweepAt = [...at, 'sweep'];
  const paths = Object.keys(sweep);
  if (paths.length === 0) {
    issues.push({ path: formatPath(sweepAt), message: 'an empty sweep: name at least one option' });
    return;
  }
  const before = issues.length;
  for (const path of paths)
    checkPath(spec, run, path, sweep[path], [...sweepAt, path], catalog, issues);
  checkRandomAgreement(sweep, sweepAt, issues);
  if (issues.length > before) return;
  const size = sweepSize(sweep);
  if (size > LIMITS.expandedRuns) {
    issues.push({
      path: formatPath(sweepAt),
      message: `expands into ${size} configurations; the limit is ${LIMITS.expandedRuns} trainings`,
    });
    return;
  }
  checkConfigurations(spec, run, raw, sweepAt, catalog, issues);
}

const KNOWN_PATHS = `${SWEEP_PATHS.slice(0, -1).join(', ')} or ${SWEEP_PATHS.at(-1)}`;

function checkPath(
  spec: ExperimentSpec,
  run: RunSpec,
  path: string,
  form: SweepValues,
  at: readonly PathSegment[],
  catalog: Catalog,
  issues: SpecIssue[],
): void {
  const push = (message: string, where: readonly PathSegment[] = at) =>
    issues.push({ path: formatPath(where), message });
  if (path === 'seed' || path === 'seeds') {
    push(
      'seeds are not a configuration to tune: give the run\'s "seeds" (or the protocol\'s tuneSeeds and rerunSeeds); they do not count toward the tuning budget',
    );
    return;
  }
  const parsed = parseSweepPath(path);
  if (!parsed) {
    push(`unknown sweep path ${JSON.stringify(path)}; sweep ${KNOWN_PATHS}`);
    return;
  }
  const { section, key } = parsed;
  if (key === 'type') {
    push(`sweep the options of one ${section} per run; list another run to compare ${section}s`);
    return;
  }
  if (section === 'optimizer' || section === 'schedule') {
    const config = section === 'optimizer' ? run.optimizer : run.schedule;
    if (!config) {
      push('the run has no schedule to sweep; give it a "schedule"');
      return;
    }
    const entry = entryOf(
      section === 'optimizer' ? catalog.optimizers : catalog.schedules,
      config.type,
    );
    if (!entry) return; // the unknown name is reported at its own path
    if (!entry.options.some((o) => o.name === key)) {
      push(
        `unknown option ${JSON.stringify(key)} for ${section} ${config.type}; known: ${entry.options.map((o) => o.name).join(', ')}`,
      );
      return;
    }
  } else if (section === 'training') {
    if (key !== 'batchSize') {
      push(`only training.batchSize can be swept, not training.${key}`);
      return;
    }
    if (spec.task.kind === 'function') {
      push('a function task has no data to batch: it cannot sweep training.batchSize');
      return;
    }
  } else {
    if (key !== 'init') {
      push(`only model.init can be swept, not model.${key}`);
      return;
    }
    if (spec.task.kind === 'function') {
      push('a function task has no model: it cannot sweep model.init');
      return;
    }
  }
  checkForm(form, at, issues);
}

function checkForm(form: SweepValues, at: readonly PathSegment[], issues: SpecIssue[]): void {
  const push = (message: string, where: readonly PathSegment[] = at) =>
    issues.push({ path: formatPath(where), message });
  if (Array.isArray(form)) {
    if (form.length === 0) push('an empty grid: give at least one value');
    const seen = new Map<string, number>();
    form.forEach((v, i) => {
      const key = JSON.stringify(v);
      const first = seen.get(key);
      if (first !== undefined) push(`repeats the value at [${first}]`, [...at, i]);
      else seen.set(key, i);
    });
    return;
  }
  if ('logspace' in form || 'linspace' in form) {
    const log = 'logspace' in form;
    const name = log ? 'logspace' : 'linspace';
    const [lo, hi, n] = log ? form.logspace : form.linspace;
    if (log && (lo <= 0 || hi <= 0)) {
      push(`a log grid needs lo > 0 and hi > 0, got [${lo}, ${hi}, ${n}]`, [...at, name]);
    } else if (n > 1 && lo === hi) {
      push(`lo = hi = ${lo} with ${n} points: every point would be the same`, [...at, name]);
    }
    return;
  }
  const f = form.random;
  const [dist, [lo, hi]] =
    'loguniform' in f ? ['loguniform', f.loguniform] : ['uniform', f.uniform];
  if (dist === 'loguniform' && (lo <= 0 || hi <= 0)) {
    push(`log-uniform needs lo > 0 and hi > 0, got [${lo}, ${hi}]`, [...at, 'random', dist]);
  } else if (!(lo < hi)) {
    push(`needs lo < hi, got [${lo}, ${hi}]`, [...at, 'random', dist]);
  }
}

/** The random dimensions of one sweep are drawn together: one `trials`, one `seed`. */
function checkRandomAgreement(
  sweep: Readonly<Record<string, SweepValues>>,
  at: readonly PathSegment[],
  issues: SpecIssue[],
): void {
  const random = Object.entries(sweep).filter(([, f]) => isRandom(f)) as [
    string,
    Extract<SweepValues, { random: unknown }>,
  ][];
  if (random.length < 2) return;
  const [firstPath, first] = random[0];
  for (const [path, f] of random.slice(1)) {
    for (const key of ['trials', 'seed'] as const) {
      if (f[key] !== first[key]) {
        issues.push({
          path: formatPath([...at, path, key]),
          message: `the random dimensions of a sweep are drawn together: ${key} must equal ${JSON.stringify(firstPath)}'s (${first[key]})`,
        });
      }
    }
  }
}

/**
 * Every configuration as a run: its optimizer, schedule and model options through the
 * libraries' checks (rules across options included), its batch size. The first few problems
 * are reported, at the swept path they involve, naming the configuration.
 */
function checkConfigurations(
  spec: ExperimentSpec,
  run: RunSpec,
  raw: unknown,
  sweepAt: readonly PathSegment[],
  catalog: Catalog,
  issues: SpecIssue[],
): void {
  const group = expandSweeps({ ...spec, runs: [run] }).groups[0];
  const MAX_REPORTED = 5;
  let reported = 0;
  const seen = new Set<string>();
  for (const c of group.configurations) {
    const values = c.values;
    const problems: { path: string; message: string }[] = [];
    for (const section of ['optimizer', 'schedule'] as const) {
      const config = c.run[section];
      if (!config) continue;
      const options = {
        ...optionsOf(rawAt(raw, [section])),
        ...sectionValues(values, section),
      };
      for (const p of catalog.checkOptions(section, config.type, options)) {
        problems.push({ path: `${section}.${String(p.path[0] ?? '')}`, message: p.message });
      }
    }
    if (spec.task.kind !== 'function' && values['model.init'] !== undefined) {
      const model = spec.task.model;
      const options = { ...optionsOf(model), init: values['model.init'] };
      for (const p of catalog.checkOptions('model', model.type, options)) {
        problems.push({ path: `model.${String(p.path[0] ?? '')}`, message: p.message });
      }
    }
    const batch = values['training.batchSize'];
    if (
      batch !== undefined &&
      batch !== 'full' &&
      !(Number.isInteger(batch) && (batch as number) >= 1 && (batch as number) <= LIMITS.batchSize)
    ) {
      problems.push({
        path: 'training.batchSize',
        message: `must be an integer from 1 to ${LIMITS.batchSize} or "full", got ${JSON.stringify(batch)}`,
      });
    }
    for (const p of problems) {
      const swept = Object.hasOwn(values, p.path);
      const where = swept ? [...sweepAt, p.path] : [...sweepAt.slice(0, -1), ...p.path.split('.')];
      const key = `${formatPath(where)}|${p.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (reported++ < MAX_REPORTED) {
        issues.push({ path: formatPath(where), message: `${c.name}: ${p.message}` });
      }
    }
  }
  if (reported > MAX_REPORTED) {
    issues.push({
      path: formatPath(sweepAt),
      message: `${reported - MAX_REPORTED} more problem${reported - MAX_REPORTED === 1 ? '' : 's'} in other configurations`,
    });
  }
}

function sectionValues(
  values: Readonly<Record<string, unknown>>,
  section: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, v] of Object.entries(values)) {
    if (path.startsWith(`${section}.`)) out[path.slice(section.length + 1)] = v;
  }
  return out;
}

/** Seeds of the rerun phase: a count means the seeds after the largest tune seed. */
export function rerunSeedsOf(protocol: ProtocolSpec): number[] {
  const r = protocol.rerunSeeds;
  if (Array.isArray(r)) return [...r];
  const start = Math.max(...protocol.tuneSeeds) + 1;
  return Array.from({ length: r }, (_, i) => start + i);
}

/** Trainings the spec asks for once expanded (both phases of a protocol). */
export function trainingsOf(spec: ExperimentSpec): number {
  const sizes = spec.runs.map((r) => sweepSize(r.sweep));
  const configs = sizes.reduce((a, b) => a + b, 0);
  if (spec.protocol) {
    const reruns = rerunSeedsOf(spec.protocol).length;
    return configs * spec.protocol.tuneSeeds.length + spec.runs.length * reruns;
  }
  return spec.runs.reduce((sum, r, i) => sum + sizes[i] * (r.seeds?.length ?? 1), 0);
}

/** The protocol's checks, and the limit on the whole expansion. */
export function checkProtocolAndSize(
  spec: ExperimentSpec,
  base: readonly PathSegment[],
  issues: SpecIssue[],
): void {
  const protocol = spec.protocol;
  const at = [...base, 'protocol'];
  if (protocol) {
    spec.runs.forEach((r, i) => {
      for (const key of ['seed', 'seeds'] as const) {
        if (r[key] !== undefined) {
          issues.push({
            path: formatPath([...base, 'runs', i, key]),
            message:
              'the protocol sets the seeds (protocol.tuneSeeds, protocol.rerunSeeds); leave it out',
          });
        }
      }
    });
    const tune = new Set(protocol.tuneSeeds);
    if (tune.size !== protocol.tuneSeeds.length) {
      issues.push({ path: formatPath([...at, 'tuneSeeds']), message: 'a seed is listed twice' });
    }
    const rerun = rerunSeedsOf(protocol);
    const overlap = rerun.filter((s) => tune.has(s));
    if (Array.isArray(protocol.rerunSeeds) && new Set(rerun).size !== rerun.length) {
      issues.push({ path: formatPath([...at, 'rerunSeeds']), message: 'a seed is listed twice' });
    }
    if (overlap.length > 0) {
      issues.push({
        path: formatPath([...at, 'rerunSeeds']),
        message: `seed ${overlap[0]} is also a tune seed: a configuration chosen on a seed looks better on it than it is (selection bias); rerun on other seeds`,
      });
    } else if (rerun.some((s) => s > 2 ** 31 - 1)) {
      issues.push({
        path: formatPath([...at, 'rerunSeeds']),
        message: 'the rerun seeds would pass 2^31 − 1; list them instead',
      });
    }
    const metric = protocol.select.metric;
    const task = spec.task;
    if (metric?.startsWith('validation-')) {
      if (task.kind === 'function') {
        issues.push({
          path: formatPath([...at, 'select', 'metric']),
          message: 'a function task has no validation data: select on "final-loss"',
        });
      } else if (!heldOutSets(task).validation) {
        issues.push({
          path: formatPath([...at, 'select', 'metric']),
          message: `${metric} needs a validation split: set task.validationFraction (e.g. 0.2)`,
        });
      } else if (metric === 'validation-accuracy' && task.kind !== 'classification') {
        issues.push({
          path: formatPath([...at, 'select', 'metric']),
          message: 'a regression task has no accuracy: select on "validation-loss"',
        });
      }
    }
    const report = protocol.report;
    if (report?.startsWith('test-')) {
      if (!heldOutSets(task).test) {
        issues.push({
          path: formatPath([...at, 'report']),
          message: `${report} needs a test split: set task.testFraction (e.g. 0.2)`,
        });
      } else if (report === 'test-accuracy' && task.kind !== 'classification') {
        issues.push({
          path: formatPath([...at, 'report']),
          message: 'a regression task has no accuracy: report "test-loss"',
        });
      }
    }
  }
  // A sweep already refused (its own size included) is not counted again in the total.
  if (issues.some((i) => /\.sweep\b/.test(i.path))) return;
  const total = trainingsOf(spec);
  if (total > LIMITS.expandedRuns) {
    issues.push({
      path: formatPath([...base, 'runs']),
      message: `the sweeps expand into ${total} trainings (configurations × seeds${protocol ? ', plus the reruns' : ''}); the limit is ${LIMITS.expandedRuns}`,
    });
  }
}
