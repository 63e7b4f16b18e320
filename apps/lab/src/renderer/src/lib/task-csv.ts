/**
 * A CSV task's data, read in the page: the spec's checks see only that "text" or "path" is given,
 * so whether the page can train on it (it cannot read a path; the text may not parse) is known
 * only by reading it. Used before any worker starts (preflight.ts) and by the views that need the
 * data's shape (the decision boundary needs two features). Parsing is one pass over the text.
 */
import { parseCsvDataset, type Dataset } from '@optlab/models';
import { isRecord } from './draft.js';

export type TaskCsv =
  | { readonly ok: true; readonly dataset: Dataset }
  | { readonly ok: false; readonly path: string; readonly message: string };

/** The task's CSV read as the runner will read it, or why it cannot be; null when the task has no CSV. */
export function readTaskCsv(task: Record<string, unknown>): TaskCsv | null {
  const dataset = task['dataset'];
  if (!isRecord(dataset) || dataset['type'] !== 'csv') return null;
  const text = dataset['text'];
  if (typeof text !== 'string') {
    const path = typeof dataset['path'] === 'string' ? dataset['path'] : '';
    return {
      ok: false,
      path: path ? 'task.dataset.path' : 'task.dataset.text',
      message: path
        ? `the lab trains on a CSV's contents and cannot read ${JSON.stringify(path)} (the CLI reads paths): choose the file in the task's form so that its contents go in "text"`
        : 'the CSV contents are required: choose a file in the task’s form',
    };
  }
  try {
    return {
      ok: true,
      dataset: parseCsvDataset(text, {
        labelColumn: (dataset['labelColumn'] as string | number | undefined) ?? -1,
        header: (dataset['header'] as boolean | undefined) ?? true,
        // As the runner does: the task's kind decides what the label is unless the dataset says.
        task: ((dataset['task'] as string | undefined) ?? task['kind']) as
          'classification' | 'regression',
        delimiter: (dataset['delimiter'] as string | undefined) ?? ',',
        name: (dataset['name'] as string | undefined) ?? 'csv',
      }),
    };
  } catch (error) {
    return { ok: false, path: 'task.dataset.text', message: (error as Error).message };
  }
}
