/**
 * The summary CSV: one row per run, the results table's columns at full precision (the
 * per-evaluation CSV, csv.ts, has every point). Absent values are empty cells; weights are
 * separated by spaces within their cell.
 */
import type { ExperimentDraft } from './draft.js';
import { csvField } from './csv.js';
import type { RunResult } from './series.js';
import { resultRow, type ResultRow } from './table.js';

export const SUMMARY_COLUMNS = [
  'run',
  'optimizer',
  'backend',
  'device',
  'status',
  'divergedAt',
  'steps',
  'finalLoss',
  'bestLoss',
  'seconds',
  'stepsPerSecond',
  'epochsToConverge',
  'stepToTarget',
  'secondsToTarget',
  'trainAccuracy',
  'testAccuracy',
  'finalWeights',
  'leastSquares',
] as const;

function cells(row: ResultRow): (string | number | null)[] {
  const list = (values: readonly number[] | null) => (values ? values.join(' ') : null);
  return [
    row.name,
    row.optimizer,
    row.backend,
    row.device,
    row.status,
    row.divergedAt,
    row.step,
    row.finalLoss,
    row.bestLoss,
    row.seconds,
    row.stepsPerSecond,
    row.epochsToConverge,
    row.stepToTarget,
    row.secondsToTarget,
    row.trainAccuracy,
    row.testAccuracy,
    list(row.finalWeights),
    list(row.leastSquares),
  ];
}

export function summaryToCsv(
  draft: ExperimentDraft,
  results: Readonly<Record<string, RunResult>>,
): string {
  const lines = [SUMMARY_COLUMNS.join(',')];
  for (const run of draft.runs) {
    const result = results[run.id];
    if (!result || result.status === 'idle') continue;
    lines.push(cells(resultRow(run, result)).map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}
