/**
 * Seed aggregation for the compare charts: runs that are the same configuration on different
 * seeds (the same spec run but for its name and seed — a run duplicated and given another seed),
 * and a run card that lists several seeds (`"seeds": [0, 1, 2]`, one line per seed), form a group, drawn as its median curve with an interquartile band over the seeds at each x,
 * instead of one line per seed; or, with the toggle, every seed as a thin line. Runs that are
 * alone stay as they are. Medians and quartiles are @optlab/experiment's (`quantileSorted`,
 * linear interpolation, NumPy's default), the ones the statistics use.
 */
import { quantileSorted } from '@optlab/experiment';
import { alignSeries, type LineInput } from './chart-data.js';
import type { RunDraft } from './draft.js';
import type { RunResult, Series } from './series.js';

export interface SeedGroup {
  /** The runs' names, in the experiment's order (the first names the group). */
  readonly members: readonly string[];
  readonly label: string;
}

/** What makes two runs the same configuration: everything but the lab id, the name and the seed. */
function configurationKey(run: RunDraft): string {
  const { id: _id, name: _name, seed: _seed, ...rest } = run;
  return JSON.stringify(sortedKeys(rest));
}

/** The value with every object's keys in order, so that key order does not split a group. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, sortedKeys(v)]),
  );
}

/**
 * Groups of two or more runs that differ only in name and seed, each on its own seed. Copies on
 * one seed are the same training twice, not a spread over seeds: they stay separate lines.
 */
export function seedGroups(runs: readonly RunDraft[]): SeedGroup[] {
  const byKey = new Map<string, RunDraft[]>();
  for (const run of runs) {
    const key = configurationKey(run);
    byKey.set(key, [...(byKey.get(key) ?? []), run]);
  }
  return [...byKey.values()]
    .filter(
      (members) =>
        members.length > 1 && new Set(members.map((r) => r.seed ?? 0)).size === members.length,
    )
    .map((members) => ({
      members: members.map((r) => r.name),
      label: `${members[0].name} (median of ${members.length} seeds)`,
    }));
}

/** The chart line of one seed of a run card that lists several (`seeds`). */
export function seedLineLabel(run: string, seed: number): string {
  return `${run} · seed ${seed}`;
}

/** The seeds of a run card that lists two or more distinct ones; null otherwise. */
export function listedSeeds(run: RunDraft): number[] | null {
  const seeds = run.seeds;
  if (!Array.isArray(seeds) || new Set(seeds).size < 2) return null;
  return [...seeds];
}

/** Each run card listing several seeds is one group: the lines of its seeds. */
export function seedListGroups(runs: readonly RunDraft[]): SeedGroup[] {
  return runs.flatMap((run) => {
    const seeds = listedSeeds(run);
    if (!seeds) return [];
    return [
      {
        members: seeds.map((seed) => seedLineLabel(run.name, seed)),
        label: `${run.name} (median of ${seeds.length} seeds)`,
      },
    ];
  });
}

/**
 * The seeds' columns of one run's result, labelled for the charts: a run card listing several
 * seeds gives one entry per seed that has points (the charted first seed from `series`, the
 * others from `seedSeries`); any other run gives its `series` under its own name.
 */
export function seedColumns(
  run: RunDraft,
  result: RunResult,
): { label: string; series: Series; charted: boolean }[] {
  const seeds = listedSeeds(run);
  if (!seeds) return [{ label: run.name, series: result.series, charted: true }];
  return [
    { label: seedLineLabel(run.name, seeds[0]), series: result.series, charted: true },
    ...(result.seedSeries ?? [])
      .filter((e) => e.series.step.length > 0)
      .map((e) => ({ label: seedLineLabel(run.name, e.seed), series: e.series, charted: false })),
  ];
}

/** A chart line as Compare builds it, with what a group adds: its role and line width. */
export interface GroupableLine extends LineInput {
  readonly label: string;
  readonly color: string;
  /** `band-high`/`band-low`: the group's q3 and q1, filled between; `seed`: a thin member. */
  readonly role?: 'median' | 'band-high' | 'band-low' | 'seed';
  readonly width?: number;
}

/** Median, q1 and q3 over the finite values of one x. */
function quartiles(values: readonly (number | null)[]): [number, number, number] | null {
  const finite = values.filter((v): v is number => v !== null);
  if (finite.length === 0) return null;
  const sorted = Float64Array.from(finite).sort();
  return [0.5, 0.25, 0.75].map((q) => quantileSorted(sorted, q)) as [number, number, number];
}

/**
 * The charts' lines with each group drawn as `view` says: `groups` — its median (in its first
 * run's colour) and its q3/q1 band lines in place of its members; `seeds` — its members, thin.
 * A group with a member not drawn (hidden, or not run yet) is drawn from those that are.
 */
export function aggregateLines<L extends GroupableLine>(
  lines: readonly L[],
  groups: readonly SeedGroup[],
  view: 'groups' | 'seeds',
): GroupableLine[] {
  const groupOf = new Map<string, SeedGroup>();
  for (const g of groups) for (const m of g.members) groupOf.set(m, g);
  const out: GroupableLine[] = [];
  const done = new Set<SeedGroup>();
  for (const line of lines) {
    const group = groupOf.get(line.label);
    if (!group) {
      out.push(line);
      continue;
    }
    if (view === 'seeds') {
      out.push({ ...line, role: 'seed', width: 0.75 });
      continue;
    }
    if (done.has(group)) continue;
    done.add(group);
    const members = lines.filter((l) => groupOf.get(l.label) === group);
    const [x, ...columns] = alignSeries(members);
    const median: number[] = [];
    const q1: number[] = [];
    const q3: number[] = [];
    x.forEach((_, i) => {
      const q = quartiles(columns.map((c) => c[i]));
      median.push(q ? q[0] : Number.NaN);
      q1.push(q ? q[1] : Number.NaN);
      q3.push(q ? q[2] : Number.NaN);
    });
    const color = members[0].color;
    out.push(
      { label: group.label, color, x, y: median, role: 'median', width: 2 },
      { label: `${group.label} q3`, color, x, y: q3, role: 'band-high' },
      { label: `${group.label} q1`, color, x, y: q1, role: 'band-low' },
    );
  }
  return out;
}
