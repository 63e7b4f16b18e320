/**
 * The sweep editor of a run card (Build): a run's `sweep` as form rows and back, the options a
 * sweep may name, and the expansion the experiment library makes of it — the same
 * `validateSpec` and `expandSweeps` the CLI's `--dry-run` lists — so the names and the count are
 * seen before anything runs.
 */
import {
  expandSweeps,
  formatIssue,
  trainingsOf,
  validateSpec,
  type Catalog,
} from '@optlab/experiment';
import { isRecord, toSpec, type ExperimentDraft } from './draft.js';

export type SweepKind = 'list' | 'logspace' | 'linspace' | 'loguniform' | 'uniform';

export const SWEEP_KINDS: readonly { kind: SweepKind; label: string }[] = [
  { kind: 'logspace', label: 'log grid' },
  { kind: 'linspace', label: 'linear grid' },
  { kind: 'list', label: 'list of values' },
  { kind: 'loguniform', label: 'random, log-uniform' },
  { kind: 'uniform', label: 'random, uniform' },
];

/** One swept option as the form shows it. Numbers are kept as typed until they are written. */
export interface SweepRow {
  path: string;
  kind: SweepKind;
  /** A list's values, comma-separated. */
  values: string;
  lo: number;
  hi: number;
  /** Grid points. */
  n: number;
  /** Random search: draws and the seed of the draws (shared by a sweep's random rows). */
  trials: number;
  seed: number;
}

/** The numeric options of the run's optimizer and schedule, and the batch size (data tasks). */
export function sweepablePaths(
  catalog: Catalog,
  run: { optimizer: { type: string }; schedule?: { type: string } },
  taskKind: string,
): string[] {
  const numeric = (section: string, entry: Catalog['optimizers'][string] | undefined) =>
    (entry?.options ?? [])
      .filter((o) => o.kind === 'number' || o.kind === 'integer')
      .map((o) => `${section}.${o.name}`);
  return [
    ...numeric('optimizer', catalog.optimizers[run.optimizer.type]),
    ...numeric('schedule', run.schedule ? catalog.schedules[run.schedule.type] : undefined),
    ...(taskKind === 'function' ? [] : ['training.batchSize']),
  ];
}

/** A new row for `path`: a log grid around the run's own value (a decade each side), 5 points. */
export function newRow(path: string, current: unknown): SweepRow {
  const v = typeof current === 'number' && current > 0 ? current : 0.01;
  const integer = path === 'training.batchSize';
  return integer
    ? { path, kind: 'list', values: '16, 32, 64', lo: 16, hi: 64, n: 3, trials: 8, seed: 0 }
    : {
        path,
        kind: 'logspace',
        values: String(v),
        lo: v / 10,
        hi: v * 10,
        n: 5,
        trials: 8,
        seed: 0,
      };
}

/** The spec's form of a row (`{ logspace: [lo, hi, n] }`, a list, `{ random, trials, seed }`). */
export function toSweepValues(row: SweepRow): unknown {
  switch (row.kind) {
    case 'list':
      return row.values
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .map((s) => (Number.isFinite(Number(s)) ? Number(s) : s));
    case 'logspace':
      return { logspace: [row.lo, row.hi, row.n] };
    case 'linspace':
      return { linspace: [row.lo, row.hi, row.n] };
    case 'loguniform':
    case 'uniform':
      return { random: { [row.kind]: [row.lo, row.hi] }, trials: row.trials, seed: row.seed };
  }
}

/** A run's `sweep` as rows; forms the editor cannot show (none today) come back as lists. */
export function rowsOf(sweep: unknown): SweepRow[] {
  if (!isRecord(sweep)) return [];
  return Object.entries(sweep).map(([path, form]): SweepRow => {
    const base = newRow(path, undefined);
    if (Array.isArray(form)) return { ...base, kind: 'list', values: form.join(', ') };
    if (isRecord(form)) {
      const grid = (form['logspace'] ?? form['linspace']) as number[] | undefined;
      if (grid) {
        const [lo, hi, n] = grid;
        return { ...base, kind: 'logspace' in form ? 'logspace' : 'linspace', lo, hi, n };
      }
      const random = form['random'];
      if (isRecord(random)) {
        const kind: SweepKind = 'loguniform' in random ? 'loguniform' : 'uniform';
        const [lo, hi] = random[kind] as number[];
        return {
          ...base,
          kind,
          lo,
          hi,
          trials: Number(form['trials']),
          seed: Number(form['seed'] ?? 0),
        };
      }
    }
    return { ...base, kind: 'list', values: JSON.stringify(form) };
  });
}

/** The `sweep` object of rows; undefined when there are none (the run sweeps nothing). */
export function sweepOf(rows: readonly SweepRow[]): Record<string, unknown> | undefined {
  if (rows.length === 0) return undefined;
  return Object.fromEntries(rows.map((r) => [r.path, toSweepValues(r)]));
}

export type ExpansionPreview =
  | {
      ok: true;
      /** Configurations: the run's tuning budget. */
      budget: number;
      names: string[];
      /** Trainings of this run over both protocol phases. */
      trainings: number;
    }
  | { ok: false; problems: string[] };

/**
 * What the run's sweep expands into, checked as the runner checks it: the experiment with this
 * run alone through `validateSpec`, then `expandSweeps`. Problems come with their JSON paths
 * (`runs[0].sweep…` is the run's own, whatever its place in the experiment).
 */
export function expansionPreview(
  catalog: Catalog,
  draft: ExperimentDraft,
  runIndex: number,
): ExpansionPreview {
  const spec = toSpec(draft);
  const runs = spec['runs'] as unknown[];
  const alone = { ...spec, runs: [runs[runIndex]] };
  const checked = validateSpec(alone, catalog);
  if (!checked.ok) return { ok: false, problems: checked.issues.map((i) => formatIssue(i)) };
  const group = expandSweeps(checked.value).groups[0];
  return {
    ok: true,
    budget: group.budget,
    names: group.configurations.map((c) => c.name),
    trainings: trainingsOf(checked.value),
  };
}
