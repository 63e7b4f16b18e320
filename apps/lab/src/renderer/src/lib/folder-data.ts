/**
 * The bytes of the dataset folders picked in this page, kept out of the experiment (a saved file
 * names its `folder`, never megabytes of pixels) and handed to a run's worker in the spec's
 * `task.dataset.files`, as the CLI's `loadDataFiles` does. A folder the page has not loaded
 * (an opened file, a default folder) is a problem found before any worker starts.
 */
import type { DatasetFiles } from '@optlab/models';
import { isRecord } from './draft.js';
import { folderFilesOf, type LoadedFolder } from './idx-folder.js';

export class FolderStore {
  readonly #folders = new Map<string, LoadedFolder>();

  set(loaded: LoadedFolder): void {
    this.#folders.set(loaded.folder, loaded);
  }

  get(folder: unknown): LoadedFolder | undefined {
    return typeof folder === 'string' ? this.#folders.get(folder) : undefined;
  }

  /** The spec with its dataset's folder files added; unchanged when it reads no folder. */
  withFiles<T extends object>(spec: T): T {
    const task = (spec as Record<string, unknown>)['task'];
    if (!isRecord(task) || !isRecord(task['dataset'])) return spec;
    const dataset = task['dataset'];
    if (folderFilesOf(String(dataset['type'])) === null) return spec;
    const loaded = this.get(dataset['folder']);
    if (!loaded) return spec;
    return withDatasetFiles(spec, loaded.files);
  }

  /** Why the spec cannot run in this page: a folder dataset whose files were not picked here. */
  problems(spec: Record<string, unknown>): string[] {
    const task = spec['task'];
    if (!isRecord(task) || !isRecord(task['dataset'])) return [];
    const dataset = task['dataset'];
    const type = String(dataset['type']);
    if (folderFilesOf(type) === null || this.get(dataset['folder'])) return [];
    const named = typeof dataset['folder'] === 'string' ? ` (${dataset['folder']})` : '';
    return [
      `task.dataset.folder: the lab reads the ${type} files from a folder you pick${named}: choose the folder in the task's form`,
    ];
  }
}

/**
 * A spec's folder files taken out (validation knows `folder`, not the bytes, as the CLI checks a
 * spec before reading its folder), to put back with `withDatasetFiles` once it is validated.
 */
export function withoutDatasetFiles(spec: Record<string, unknown>): {
  spec: Record<string, unknown>;
  files: DatasetFiles | undefined;
} {
  const task = spec['task'];
  if (!isRecord(task) || !isRecord(task['dataset']) || !('files' in task['dataset'])) {
    return { spec, files: undefined };
  }
  const { files, ...dataset } = task['dataset'];
  return { spec: { ...spec, task: { ...task, dataset } }, files: files as DatasetFiles };
}

/** `spec` (validated or not) with `files` in its dataset; unchanged without files. */
export function withDatasetFiles<T extends object>(spec: T, files: DatasetFiles | undefined): T {
  if (!files) return spec;
  const task = (spec as Record<string, unknown>)['task'] as Record<string, unknown>;
  const dataset = task['dataset'] as Record<string, unknown>;
  return { ...spec, task: { ...task, dataset: { ...dataset, files } } };
}
