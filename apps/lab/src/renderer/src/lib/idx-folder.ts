/**
 * An MNIST-format folder picked in the lab (a directory input, the four files, or Electron's
 * folder dialog): the files it needs are collected by name (each plain or `.gz`), capped in size,
 * read as bytes, then parsed and checked by @optlab/models' `readIdxFolder` without converting
 * a pixel, so that the form can say at once which file is missing or corrupt and show samples.
 * Browser-safe: the same code runs in the page and in the unit tests.
 */
import {
  DATASETS,
  FASHION_MNIST_CLASSES,
  idxFileName,
  readIdxFolder,
  type DatasetFiles,
  type IdxFolder,
} from '@optlab/models';
import { formatBytes, LAB_DATA_FILE_LIMIT_BYTES, type PickedFile } from './data-file.js';

/** A picked file; `webkitRelativePath` is set by a directory input (`folder/name`). */
export interface PickedFolderFile extends PickedFile {
  readonly webkitRelativePath?: string;
}

/** What a picked folder holds once read and checked. */
export interface LoadedFolder {
  /** How the folder is named in the spec's `folder` and in messages. */
  readonly folder: string;
  readonly files: DatasetFiles;
  readonly data: IdxFolder;
}

export type FolderLoad = { ok: true; loaded: LoadedFolder } | { ok: false; error: string };

/** The file names a dataset reads from its folder, or null when it reads no folder. */
export function folderFilesOf(datasetType: string): readonly string[] | null {
  const info = Object.hasOwn(DATASETS, datasetType) ? DATASETS[datasetType] : undefined;
  return info?.readsFolder?.files ?? null;
}

/** Class names a dataset knows for its labels (Fashion-MNIST's), else none (0, 1, …). */
export function classNamesOf(datasetType: string): readonly string[] | undefined {
  return datasetType === 'fashion-mnist' ? FASHION_MNIST_CLASSES : undefined;
}

/** The folder's name as a directory input reports it (`fashion-mnist/train-…` → `fashion-mnist`). */
export function pickedFolderName(files: readonly PickedFolderFile[]): string {
  for (const f of files) {
    const path = f.webkitRelativePath ?? '';
    const slash = path.indexOf('/');
    if (slash > 0) return path.slice(0, slash);
  }
  return 'picked files';
}

/**
 * Reads the files of `names` (each as named or with `.gz`, the plain one first) from what the
 * user picked, ignoring anything else; a missing file is left for `checkFolder` to name. A file
 * over `limit` is refused from its size before any byte is read.
 */
export async function collectFolderFiles(
  picked: readonly PickedFolderFile[],
  names: readonly string[],
  limit = LAB_DATA_FILE_LIMIT_BYTES,
): Promise<{ ok: true; files: Record<string, Uint8Array> } | { ok: false; error: string }> {
  const byName = new Map(picked.map((f) => [f.name, f]));
  const files: Record<string, Uint8Array> = {};
  for (const name of names) {
    const file = byName.get(name) ?? byName.get(`${name}.gz`);
    if (!file) continue;
    if (file.size > limit) {
      return {
        ok: false,
        error: `${file.name} is ${formatBytes(file.size)}; the lab reads files up to ${formatBytes(limit)} (the CLI reads larger ones)`,
      };
    }
    try {
      files[file.name] = new Uint8Array(await file.arrayBuffer());
    } catch (error) {
      return { ok: false, error: `${file.name} could not be read: ${(error as Error).message}` };
    }
  }
  return { ok: true, files };
}

/**
 * Parses and checks a folder's files for `datasetType`: the first problem, naming the file
 * (`fashion-mnist/t10k-labels-idx1-ubyte: missing: …`, `…: not an IDX file: wrong magic number …`,
 * `…: truncated IDX file: …`), or the folder ready to train on.
 */
export async function checkFolder(
  folder: string,
  files: DatasetFiles,
  datasetType: string,
): Promise<FolderLoad> {
  const classNames = classNamesOf(datasetType);
  try {
    const data = await readIdxFolder(files, { folder, ...(classNames ? { classNames } : {}) });
    return { ok: true, loaded: { folder, files, data } };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** Collects and checks a folder the user picked, for `datasetType`. */
export async function loadPickedFolder(
  picked: readonly PickedFolderFile[],
  datasetType: string,
  folder = pickedFolderName(picked),
): Promise<FolderLoad> {
  const names = folderFilesOf(datasetType);
  if (!names) return { ok: false, error: `the ${datasetType} dataset reads no folder` };
  if (picked.length === 0) return { ok: false, error: 'no file was picked' };
  const read = await collectFolderFiles(picked, names);
  if (!read.ok) return read;
  const missing = names.filter((n) => idxFileName(read.files, n) === undefined);
  if (missing.length === names.length) {
    return {
      ok: false,
      error: `${folder}: none of the IDX files is there; an MNIST-format folder holds ${names.join(', ')} (each plain or .gz)`,
    };
  }
  return checkFolder(folder, read.files, datasetType);
}

/** One line about a loaded folder: `60,000 training and 10,000 test images of 28×28, 10 classes`. */
export function describeFolder(data: IdxFolder): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return `${n(data.train.n)} training and ${n(data.test.n)} test images of ${data.imageShape.join('×')}, ${data.classes} classes`;
}

/**
 * The first `perClass` training images of each class, for the sample grid: per class, the rows
 * (indices into the training split) in file order. A class with fewer images has fewer.
 */
export function samplesPerClass(data: IdxFolder, perClass: number): number[][] {
  const rows: number[][] = Array.from({ length: data.classes }, () => []);
  let filled = 0;
  for (let i = 0; i < data.train.n && filled < data.classes; i++) {
    const c = data.train.labels[i];
    if (rows[c].length < perClass) {
      rows[c].push(i);
      if (rows[c].length === perClass) filled++;
    }
  }
  return rows;
}
