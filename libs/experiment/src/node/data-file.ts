import { isAbsolute, resolve } from 'node:path';
import { ModelsError, decodeUtf8, loadDataset } from '@optlab/models';
import { formatPath, type PathSegment, type SpecIssue } from '../spec/issues.js';
import type { ExperimentSpec } from '../spec/schema.js';
import type { SpecDocument, Validation } from '../spec/validate.js';
import { datasetSpecOf } from '../runner/prepared-task.js';
import { readRegularFile } from './read-file.js';

/** Largest data file read (a CSV): 256 MiB of text is about 2.5 million rows of 10 features. */
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
 * exists. The libraries never read files: this is where the CLI does it for them.
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
 * The spec as recorded in spec.json: a csv dataset read from a file keeps its (absolute) `path`
 * and drops the `text` read from it, so the record stays small and names the file.
 */
export function recordedSpec(spec: ExperimentSpec): ExperimentSpec {
  if (spec.task.kind === 'function') return spec;
  const dataset = spec.task.dataset as Readonly<Record<string, unknown>>;
  if (spec.task.dataset.type !== 'csv' || typeof dataset.path !== 'string' || dataset.path === '') {
    return spec;
  }
  const { text: _text, ...rest } = dataset;
  return { ...spec, task: { ...spec.task, dataset: rest as typeof spec.task.dataset } };
}
