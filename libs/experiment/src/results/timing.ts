/**
 * The fields of events, summaries and results.csv that measure time or depend on scheduling.
 * Everything else a run writes depends on its spec and seed alone, so two runs of one spec —
 * sequential or on a pool, in one folder or merged from shards — agree on everything but these.
 */
export const TIMING_FIELDS = [
  'elapsedMs',
  'wallTimeMs',
  'stepsPerSecond',
  'targetMs',
  'startedAt',
  'concurrentRuns',
] as const;

/** results.csv's timing columns (see `CSV_COLUMNS`). */
export const TIMING_COLUMNS = ['target_ms', 'wall_ms', 'steps_per_s', 'concurrent_runs'] as const;

const timing = new Set<string>(TIMING_FIELDS);

/** A copy of a JSON value without its timing fields, at any depth: for comparing results. */
export function withoutTiming(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTiming);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !timing.has(key))
      .map(([key, v]) => [key, withoutTiming(v)]),
  );
}
