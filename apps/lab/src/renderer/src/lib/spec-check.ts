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
import { readTaskCsv } from './task-csv.js';

/** What the parser made of a CSV dataset's text: its shape, or its message (line, column). */
export type CsvCheck =
  { ok: true; rows: number; features: number; classes: number } | { ok: false; message: string };

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
