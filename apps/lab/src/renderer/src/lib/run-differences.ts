/**
 * A fair comparison changes only what is compared: the optimizer and its schedule (and the run's
 * name). Everything else a run sets (backend, GPU mode, seed, …) should be the same for all, or
 * the runs differ in more than the optimizer and the badge (RunDifferences.svelte) says so.
 * "+ Add run" copies the experiment's settings (`sharedSettings`) so a new run starts fair.
 */
import type { RunDraft } from './draft.js';

/** What a comparison compares: these may differ between runs. */
const COMPARED = new Set(['id', 'name', 'optimizer', 'schedule']);

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
  for (const run of runs) for (const key of Object.keys(run)) if (!COMPARED.has(key)) keys.add(key);
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
