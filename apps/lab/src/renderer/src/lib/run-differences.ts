/**
 * A fair comparison changes only what is compared: the optimizer and its schedule (and the run's
 * name). Everything else a run sets (backend, GPU mode, seed, …) should be the same for all, or
 * the runs differ in more than the optimizer and the badge (RunDifferences.svelte) says so.
 * "+ Add run" copies the experiment's settings (`sharedSettings`) so a new run starts fair.
 */
import type { RunDraft } from './draft.js';

/** What a comparison compares: these may differ between runs. */
const COMPARED = new Set(['id', 'name', 'optimizer', 'schedule']);

/**
 * Settings that only watch training: `diagnostics` (per-parameter norms and the sharpness) runs
 * with the weights and gradients restored bit for bit and draws from no training random stream,
 * and the runner's tests show runs with and without it give identical losses (decision 0029).
 * Turning it on for one run to look inside it leaves the comparison like for like, so it is not a
 * difference for the badge, and the side-by-side table shows it differ without calling it unfair.
 */
const WATCHING = new Set(['diagnostics']);

export interface RunDifference {
  /** The run setting that differs: `backend`, `seed`, … */
  readonly key: string;
  /** Each value (as shown: `cpu64`, `0`, `none`) with the runs that have it, most runs first. */
  readonly values: readonly { readonly value: string; readonly runs: readonly string[] }[];
}

function shown(value: unknown): string {
  return value === undefined ? 'none' : typeof value === 'string' ? value : JSON.stringify(value);
}

/** The settings, other than what is compared, on which the runs disagree. */
export function runDifferences(runs: readonly RunDraft[]): RunDifference[] {
  const keys = new Set<string>();
  for (const run of runs)
    for (const key of Object.keys(run)) if (!COMPARED.has(key) && !WATCHING.has(key)) keys.add(key);
  const differences: RunDifference[] = [];
  for (const key of keys) {
    const groups = new Map<string, string[]>();
    for (const run of runs) {
      const value = shown((run as unknown as Record<string, unknown>)[key]);
      groups.set(value, [...(groups.get(value) ?? []), run.name]);
    }
    if (groups.size < 2) continue;
    const values = [...groups].map(([value, names]) => ({ value, runs: names }));
    // Stable sort: most runs first, first seen first among equals.
    values.sort((a, b) => b.runs.length - a.runs.length);
    differences.push({ key, values });
  }
  return differences;
}

/** "backend", "backend and seed", "backend, GPU mode and seed". */
export function differenceSummary(differences: readonly RunDifference[]): string {
  const names = differences.map((d) => (d.key === 'gpuMode' ? 'GPU mode' : d.key));
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** One line per difference: `backend: cpu64 (SGD, Momentum, Adam); cpu (Adam 2)`. */
export function differenceDetails(differences: readonly RunDifference[]): string {
  return differences
    .map((d) => `${d.key}: ${d.values.map((v) => `${v.value} (${v.runs.join(', ')})`).join('; ')}`)
    .join('\n');
}

/**
 * The experiment's settings for a new run: for each setting other than what is compared, the
 * value most runs have (the first run's among equals); absent when most runs leave it unset.
 */
export function sharedSettings(
  runs: readonly RunDraft[],
): Pick<RunDraft, 'backend' | 'gpuMode' | 'seed'> {
  const mostCommon = <K extends 'backend' | 'gpuMode' | 'seed'>(
    key: K,
  ): RunDraft[K] | undefined => {
    const counts = new Map<RunDraft[K] | undefined, number>();
    for (const run of runs) counts.set(run[key], (counts.get(run[key]) ?? 0) + 1);
    let best: RunDraft[K] | undefined;
    let count = 0;
    for (const [value, n] of counts) if (n > count) [best, count] = [value, n];
    return best;
  };
  const settings: Pick<RunDraft, 'backend' | 'gpuMode' | 'seed'> = {
    backend: mostCommon('backend') ?? 'cpu',
  };
  const gpuMode = mostCommon('gpuMode');
  if (settings.backend === 'gpu' && gpuMode !== undefined) settings.gpuMode = gpuMode;
  const seed = mostCommon('seed');
  if (seed !== undefined) settings.seed = seed;
  return settings;
}

/** One row of the side-by-side view of runs' settings: a setting and each run's value. */
export interface SettingRow {
  /** Dotted path in the run's spec: `optimizer.lr`, `schedule.type`, `seed`. */
  readonly key: string;
  /** One per run, in the order asked for (`none` where the run does not set it). */
  readonly values: readonly string[];
  /** The runs disagree on it. */
  readonly differs: boolean;
  /** It is what a comparison compares (optimizer, schedule): differing is expected there. */
  readonly compared: boolean;
  /** It differs, and is neither what is compared nor only watching training (`diagnostics`). */
  readonly unfair: boolean;
}

/** A run's settings as dotted paths to leaf values (arrays are one value, as they are shown). */
function flatten(value: unknown, prefix: string, into: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value))
      flatten(inner, prefix ? `${prefix}.${key}` : key, into);
  } else into.set(prefix, value);
}

/**
 * The runs' settings side by side: every setting any of them has (what is compared first; a
 * `type` first within its object; otherwise as first seen), each run's value, whether they differ.
 */
export function settingsTable(runs: readonly RunDraft[]): SettingRow[] {
  const flat = runs.map((run) => {
    const { id: _id, name: _name, ...settings } = run;
    const into = new Map<string, unknown>();
    flatten(settings, '', into);
    return into;
  });
  const keys: string[] = [];
  for (const map of flat) for (const key of map.keys()) if (!keys.includes(key)) keys.push(key);
  const group = (key: string) => key.split('.')[0];
  // What is compared (optimizer, schedule) first, then the rest as first seen.
  const seen = [...new Set(keys.map(group))];
  const groups = [...seen.filter((g) => COMPARED.has(g)), ...seen.filter((g) => !COMPARED.has(g))];
  keys.sort((a, b) => {
    const byGroup = groups.indexOf(group(a)) - groups.indexOf(group(b));
    if (byGroup !== 0) return byGroup;
    const typeFirst = Number(b.endsWith('.type')) - Number(a.endsWith('.type'));
    return typeFirst || keys.indexOf(a) - keys.indexOf(b);
  });
  return keys.map((key) => {
    const values = flat.map((map) => shown(map.get(key)));
    const differs = new Set(values).size > 1;
    const compared = COMPARED.has(group(key));
    return {
      key,
      values,
      differs,
      compared,
      unfair: differs && !compared && !WATCHING.has(group(key)),
    };
  });
}
