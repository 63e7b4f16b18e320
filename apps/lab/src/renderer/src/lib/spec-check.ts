/**
 * The check the lab runs on the experiment being edited, the same as the CLI's before a run:
 * @optlab/experiment's `validateSpec` (linear in the spec's size) on the spec the draft
 * stands for, then, for a CSV dataset whose options are valid, one parse of its text, so that a
 * bad file is named with its line and column beside the picker. It runs in a worker
 * (workers/check.worker.ts), once per edit burst (debounced-check.ts), so typing never waits
 * for it.
 */
import { validateSpec, type Catalog, type SpecIssue } from '@optlab/experiment';
import { isRecord, toSpec, type ExperimentDraft } from './draft.js';
import type { Dataset } from '@optlab/models';
import { readTaskCsv } from './task-csv.js';

/** What the parser made of a CSV dataset's text: its shape, or its message (line, column). */
export type CsvCheck =
  | { ok: true; rows: number; features: number; classes: number; head: CsvHead }
  | { ok: false; message: string };

/** The first rows as the runner reads them: feature values, then the target (a class by its name). */
export interface CsvHead {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** How many rows the preview shows. */
export const CSV_HEAD_ROWS = 5;

function headOf(dataset: Dataset): CsvHead {
  const names =
    dataset.featureNames ?? Array.from({ length: dataset.features }, (_, j) => `x${j + 1}`);
  const rows: string[][] = [];
  for (let i = 0; i < Math.min(CSV_HEAD_ROWS, dataset.n); i++) {
    const features = Array.from(
      dataset.x.subarray(i * dataset.features, (i + 1) * dataset.features),
      (v) => String(v),
    );
    const y = dataset.y[i];
    rows.push([
      ...features,
      dataset.classes > 0 ? (dataset.classNames?.[y] ?? String(y)) : String(y),
    ]);
  }
  return { columns: [...names, dataset.classes > 0 ? 'class' : 'target'], rows };
}

export interface SpecReport {
  /** The validator's issues, paths as the CLI prints them (`runs[1].optimizer.lr`). */
  readonly issues: readonly SpecIssue[];
  /** Present when the task is a CSV dataset with text and valid options. */
  readonly csv?: CsvCheck;
}

/** The issues at `prefix` or below it (`runs[0]` holds `runs[0].optimizer.lr`, not `runs[01]`). */
export function issuesUnder(issues: readonly SpecIssue[], prefix: string): SpecIssue[] {
  return issues.filter(
    (i) => i.path === prefix || i.path.startsWith(`${prefix}.`) || i.path.startsWith(`${prefix}[`),
  );
}

/** One parse per distinct text and options: edits elsewhere in the experiment reuse it. */
let lastCsv: { key: string; result: CsvCheck } | null = null;

/**
 * The task's CSV read as the runner (and the pre-run check, preflight.ts) will read it, through
 * the one reader of task-csv.ts; the last result is kept, since most edits leave the data alone.
 */
function checkCsv(task: Record<string, unknown>): CsvCheck | undefined {
  const key = JSON.stringify([task['kind'], task['dataset']]);
  if (lastCsv?.key === key) return lastCsv.result;
  const read = readTaskCsv(task);
  if (read === null) return undefined;
  const result: CsvCheck = read.ok
    ? {
        ok: true,
        rows: read.dataset.n,
        features: read.dataset.features,
        classes: read.dataset.classes,
        head: headOf(read.dataset),
      }
    : { ok: false, message: read.message };
  lastCsv = { key, result };
  return result;
}

export function checkDraft(draft: ExperimentDraft, catalog: Catalog): SpecReport {
  const validation = validateSpec(toSpec(draft), catalog);
  const issues = validation.ok ? [] : validation.issues;
  const dataset = draft.task['dataset'];
  if (
    !isRecord(dataset) ||
    dataset['type'] !== 'csv' ||
    typeof dataset['text'] !== 'string' ||
    issuesUnder(issues, 'task.dataset').length > 0
  ) {
    return { issues };
  }
  const csv = checkCsv(draft.task);
  return csv ? { issues, csv } : { issues };
}
