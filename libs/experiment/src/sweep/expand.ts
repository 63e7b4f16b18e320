import type { ExperimentSpec, RunSpec, SweepSpec, SweepValues } from '../spec/schema.js';
import { gridValues, randomDraws, type RandomDimension } from './grid.js';
import { formatDimension, pathLabels } from './names.js';

/**
 * Sweeps expand into configurations. A run without `sweep` is one configuration named as the
 * run; a run with one is as many configurations as its grid has points, named
 * `Adam[lr=3.16e-3]` (see names.ts). The configurations of one spec run form its **group**;
 * their number is the group's **tuning budget**.
 *
 * Paths (dotted, into the run): `optimizer.<option>`, `schedule.<option>`, `training.batchSize`,
 * `model.init`. Grids combine as a Cartesian product, the first path outermost; the random
 * dimensions of a sweep are drawn together (`trials` points, one stream) and enter the product
 * as one dimension, at the place of the first of them.
 */

/** The paths a sweep may name, as error messages list them. */
export const SWEEP_PATHS = [
  'optimizer.<option>',
  'schedule.<option>',
  'training.batchSize',
  'model.init',
];

/** One trained configuration: a run of the spec with its swept values set. */
export interface Configuration {
  /** `Adam[lr=3.16e-3]`, or the run's own name when it has no sweep. */
  readonly name: string;
  /** The spec run it comes from (its name). */
  readonly group: string;
  /** Index of that run in the spec. */
  readonly groupIndex: number;
  /** The swept values, by path; empty without a sweep. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The run as it trains: the swept values in place, no `sweep`. */
  readonly run: RunSpec;
}

/** The configurations of one spec run. */
export interface ConfigurationGroup {
  readonly name: string;
  readonly optimizer: string;
  /** Configurations tried: the tuning budget. */
  readonly budget: number;
  /** The swept paths, in the sweep's order. */
  readonly paths: readonly string[];
  readonly configurations: readonly Configuration[];
}

export interface Expansion {
  readonly groups: readonly ConfigurationGroup[];
  /** Every configuration, group by group. */
  readonly configurations: readonly Configuration[];
}

/** Splits `optimizer.lr` into its section and key; null for a path of another shape. */
export function parseSweepPath(
  path: string,
): { section: 'optimizer' | 'schedule' | 'training' | 'model'; key: string } | null {
  const m = /^(optimizer|schedule|training|model)\.([A-Za-z_$][\w$]*)$/.exec(path);
  return m ? { section: m[1] as 'optimizer' | 'schedule' | 'training' | 'model', key: m[2] } : null;
}

interface Dimension {
  readonly paths: readonly string[];
  /** Each point gives one value per path. */
  readonly points: readonly (readonly unknown[])[];
}

/** The dimensions of a sweep: one per grid path, one for all its random paths together. */
export function sweepDimensions(sweep: SweepSpec): Dimension[] {
  const dims: Dimension[] = [];
  const random = Object.entries(sweep).filter(([, f]) => isRandom(f));
  let randomPlaced = false;
  for (const [path, form] of Object.entries(sweep)) {
    if (!isRandom(form)) {
      dims.push({ paths: [path], points: gridValues(form).map((v) => [v]) });
    } else if (!randomPlaced) {
      randomPlaced = true;
      const sorted = random.map(([p]) => p).sort();
      const first = random[0][1] as Extract<SweepValues, { random: unknown }>;
      const dimensions: RandomDimension[] = sorted.map((p) => {
        const f = (sweep[p] as Extract<SweepValues, { random: unknown }>).random;
        return 'loguniform' in f
          ? { path: p, distribution: 'loguniform', range: f.loguniform }
          : { path: p, distribution: 'uniform', range: f.uniform };
      });
      dims.push({ paths: sorted, points: randomDraws(dimensions, first.trials, first.seed) });
    }
  }
  return dims;
}

export function isRandom(form: SweepValues): form is Extract<SweepValues, { random: unknown }> {
  return !Array.isArray(form) && 'random' in form;
}

/** How many configurations a sweep gives, without building them. */
export function sweepSize(sweep: SweepSpec | undefined): number {
  if (!sweep) return 1;
  let size = 1;
  let randomCounted = false;
  for (const form of Object.values(sweep)) {
    if (Array.isArray(form)) size *= form.length;
    else if ('logspace' in form) size *= form.logspace[2];
    else if ('linspace' in form) size *= form.linspace[2];
    else if (!randomCounted) {
      randomCounted = true;
      size *= form.trials;
    }
  }
  return size;
}

/** Expands every run's sweep (a validated spec: see validate-sweep.ts). Pure and deterministic. */
export function expandSweeps(spec: ExperimentSpec): Expansion {
  const groups = spec.runs.map((run, groupIndex) => expandRun(run, groupIndex));
  return { groups, configurations: groups.flatMap((g) => g.configurations) };
}

function expandRun(run: RunSpec, groupIndex: number): ConfigurationGroup {
  const { sweep, ...base } = run;
  if (!sweep || Object.keys(sweep).length === 0) {
    return {
      name: run.name,
      optimizer: run.optimizer.type,
      budget: 1,
      paths: [],
      configurations: [{ name: run.name, group: run.name, groupIndex, values: {}, run: base }],
    };
  }
  const dims = sweepDimensions(sweep);
  const paths = dims.flatMap((d) => d.paths);
  const labels = new Map(paths.map((p, i) => [p, pathLabels(paths)[i]]));
  // Printed values per path, decided over the whole dimension so they stay unique.
  const shown = new Map<string, string[]>();
  for (const d of dims) {
    d.paths.forEach((p, k) => shown.set(p, formatDimension(d.points.map((pt) => pt[k]))));
  }
  const configurations: Configuration[] = [];
  const choose = (depth: number, picked: { dim: Dimension; index: number }[]) => {
    if (depth === dims.length) {
      const values: Record<string, unknown> = {};
      const parts: string[] = [];
      // Name parts in the sweep's own path order.
      const byPath = new Map<string, { value: unknown; text: string }>();
      for (const { dim, index } of picked) {
        dim.paths.forEach((p, k) =>
          byPath.set(p, { value: dim.points[index][k], text: shown.get(p)![index] }),
        );
      }
      for (const p of Object.keys(sweep)) {
        const { value, text } = byPath.get(p)!;
        values[p] = value;
        parts.push(`${labels.get(p)}=${text}`);
      }
      const name = `${run.name}[${parts.join(', ')}]`;
      configurations.push({
        name,
        group: run.name,
        groupIndex,
        values,
        run: applyValues({ ...base, name }, values),
      });
      return;
    }
    const dim = dims[depth];
    for (let index = 0; index < dim.points.length; index++) {
      choose(depth + 1, [...picked, { dim, index }]);
    }
  };
  choose(0, []);
  return {
    name: run.name,
    optimizer: run.optimizer.type,
    budget: configurations.length,
    paths: Object.keys(sweep),
    configurations,
  };
}

/** The run with each `path: value` set (a new object; the run is not changed). */
export function applyValues(run: RunSpec, values: Readonly<Record<string, unknown>>): RunSpec {
  let out: RunSpec = { ...run };
  for (const [path, value] of Object.entries(values)) {
    const parsed = parseSweepPath(path);
    if (!parsed) throw new Error(`applyValues: not a sweep path: ${path}`);
    const { section, key } = parsed;
    const current = (out[section] ?? {}) as Record<string, unknown>;
    out = { ...out, [section]: { ...current, [key]: value } } as RunSpec;
  }
  return out;
}

/** The spec with its runs replaced by these configurations' runs (the spec a phase trains). */
export function specOfConfigurations(
  spec: ExperimentSpec,
  configurations: readonly Configuration[],
  seeds: (c: Configuration) => readonly number[] | undefined,
): ExperimentSpec {
  return {
    ...spec,
    runs: configurations.map((c) => {
      const s = seeds(c);
      if (s === undefined) return c.run;
      const { seed: _seed, seeds: _seeds, ...run } = c.run;
      return { ...run, seeds: [...s] };
    }),
  };
}
