/**
 * CSV export of every point of every run, long format (one row per run and evaluation), which
 * spreadsheets and pandas read directly: `pd.read_csv(f).pivot(index="step", columns="run", values="loss")`.
 */
import type { ExperimentDraft } from './draft.js';
import { SERIES_KEYS, type RunResult } from './series.js';

export const CSV_COLUMNS = [
  'run',
  'optimizer',
  'backend',
  'device',
  'status',
  ...SERIES_KEYS,
] as const;

export function csvField(value: string | number | undefined | null): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function resultsToCsv(
  draft: ExperimentDraft,
  results: Readonly<Record<string, RunResult>>,
): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const run of draft.runs) {
    const result = results[run.id];
    if (!result) continue;
    const fixed = [
      run.name,
      run.optimizer.type,
      run.backend,
      result.device ?? '',
      result.status,
    ].map(csvField);
    const n = result.series.step.length;
    for (let i = 0; i < n; i++) {
      lines.push([...fixed, ...SERIES_KEYS.map((k) => csvField(result.series[k][i]))].join(','));
    }
  }
  return lines.join('\n') + '\n';
}
