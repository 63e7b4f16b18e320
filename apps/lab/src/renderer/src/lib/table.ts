/**
 * The results table's rows: one per run. A finished run shows the runner's own metrics (the
 * numbers the CLI prints for the same spec and seed); a run still training shows what its
 * columns say so far. Sorting keeps runs without a value at the bottom whatever the direction.
 */
import type { RunDraft } from './draft.js';
import type { RunResult, RunStatus } from './series.js';

export interface ResultRow {
  id: string;
  name: string;
  optimizer: string;
  /** The runner's label of a finished run (`Lookahead(Adam(lr=0.01), k=5) + clipGradNorm(1)`). */
  label: string;
  backend: string;
  device: string;
  status: RunStatus;
  /** Updates done so far (the last step of a finished run). */
  step: number;
  finalLoss: number;
  bestLoss: number;
  seconds: number;
  stepsPerSecond: number;
  epochsToConverge: number;
  stepToTarget: number;
  secondsToTarget: number;
  trainAccuracy: number;
  testAccuracy: number;
  /** Linear regression: final weights [b, w…] and the least-squares solution of the same data. */
  finalWeights: readonly number[] | null;
  leastSquares: readonly number[] | null;
  divergedAt: number | null;
}

export type SortKey = Exclude<keyof ResultRow, 'finalWeights' | 'leastSquares'>;

function lastFinite(values: readonly number[]): number {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i])) return values[i];
  return NaN;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function numbers(value: unknown): readonly number[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'number') ? value : null;
}

export function resultRow(run: RunDraft, result: RunResult | undefined): ResultRow {
  const m = result?.metrics ?? {};
  const s = result?.series;
  const loss = s?.loss ?? [];
  // One pass (the table refreshes as runs stream in; columns reach 20,000 points and more).
  let best = NaN;
  for (const value of loss) if (Number.isFinite(value) && !(value >= best)) best = value;
  const seconds = s?.time.length ? lastFinite(s.time) : NaN;
  const steps = s?.step.length ? lastFinite(s.step) : NaN;
  const target = m['target'] as { step?: number; elapsedMs?: number } | null | undefined;
  const regression = m['linearRegression'] as
    { weights?: unknown; leastSquares?: unknown } | null | undefined;
  const wallMs = num(m['wallTimeMs']);
  const finished = result?.metrics !== undefined;
  // The runner's best loss is over its updates; the loss before the first one counts too (a run
  // that diverged at once was never better than where it started).
  const runnerBest = Math.min(num(m['bestLoss']) ?? Infinity, num(m['initialLoss']) ?? Infinity);
  const bestLoss = Number.isFinite(runnerBest) ? runnerBest : best;
  // A diverged run's model is NaN: its accuracy and "epochs to converge" mean nothing.
  const diverged = result?.status === 'diverged';
  return {
    id: run.id,
    name: run.name,
    optimizer: run.optimizer.type,
    label: typeof m['label'] === 'string' ? m['label'] : '',
    backend: run.backend === 'gpu' ? `gpu${run.gpuMode ? ` ${run.gpuMode}` : ''}` : run.backend,
    device: result?.device ?? '',
    status: result?.status ?? 'idle',
    step: num(m['steps']) ?? result?.step ?? steps,
    finalLoss: num(m['finalLoss']) ?? (loss.length ? loss[loss.length - 1] : NaN),
    bestLoss,
    seconds: wallMs !== undefined ? wallMs / 1000 : seconds,
    stepsPerSecond: num(m['stepsPerSecond']) ?? (seconds > 0 ? steps / seconds : NaN),
    epochsToConverge: diverged ? NaN : (num(m['epochsToConverge']) ?? NaN),
    stepToTarget: finished ? (target?.step ?? NaN) : NaN,
    secondsToTarget: finished && target?.elapsedMs !== undefined ? target.elapsedMs / 1000 : NaN,
    trainAccuracy: diverged
      ? NaN
      : (num(m['trainAccuracy']) ?? (s ? lastFinite(s.trainAccuracy) : NaN)),
    testAccuracy: diverged
      ? NaN
      : (num(m['testAccuracy']) ?? (s ? lastFinite(s.testAccuracy) : NaN)),
    finalWeights: numbers(regression?.weights),
    leastSquares: numbers(regression?.leastSquares),
    divergedAt: result?.divergedAt ?? null,
  };
}

export function sortRows(
  rows: readonly ResultRow[],
  key: SortKey,
  ascending: boolean,
): ResultRow[] {
  const missing = (v: unknown) =>
    v === null || v === '' || (typeof v === 'number' && !Number.isFinite(v));
  return [...rows].sort((a, b) => {
    const va = a[key];
    const vb = b[key];
    if (missing(va) && missing(vb)) return 0;
    if (missing(va)) return 1;
    if (missing(vb)) return -1;
    const order =
      typeof va === 'number' && typeof vb === 'number'
        ? va - vb
        : String(va).localeCompare(String(vb));
    return ascending ? order : -order;
  });
}

/** Table numbers: 6 significant digits, exponent for tiny/huge values, a dash when absent. */
export function formatNumber(value: number | null | undefined, digits = 6): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e6)) return value.toExponential(digits - 2);
  return Number(value.toPrecision(digits)).toString();
}
