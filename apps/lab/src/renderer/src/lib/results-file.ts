/**
 * The lab's experiment file: the spec (exactly what the CLI runs) and, when there are any, the
 * results of its runs (columns, trajectory, metrics, device), so a past experiment reopens with
 * its charts and table without rerunning. Results are keyed by run name, the spec's identity
 * for a run.
 */
import type { BoundaryTrack } from './boundary.js';
import { storedDiagnostics, type DiagnosticsRecord } from './diagnostics.js';
import { fromSpec, isRecord, toSpec, type ExperimentDraft } from './draft.js';
import { emptySeries, isActive, SERIES_KEYS, type RunResult, type Series } from './series.js';

export const LAB_FILE_FORMAT = 'optlab-lab-experiment';

export interface StoredRun {
  name: string;
  status: RunResult['status'];
  device?: string;
  divergedAt?: number;
  error?: string;
  metrics?: Record<string, unknown>;
  aggregate?: Record<string, unknown>;
  runSpec?: unknown;
  settings?: unknown;
  series: Record<string, (number | null)[]>;
  /** A run listing several seeds: the other seeds' chart columns (`RunResult.seedSeries`). */
  seedSeries?: { seed: number; series: Record<string, (number | null)[]> }[];
  trajectory: [number, number][];
  /** 2-feature classification: the last decision boundary and the training points. */
  boundary?: BoundaryTrack;
  /** Training diagnostics (`runs[].diagnostics`), as the run reported them. */
  diagnostics?: DiagnosticsRecord[];
}

export interface LabFile {
  format: typeof LAB_FILE_FORMAT;
  version: 1;
  savedAt: string;
  spec: Record<string, unknown>;
  results: StoredRun[];
}

/** JSON has no NaN: absent values are stored as null and read back as NaN. */
export function serializeExperiment(
  draft: ExperimentDraft,
  results: Readonly<Record<string, RunResult>>,
): string {
  const stored: StoredRun[] = [];
  for (const run of draft.runs) {
    const result = results[run.id];
    if (!result || result.status === 'idle') continue;
    const series = storedColumns(result.series);
    stored.push({
      name: run.name,
      status: isActive(result.status) ? 'stopped' : result.status,
      device: result.device,
      divergedAt: result.divergedAt,
      error: result.error,
      metrics: result.metrics,
      aggregate: result.aggregate,
      runSpec: result.runSpec,
      settings: result.settings,
      series,
      seedSeries: result.seedSeries?.map((e) => ({
        seed: e.seed,
        series: storedColumns(e.series),
      })),
      trajectory: result.trajectory,
      // The last frame only: a reopened run shows where it ended; replay needs a rerun.
      boundary: result.boundary?.frames.length
        ? { frames: result.boundary.frames.slice(-1), points: result.boundary.points }
        : undefined,
      diagnostics: result.diagnostics,
    });
  }
  const file: LabFile = {
    format: LAB_FILE_FORMAT,
    version: 1,
    savedAt: new Date().toISOString(),
    spec: toSpec(draft),
    results: stored,
  };
  return JSON.stringify(file);
}

/**
 * Reads a lab file, or a bare spec (the CLI's `examples/*.json`), into a draft and the results
 * by run id. Throws with a message saying what is wrong.
 */
export function parseExperiment(text: string): {
  draft: ExperimentDraft;
  results: Record<string, RunResult>;
} {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(value)) throw new Error('the file must hold a JSON object');
  if (value['format'] !== LAB_FILE_FORMAT) return { draft: fromSpec(value), results: {} };
  if (value['version'] !== 1)
    throw new Error(`unsupported lab file version ${JSON.stringify(value['version'])}`);
  const draft = fromSpec(value['spec']);
  const results: Record<string, RunResult> = {};
  const stored = Array.isArray(value['results']) ? (value['results'] as StoredRun[]) : [];
  for (const run of stored) {
    const target = draft.runs.find((r) => r.name === run.name);
    if (!target) continue;
    const series = readColumns(run.series);
    const length = series.step.length;
    results[target.id] = {
      status: run.status,
      progress: run.status === 'done' ? 1 : 0,
      series,
      trajectory: Array.isArray(run.trajectory) ? run.trajectory : [],
      divergedAt: run.divergedAt,
      error: run.error,
      device: run.device,
      metrics: run.metrics,
      aggregate: run.aggregate,
      runSpec: run.runSpec,
      settings: run.settings,
      boundary: storedBoundary(run.boundary),
      diagnostics: storedDiagnostics(run.diagnostics),
    };
    const seedSeries = storedSeedSeries(run.seedSeries);
    if (seedSeries) results[target.id].seedSeries = seedSeries;
    if (length === 0) results[target.id].progress = 0;
  }
  return { draft, results };
}

/** Chart columns as stored: JSON has no NaN, so absent values are null. */
function storedColumns(series: Series): Record<string, (number | null)[]> {
  const out: Record<string, (number | null)[]> = {};
  for (const key of SERIES_KEYS) out[key] = series[key].map((v) => (Number.isFinite(v) ? v : null));
  return out;
}

/** Stored chart columns read back (null and anything not a number as NaN; a missing column empty). */
function readColumns(stored: unknown): Series {
  const series = emptySeries();
  if (!isRecord(stored)) return series;
  for (const key of SERIES_KEYS) {
    const column = stored[key];
    if (Array.isArray(column)) series[key] = column.map((v) => (typeof v === 'number' ? v : NaN));
  }
  return series;
}

/** The other seeds' stored columns, where the file has them in the shape they are saved in. */
function storedSeedSeries(value: unknown): RunResult['seedSeries'] {
  if (!Array.isArray(value)) return undefined;
  const entries = value
    .filter(
      (e): e is { seed: number; series: unknown } => isRecord(e) && typeof e['seed'] === 'number',
    )
    .map((e) => ({ seed: e.seed, series: readColumns(e.series) }));
  return entries.length > 0 ? entries : undefined;
}

/** A stored boundary, if it has the shape one has (probabilities stored as null read back as NaN). */
function storedBoundary(value: unknown): BoundaryTrack | undefined {
  if (!isRecord(value) || !Array.isArray(value['frames'])) return undefined;
  const frames = value['frames'].filter(
    (f): f is BoundaryTrack['frames'][number] =>
      isRecord(f) &&
      typeof f['step'] === 'number' &&
      isRecord(f['grid']) &&
      Array.isArray(f['predicted']) &&
      Array.isArray(f['confidence']),
  );
  if (frames.length === 0) return undefined;
  const points = value['points'];
  return {
    frames: frames.map((f) => ({
      ...f,
      confidence: f.confidence.map((p) => (typeof p === 'number' ? p : NaN)),
    })),
    points:
      isRecord(points) && Array.isArray(points['x']) && Array.isArray(points['labels'])
        ? (points as BoundaryTrack['points'])
        : undefined,
  };
}
