import { isAbsolute, resolve } from 'node:path';
import { DATASETS, ModelsError, decodeUtf8, loadDataset, type DatasetInfo } from '@optlab/models';
import { lookup } from '@optlab/tensor';
import { formatPath, type PathSegment, type SpecIssue } from '../spec/issues.js';
import type { ExperimentSpec } from '../spec/schema.js';
import type { SpecDocument, Validation } from '../spec/validate.js';
import { datasetSpecOf } from '../runner/prepared-task.js';
import { readDataFolder } from './data-folder.js';
import { readRegularFile } from './read-file.js';

/**
 * Largest data file read (a CSV, or one file of a dataset's folder): 256 MiB of text is about 2.5
 * million rows of 10 features; Fashion-MNIST's largest file is 47 MB unpacked.
 */
export const DATA_FILE_LIMIT_BYTES = 256 * 2 ** 20;

export interface DataFileOptions {
  /** Folder of the spec file: a dataset's `path` is relative to it. */
  readonly specDir: string;
  /** `--data FILE` (relative to the working folder): the file of every csv dataset. */
  readonly dataFile?: string;
  /** Default DATA_FILE_LIMIT_BYTES. */
  readonly limitBytes?: number;
}

/**
 * Node-only: reads the data files a document names and checks the data, before anything is run
 * or written. A csv dataset's `path` (relative to the spec file), or `--data FILE`, is read with
 * a size cap into `text`, and `path` becomes absolute so that the spec as run names its file;
 * then every csv dataset is parsed once, so that a bad file is refused (naming the JSON path
 * `task.dataset.path` or `task.dataset.text`, the line and the column) before an output folder
 * exists. A dataset read from a folder (`fashion-mnist`, `mnist`, `idx`) is handled the same
 * way: its `folder` (relative to the spec file; the dataset's default where not given) is read
 * into `files` and becomes absolute, and the files are parsed once, so that a missing folder or
 * a corrupt file is refused naming `task.dataset.folder` and the file.
 * The libraries never read files: this is where the CLI does it for them.
 */
export async function loadDataFiles(
  doc: SpecDocument,
  options: DataFileOptions,
): Promise<Validation<SpecDocument>> {
  const issues: SpecIssue[] = [];
  const specs: ExperimentSpec[] = [];
  const experiments =
    doc.kind === 'experiment'
      ? [{ spec: doc.spec, base: [] as PathSegment[] }]
      : doc.suite.experiments.map((spec, i) => ({
          spec,
          base: ['experiments', i] as PathSegment[],
        }));
  let csvDatasets = 0;
  for (const { spec, base } of experiments) {
    const task = spec.task;
    const folderInfo = task.kind === 'function' ? undefined : lookup(DATASETS, task.dataset.type);
    if (folderInfo?.readsFolder) {
      const loaded = await loadFolder(spec, base, folderInfo, options, issues);
      specs.push(loaded ?? spec);
      continue;
    }
    if (task.kind === 'function' || task.dataset.type !== 'csv') {
      specs.push(spec);
      continue;
    }
    csvDatasets++;
    const loaded = await loadCsv(spec, [...base, 'task', 'dataset'], options, issues);
    specs.push(loaded ?? spec);
  }
  if (options.dataFile !== undefined && csvDatasets === 0) {
    issues.push({
      path: '',
      message: `--data ${options.dataFile}: the spec has no csv dataset to read it into`,
    });
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    value:
      doc.kind === 'experiment'
        ? { kind: 'experiment', spec: specs[0] }
        : { kind: 'suite', suite: { ...doc.suite, experiments: specs } },
  };
}

/** The spec with its csv file read into `text` (or unchanged for inline text), once the data parses. */
async function loadCsv(
  spec: ExperimentSpec,
  at: readonly PathSegment[],
  options: DataFileOptions,
  issues: SpecIssue[],
): Promise<ExperimentSpec | null> {
  if (spec.task.kind === 'function') return null;
  const dataset = spec.task.dataset;
  const given = dataset as Readonly<Record<string, unknown>>;
  const pathAt = formatPath([...at, 'path']);
  let file: string | null = null;
  let source: string;
  if (options.dataFile !== undefined) {
    file = resolve(options.dataFile);
    source = `${options.dataFile} (--data)`;
  } else if (typeof given.path === 'string' && given.path !== '') {
    if (given.text !== undefined) {
      issues.push({ path: pathAt, message: 'give the CSV as "text" or as "path", not both' });
      return null;
    }
    file = isAbsolute(given.path) ? given.path : resolve(options.specDir, given.path);
    source = given.path;
  } else if (typeof given.text === 'string') {
    source = 'text';
  } else {
    issues.push({
      path: formatPath(at),
      message:
        'the csv dataset needs its data: "path" (a file, relative to the spec file) or "text"',
    });
    return null;
  }
  let withData = spec;
  if (file !== null) {
    const read = readRegularFile(file, options.limitBytes ?? DATA_FILE_LIMIT_BYTES);
    if (!read.ok) {
      issues.push({ path: pathAt, message: `${source}: cannot read data: ${read.why}` });
      return null;
    }
    let text: string;
    try {
      text = decodeUtf8(read.bytes, `${source}: CSV`);
    } catch (err) {
      issues.push({ path: pathAt, message: (err as Error).message });
      return null;
    }
    withData = { ...spec, task: { ...spec.task, dataset: { ...dataset, path: file, text } } };
  }
  try {
    if (withData.task.kind !== 'function') await loadDataset(datasetSpecOf(withData.task));
  } catch (err) {
    // Only the data's own problems are bad input; anything else is a bug and must surface.
    if (!(err instanceof ModelsError)) throw err;
    const where = file === null ? formatPath([...at, 'text']) : pathAt;
    issues.push({
      path: where,
      message: file === null ? err.message : `${source}: ${err.message}`,
    });
    return null;
  }
  return withData;
}

/**
 * The spec with the files of its dataset's folder read into `files` (and `folder` absolute), once
 * they parse; null with an issue for a missing folder or file, a corrupt file, or a test split
 * asked of a dataset that brings its own test set.
 */
async function loadFolder(
  spec: ExperimentSpec,
  base: readonly PathSegment[],
  info: DatasetInfo,
  options: DataFileOptions,
  issues: SpecIssue[],
): Promise<ExperimentSpec | null> {
  const task = spec.task;
  if (task.kind === 'function' || !info.readsFolder) return null;
  const at = [...base, 'task', 'dataset'];
  if (task.testFraction > 0) {
    issues.push({
      path: formatPath([...base, 'task', 'testFraction']),
      message: `the ${info.kind} dataset brings its own test set (the t10k files): set testFraction to 0`,
    });
    return null;
  }
  const given = task.dataset as Readonly<Record<string, unknown>>;
  const fallback = info.options.find((o) => o.name === 'folder')?.default;
  const named = typeof given.folder === 'string' ? given.folder : fallback;
  // Validation requires "folder" where there is no default; this guards library callers.
  if (typeof named !== 'string' || named === '') {
    issues.push({
      path: formatPath([...at, 'folder']),
      message: `the ${info.kind} dataset needs its "folder": ${info.readsFolder.hint}`,
    });
    return null;
  }
  const folder = isAbsolute(named) ? named : resolve(options.specDir, named);
  const read = readDataFolder(
    folder,
    info.readsFolder.files,
    options.limitBytes ?? DATA_FILE_LIMIT_BYTES,
    info.readsFolder.hint,
  );
  if (!read.ok) {
    issues.push({ path: formatPath([...at, 'folder']), message: read.why });
    return null;
  }
  const dataset = { ...task.dataset, folder, files: read.files } as typeof task.dataset;
  const withData: ExperimentSpec = { ...spec, task: { ...task, dataset } };
  try {
    if (withData.task.kind !== 'function') await loadDataset(datasetSpecOf(withData.task));
  } catch (err) {
    if (!(err instanceof ModelsError)) throw err;
    // The message names the file and what is wrong with it.
    issues.push({ path: formatPath([...at, 'folder']), message: err.message });
    return null;
  }
  return withData;
}

/**
 * The spec as recorded in spec.json: a csv dataset read from a file keeps its (absolute) `path`
 * and drops the `text` read from it, and a dataset read from a folder keeps its (absolute)
 * `folder` and drops the `files`, so the record stays small and names the data.
 */
export function recordedSpec(spec: ExperimentSpec): ExperimentSpec {
  if (spec.task.kind === 'function') return spec;
  const dataset = spec.task.dataset as Readonly<Record<string, unknown>>;
  if (dataset.files !== undefined) {
    // The bytes read from a dataset's folder: the record names the folder instead.
    const { files: _files, ...rest } = dataset;
    return { ...spec, task: { ...spec.task, dataset: rest as typeof spec.task.dataset } };
  }
  if (spec.task.dataset.type !== 'csv' || typeof dataset.path !== 'string' || dataset.path === '') {
    return spec;
  }
  const { text: _text, ...rest } = dataset;
  return { ...spec, task: { ...spec.task, dataset: rest as typeof spec.task.dataset } };
}
