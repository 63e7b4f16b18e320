/**
 * The check the lab runs on the experiment being edited, the same as the CLI's before a run:
 * @optlab/experiment's `validateSpec` (linear in the spec's size) on the spec the draft
 * stands for, then, for a CSV dataset whose options are valid, one parse of its text, so that a
 * bad file is named with its line and column beside the picker. It runs in a worker
 * (workers/check.worker.ts), once per edit burst (debounced-check.ts), so typing never waits
 * for it.
 */
import { validateSpec, type Catalog, type SpecIssue } from '@optlab/experiment';
import { parseCsvDataset, type CsvOptions } from '@optlab/models';
import { isRecord, toSpec, type ExperimentDraft } from './draft.js';

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
let lastCsv: { text: string; options: string; result: CsvCheck } | null = null;

function checkCsv(text: string, options: CsvOptions): CsvCheck {
  const key = JSON.stringify(options);
  if (lastCsv && lastCsv.options === key && lastCsv.text === text) return lastCsv.result;
  let result: CsvCheck;
  try {
    const data = parseCsvDataset(text, options);
    result = { ok: true, rows: data.n, features: data.features, classes: data.classes };
  } catch (error) {
    result = { ok: false, message: (error as Error).message };
  }
  lastCsv = { text, options: key, result };
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
  const { text, labelColumn, header, task, delimiter, name } = dataset;
  const csv = checkCsv(text, { labelColumn, header, task, delimiter, name } as CsvOptions);
  return { issues, csv };
}
