import type { ExperimentSpec, RunSpec } from '../spec/schema.js';

/**
 * One unit of work: one seed of one run. An experiment is its units in a fixed order — the
 * runs in spec order, each run's seeds in its order — and that order is the one every consumer
 * relies on: the sequential runner trains them in it, the worker pool writes their events back
 * in it, shards take every N-th unit of it and `optlab merge` puts them back in it.
 */
export interface RunUnit {
  /** Position in the experiment's unit order. */
  readonly index: number;
  /** Index of the run in the spec. */
  readonly runIndex: number;
  /** The run's name in the spec. */
  readonly run: string;
  readonly seed: number;
}

/** The seeds of a run: `seeds`, or `[seed]`, or `[0]`. */
export function seedsOf(run: RunSpec): number[] {
  return run.seeds ?? [run.seed ?? 0];
}

/** Every (run, seed) of a spec, in the experiment's order. */
export function unitsOf(spec: ExperimentSpec): RunUnit[] {
  const units: RunUnit[] = [];
  spec.runs.forEach((run, runIndex) => {
    for (const seed of seedsOf(run)) {
      units.push({ index: units.length, runIndex, run: run.name, seed });
    }
  });
  return units;
}
