import type { BoundaryTrack } from './boundary.js';
import type { ClassificationReport } from '@optlab/experiment';
import type { ClosurePoint } from './evaluations.js';
import type { DiagnosticsRecord } from './diagnostics.js';

/**
 * What one run produced, as columns that grow while it trains: the chart and the table read them,
 * the results file stores them. Plain arrays of numbers (NaN where a value is absent at a point).
 */

export type RunStatus =
  'idle' | 'queued' | 'running' | 'paused' | 'done' | 'diverged' | 'stopped' | 'error';

/** A run that has a worker: it can be paused, resumed or stopped. */
export function isActive(status: RunStatus | undefined): boolean {
  return status === 'queued' || status === 'running' || status === 'paused';
}

export const SERIES_KEYS = [
  'step',
  'epoch',
  'time',
  'loss',
  'lr',
  'trainAccuracy',
  'testAccuracy',
  'testLoss',
] as const;
export type SeriesKey = (typeof SERIES_KEYS)[number];
export type Series = Record<SeriesKey, number[]>;

export interface RunResult {
  status: RunStatus;
  /** 0..1 */
  progress: number;
  series: Series;
  /** Parameter positions for 2-D function tasks: [x, y] per point of `series`. */
  trajectory: [number, number][];
  /**
   * What the optimizer estimates of itself (Prodigy's `d`), one column per name, aligned with
   * `series` (NaN at points that do not report it). Absent when no point reported any.
   */
  stats?: Record<string, number[]>;
  /** 2-D function tasks with a closure optimizer (LBFGS, SAM): every function evaluation. */
  evaluations?: ClosurePoint[];
  /** Training diagnostics (`runs[].diagnostics`), charted seed, in step order. */
  diagnostics?: DiagnosticsRecord[];
  /** 2-feature classification: the decision boundary at each evaluation (charted seed). */
  boundary?: BoundaryTrack;
  /** Updates done so far (the worker's latest step). */
  step?: number;
  /** The run's training time so far, from its worker's clock (paused time not counted). */
  elapsedMs?: number;
  /** Classification: the final model's confusion matrix and misclassified samples (not saved in files). */
  report?: ClassificationReport;
  /** Step at which the loss became NaN/Inf. */
  divergedAt?: number;
  error?: string;
  /** What actually ran: "cpu float32", "gpu.js webgl2 (WebGL2Kernel)" ... */
  device?: string;
  /**
   * A run listing several seeds: the chart columns of each seed after the charted (first) one,
   * in the order they started (the charts draw the seeds' median and band, or each seed).
   */
  seedSeries?: { seed: number; series: Series }[];
  /** The runner's summary metrics, as it reported them (first seed). */
  metrics?: Record<string, unknown>;
  /** With several seeds: the runner's median and spread over them. */
  aggregate?: Record<string, unknown>;
  /** The spec of the run that produced this result (so an edited run is never confused with its old result). */
  runSpec?: unknown;
  /** The task and training it ran with (stale.ts compares them with the form's). */
  settings?: unknown;
  startedAt?: number;
}

export function emptySeries(): Series {
  return Object.fromEntries(SERIES_KEYS.map((k) => [k, [] as number[]])) as unknown as Series;
}

export function emptyResult(): RunResult {
  return { status: 'idle', progress: 0, series: emptySeries(), trajectory: [] };
}

/** One evaluation point as a worker reports it. */
export interface SeriesPoint {
  step: number;
  epoch?: number;
  time: number;
  loss: number;
  lr?: number;
  trainAccuracy?: number;
  testAccuracy?: number;
  testLoss?: number;
  position?: readonly number[];
  /** What the optimizer estimates of itself at this point (Prodigy: `{ d }`). */
  optimizerStats?: Readonly<Record<string, number>>;
}

/** Appends points to one seed's columns (`RunResult.seedSeries`): the chart columns only. */
export function appendSeedPoints(
  result: RunResult,
  seed: number,
  points: readonly SeriesPoint[],
): void {
  const all = (result.seedSeries ??= []);
  let entry = all.find((e) => e.seed === seed);
  if (!entry) {
    entry = { seed, series: emptySeries() };
    all.push(entry);
  }
  appendColumns(entry.series, points);
}

function appendColumns(s: Series, points: readonly SeriesPoint[]): void {
  for (const p of points) {
    s.step.push(p.step);
    s.epoch.push(p.epoch ?? NaN);
    s.time.push(p.time);
    s.loss.push(p.loss);
    s.lr.push(p.lr ?? NaN);
    s.trainAccuracy.push(p.trainAccuracy ?? NaN);
    s.testAccuracy.push(p.testAccuracy ?? NaN);
    s.testLoss.push(p.testLoss ?? NaN);
  }
}

export function appendPoints(result: RunResult, points: readonly SeriesPoint[]): void {
  const s = result.series;
  for (const p of points) {
    if (p.optimizerStats || result.stats) appendStats(result, s.step.length, p.optimizerStats);
    s.step.push(p.step);
    s.epoch.push(p.epoch ?? NaN);
    s.time.push(p.time);
    s.loss.push(p.loss);
    s.lr.push(p.lr ?? NaN);
    s.trainAccuracy.push(p.trainAccuracy ?? NaN);
    s.testAccuracy.push(p.testAccuracy ?? NaN);
    s.testLoss.push(p.testLoss ?? NaN);
    if (p.position && p.position.length >= 2)
      result.trajectory.push([p.position[0], p.position[1]]);
  }
}

/**
 * Adds one point's optimizer stats at row `row`: every known column gets its value or NaN, and a
 * name seen for the first time gets a column of NaN up to this row, so columns stay aligned.
 */
function appendStats(
  result: RunResult,
  row: number,
  stats: Readonly<Record<string, number>> | undefined,
): void {
  const columns = (result.stats ??= {});
  for (const name of Object.keys(stats ?? {})) {
    columns[name] ??= new Array<number>(row).fill(NaN);
  }
  for (const [name, column] of Object.entries(columns)) column.push(stats?.[name] ?? NaN);
}

/**
 * Exponential moving average with TensorBoard's debiasing, so the first points are not pulled
 * towards zero. `weight` 0 returns the data unchanged; NaN/Inf points are passed through and skipped.
 */
export function smooth(values: readonly number[], weight: number): number[] {
  if (weight <= 0) return [...values];
  const out = new Array<number>(values.length);
  let last = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    count += 1;
    out[i] = last / (1 - Math.pow(weight, count));
  }
  return out;
}
