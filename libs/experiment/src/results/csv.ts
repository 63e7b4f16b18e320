import type { RunMetrics } from '../runner/events.js';

/**
 * results.csv: one row per (run, seed), RFC 4180 quoting, numbers written in full precision
 * (empty where a value does not apply), so that a spreadsheet or pandas reads it as is.
 */
export const CSV_COLUMNS = [
  'run',
  'seed',
  'optimizer',
  'schedule',
  'label',
  'backend',
  'device',
  'status',
  'diverged_step',
  'steps',
  'epochs',
  'initial_loss',
  'final_loss',
  'best_loss',
  'best_step',
  'epochs_to_converge',
  'target_step',
  'target_ms',
  'wall_ms',
  'steps_per_s',
  'final_lr',
  'train_accuracy',
  'test_accuracy',
  'test_loss',
] as const;

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? String(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function metricsRow(m: RunMetrics): unknown[] {
  return [
    m.run,
    m.seed,
    m.optimizer,
    m.schedule,
    m.label,
    m.backend,
    m.device,
    m.status,
    m.diverged?.step,
    m.steps,
    m.epochs,
    m.initialLoss,
    m.finalLoss,
    m.bestLoss,
    m.bestStep,
    m.epochsToConverge,
    m.target?.step,
    m.target?.elapsedMs,
    m.wallTimeMs,
    m.stepsPerSecond,
    m.finalLr,
    m.trainAccuracy,
    m.testAccuracy,
    m.testLoss,
  ];
}

export function toCsv(metrics: readonly RunMetrics[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const m of metrics) lines.push(metricsRow(m).map(cell).join(','));
  return lines.join('\n') + '\n';
}

/** Parses one CSV line written by `toCsv` (quoted cells included); for tests and tools. */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
