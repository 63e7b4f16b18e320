import {
  checkOptionValues,
  lookup,
  optionValue,
  registry,
  type OptionInfo,
  type OptionProblem,
} from '@optlab/tensor';
import type { Task } from '../models/model.js';
import { ModelsError, resolveOptions } from '../options.js';
import { parseCsvDataset } from './csv.js';
import type { Dataset } from './dataset.js';
import {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_FOLDER,
  FASHION_MNIST_HINT,
  IDX_FILES,
  idxDataset,
  type DatasetFiles,
} from './idx-dataset.js';
import { quadraticDeepData } from './deepobs-quadratic.js';
import { loadRealDataset, type RealDatasetKind } from './real.js';
import { blobs, circles, moons, spirals } from './shapes2d.js';
import { linearData, randomClassification } from './synthetic.js';

/** A dataset as a spec names it: `kind` plus its options. */
export interface DatasetSpec {
  kind: string;
  /**
   * The bytes of the files in the dataset's `folder`, keyed by file name, read by the host (the
   * CLI, the lab's folder picker): not an option, and never written to a spec file.
   */
  files?: DatasetFiles;
  [option: string]: unknown;
}

export interface DatasetInfo {
  readonly kind: string;
  readonly summary: string;
  /** The dataset's task (for `csv`, the default of its `task` option). */
  readonly task: Task;
  /** Feature count, or `null` where an option (or the file) decides it. */
  readonly features: number | null;
  /** Class count (0 for regression), or `null` where an option (or the file) decides it. */
  readonly classes: number | null;
  /** Rows, or `null` where an option (or the file) decides it. */
  readonly rows: number | null;
  readonly options: readonly OptionInfo[];
  /** Where real data comes from, with its licence: cite it where the data is shown. */
  readonly source?: string;
  /** Rules across options that the descriptions cannot state, on the options with defaults filled in. */
  readonly check?: (values: Readonly<Record<string, unknown>>) => OptionProblem | undefined;
  /**
   * Options of which at least one must be given (a CSV's `text` or `path`): `check` enforces
   * it, and the spec's JSON Schema states it so that editors flag a dataset with neither.
   */
  readonly requiresOneOf?: readonly string[];
  /**
   * Where the data comes from the files of a folder (the `folder` option): the names the host
   * reads from it (each plain or with `.gz`) and how to get the data, for a missing folder.
   */
  readonly readsFolder?: { readonly files: readonly string[]; readonly hint: string };
  /**
   * Sets the dataset brings of its own (MNIST's t10k files; a synthetic problem's fresh draws):
   * the runner tests or validates on them instead of splitting the training rows.
   */
  readonly ownSplits?: { readonly test: boolean; readonly validation: boolean };
  load(options: Record<string, unknown>, files?: DatasetFiles): Promise<Dataset>;
}

/**
 * Largest seed: `Rng` keeps the low 32 bits as a signed integer (`seed | 0`), so 0 … 2³¹ − 1 are
 * exactly the seeds that give different streams; larger ones (2³², 2⁵³, 1e300) would silently
 * repeat another seed's data. Run seeds use the same range.
 */
export const MAX_SEED = 2 ** 31 - 1;

/** Largest generated dataset, in values (n × features; 400 MB as float64): a typo should not fill the memory. */
export const MAX_DATASET_VALUES = 50_000_000;

const SEED: OptionInfo = {
  name: 'seed',
  kind: 'integer',
  default: 42,
  min: 0,
  max: MAX_SEED,
  doc: 'Seed of the generator (42 as the tutorial’s np.random.seed(42); the stream is not NumPy’s)',
};
const rowsOption = (n: number, min = 2): OptionInfo => ({
  name: 'n',
  kind: 'integer',
  default: n,
  min,
  max: 1_000_000,
  doc: 'Number of rows',
});
const noiseOption = (v: number, doc: string): OptionInfo => ({
  name: 'noise',
  kind: 'number',
  default: v,
  min: 0,
  doc,
});

/** n × features within MAX_DATASET_VALUES. */
function cellsProblem(values: Readonly<Record<string, unknown>>): OptionProblem | undefined {
  const cells = (values.n as number) * (values.features as number);
  return cells > MAX_DATASET_VALUES
    ? {
        path: ['n'],
        message: `n × features = ${cells} values exceeds the limit of ${MAX_DATASET_VALUES}`,
      }
    : undefined;
}

const UCI =
  'UCI Machine Learning Repository (CC BY 4.0), via scikit-learn 1.2.1 (Debian python3-sklearn)';

function real(
  kind: RealDatasetKind,
  summary: string,
  shape: [number, number, number],
  source: string,
): DatasetInfo {
  return {
    kind,
    summary,
    task: 'classification',
    rows: shape[0],
    features: shape[1],
    classes: shape[2],
    options: [],
    source,
    load: () => loadRealDataset(kind),
  };
}

const IDX_FOLDER_HINT = `an MNIST-format folder holds ${Object.values(IDX_FILES).join(', ')} (each plain or .gz)`;

/**
 * An MNIST-format dataset read from the four IDX files of `folder` (ModelsError naming the folder
 * where the host has not read them).
 */
function idx(
  kind: string,
  summary: string,
  folder: string | null,
  classNames: readonly string[] | null,
  hint: string,
  source?: string,
): DatasetInfo {
  return {
    kind,
    summary,
    task: 'classification',
    rows: null,
    features: classNames ? 784 : null,
    classes: classNames?.length ?? null,
    options: [
      {
        name: 'folder',
        kind: 'string',
        default: folder,
        ...(folder === null ? { required: true } : {}),
        doc: 'Folder of the IDX files (train-images-idx3-ubyte, …, plain or .gz); the CLI reads it',
      },
      {
        name: 'trainRows',
        kind: 'integer',
        default: null,
        min: 1,
        max: 1_000_000,
        doc: 'Only the first rows of the training files (default all); the test set stays whole',
      },
      { name: 'name', kind: 'string', default: kind, doc: 'Name shown in results' },
    ],
    ...(source ? { source } : {}),
    readsFolder: { files: Object.values(IDX_FILES), hint },
    ownSplits: { test: true, validation: false },
    load: async (o, files) => {
      if (!files) {
        throw new ModelsError(
          `dataset "${kind}": the folder ${JSON.stringify(o.folder)} is read by the host (optlab run, the lab's folder picker); a library caller passes its files' bytes in "files"`,
        );
      }
      return idxDataset(files, {
        name: o.name as string,
        folder: o.folder as string,
        trainRows: o.trainRows as number | null,
        maxValues: MAX_DATASET_VALUES,
        ...(classNames ? { classNames } : {}),
      });
    },
  };
}

/** Every dataset a spec can name, keyed by kind (a null-prototype object: look up with `lookup`). */
export const DATASETS: Readonly<Record<string, DatasetInfo>> = registry({
  linear: {
    kind: 'linear',
    summary: "The tutorial's regression data: x = 2·U[0,1), y = 4 + 3x + noise·N(0,1)",
    task: 'regression',
    rows: null,
    features: 1,
    classes: 0,
    options: [rowsOption(100, 1), noiseOption(1, 'Standard deviation of the Gaussian noise'), SEED],
    load: async (o) => linearData(o as { n: number; noise: number; seed: number }),
  },
  'random-classification': {
    kind: 'random-classification',
    summary: "The tutorial's classification data: N(0,1) features, uniform random labels",
    task: 'classification',
    rows: null,
    features: null,
    classes: null,
    options: [
      rowsOption(1000),
      {
        name: 'features',
        kind: 'integer',
        default: 20,
        min: 1,
        max: 100_000,
        doc: 'Number of features',
      },
      {
        name: 'classes',
        kind: 'integer',
        default: 3,
        min: 2,
        max: 10_000,
        doc: 'Number of classes',
      },
      SEED,
    ],
    check: cellsProblem,
    load: async (o) => {
      const cells = cellsProblem(o);
      if (cells) throw new ModelsError(`dataset "random-classification": ${cells.message}`);
      return randomClassification(
        o as { n: number; features: number; classes: number; seed: number },
      );
    },
  },
  blobs: {
    kind: 'blobs',
    summary: 'Gaussian blobs around random centres in [−10, 10]² (sklearn make_blobs)',
    task: 'classification',
    rows: null,
    features: 2,
    classes: null,
    options: [
      rowsOption(100),
      {
        name: 'centers',
        kind: 'integer',
        default: 3,
        min: 2,
        max: 1000,
        doc: 'Number of blobs (classes)',
      },
      {
        name: 'clusterStd',
        kind: 'number',
        default: 1,
        min: 0,
        doc: 'Standard deviation of each blob',
      },
      SEED,
    ],
    load: async (o) => blobs(o as { n: number; centers: number; clusterStd: number; seed: number }),
  },
  moons: {
    kind: 'moons',
    summary: 'Two interleaving half circles (sklearn make_moons)',
    task: 'classification',
    rows: null,
    features: 2,
    classes: 2,
    options: [rowsOption(100), noiseOption(0.1, 'Standard deviation of the Gaussian noise'), SEED],
    load: async (o) => moons(o as { n: number; noise: number; seed: number }),
  },
  circles: {
    kind: 'circles',
    summary: 'A circle inside a circle (sklearn make_circles)',
    task: 'classification',
    rows: null,
    features: 2,
    classes: 2,
    options: [
      rowsOption(100),
      noiseOption(0.05, 'Standard deviation of the Gaussian noise'),
      {
        name: 'factor',
        kind: 'number',
        default: 0.8,
        min: 0,
        max: 1,
        exclusiveMax: true,
        doc: 'Radius of the inner circle relative to the outer',
      },
      SEED,
    ],
    load: async (o) => circles(o as { n: number; noise: number; factor: number; seed: number }),
  },
  spirals: {
    kind: 'spirals',
    summary: 'Interleaved spiral arms, one per class (CS231n)',
    task: 'classification',
    rows: null,
    features: 2,
    classes: null,
    options: [
      rowsOption(300),
      { name: 'classes', kind: 'integer', default: 3, min: 2, max: 100, doc: 'Number of arms' },
      noiseOption(0.2, 'Standard deviation of the angle noise (radians)'),
      SEED,
    ],
    load: async (o) => spirals(o as { n: number; classes: number; noise: number; seed: number }),
  },
  iris: real(
    'iris',
    'Iris flowers: 4 measurements, 3 species (Fisher, 1936)',
    [150, 4, 3],
    `R. A. Fisher, Iris; ${UCI}`,
  ),
  digits: real(
    'digits',
    'Handwritten digits, 8×8 images with pixel values 0–16',
    [1797, 64, 10],
    `E. Alpaydin, C. Kaynak, Optical Recognition of Handwritten Digits; ${UCI}`,
  ),
  wine: real(
    'wine',
    'Wine: 13 chemical measurements, 3 cultivars',
    [178, 13, 3],
    `S. Aeberhard, M. Forina, Wine; ${UCI}`,
  ),
  'breast-cancer': real(
    'breast-cancer',
    'Breast cancer Wisconsin (diagnostic): 30 features, malignant/benign',
    [569, 30, 2],
    `W. Wolberg, O. Mangasarian, N. Street, W. Street, Breast Cancer Wisconsin (Diagnostic); ${UCI}`,
  ),
  'fashion-mnist': idx(
    'fashion-mnist',
    'Fashion-MNIST: 28×28 grey images of 10 kinds of clothing; 60,000 to train, its own 10,000 to test',
    FASHION_MNIST_FOLDER,
    FASHION_MNIST_CLASSES,
    FASHION_MNIST_HINT,
    'H. Xiao, K. Rasul, R. Vollgraf, Fashion-MNIST (arXiv:1708.07747), MIT licence; Debian dataset-fashion-mnist',
  ),
  mnist: idx(
    'mnist',
    'MNIST handwritten digits: 28×28 grey images; 60,000 to train, its own 10,000 to test (give its folder)',
    null,
    Array.from({ length: 10 }, (_, d) => String(d)),
    IDX_FOLDER_HINT,
    'Y. LeCun, C. Cortes, C. J. C. Burges, The MNIST database of handwritten digits',
  ),
  idx: idx(
    'idx',
    'Any MNIST-format folder of IDX files: images, labels, and its own test set',
    null,
    null,
    IDX_FOLDER_HINT,
  ),
  'deepobs-quadratic': {
    kind: 'deepobs-quadratic',
    summary:
      "DeepOBS's quadratic data: n points of N(0, noise²·I) in 100-D from NumPy's RandomState(42), a test set from (43) as DeepOBS, a validation set from (44); for the quadratic-deep model",
    task: 'regression',
    rows: null,
    features: 100,
    classes: 0,
    options: [
      {
        ...rowsOption(1000, 1),
        max: 100_000,
        doc: 'Points in each of the train, test and validation sets (DeepOBS: 1000)',
      },
      noiseOption(0.6, 'Standard deviation of the points (DeepOBS: 0.6)'),
    ],
    source:
      'fsschneider/DeepOBS deepobs/pytorch/datasets/quadratic.py (commit 51fa5861), regenerated from the same NumPy streams',
    ownSplits: { test: true, validation: true },
    load: async (o) => quadraticDeepData({ n: o.n as number, noise: o.noise as number }),
  },
  csv: {
    kind: 'csv',
    summary: 'Your own CSV: numeric feature columns and a label column',
    task: 'classification',
    rows: null,
    features: null,
    classes: null,
    options: [
      {
        name: 'text',
        kind: 'string',
        default: null,
        doc: 'The CSV contents; give this or "path"',
      },
      {
        name: 'path',
        kind: 'string',
        default: null,
        doc: 'A CSV file, relative to the spec file; the CLI reads it into "text" (libraries never read files)',
      },
      {
        name: 'labelColumn',
        kind: 'column',
        default: -1,
        doc: 'Label column: header name or index (negative counts from the end)',
      },
      { name: 'header', kind: 'boolean', default: true, doc: 'The first line names the columns' },
      {
        name: 'task',
        kind: 'choice',
        default: 'classification',
        choices: ['classification', 'regression'],
        doc: 'What the label is',
      },
      { name: 'delimiter', kind: 'string', default: ',', doc: 'Cell separator (one character)' },
      { name: 'name', kind: 'string', default: 'csv', doc: 'Name shown in results' },
    ],
    requiresOneOf: ['text', 'path'],
    check: csvSourceProblem,
    load: async (o) => {
      if (typeof o.text !== 'string') {
        throw new ModelsError(
          `dataset "csv": "path" ${JSON.stringify(o.path)} is read by the CLI (optlab run); a library caller passes the CSV contents in "text"`,
        );
      }
      return parseCsvDataset(o.text, {
        labelColumn: o.labelColumn as string | number,
        header: o.header as boolean,
        task: o.task as Task,
        delimiter: o.delimiter as string,
        name: o.name as string,
      });
    },
  },
});

/**
 * A CSV dataset needs its contents: `text`, or a `path` that the CLI reads into `text` before the
 * run (the libraries never read files; the CLI also refuses a spec that gives both).
 */
function csvSourceProblem(o: Readonly<Record<string, unknown>>): OptionProblem | undefined {
  const hasText = typeof o.text === 'string';
  const hasPath = typeof o.path === 'string' && o.path !== '';
  if (!hasText && !hasPath) {
    return {
      path: ['text'],
      message: 'the CSV contents are required: give "text", or a file in "path"',
    };
  }
  return undefined;
}

function unknownDataset(kind: unknown): string {
  return `unknown dataset ${JSON.stringify(String(kind))}; known: ${Object.keys(DATASETS).join(', ')}`;
}

/** Loads (or generates) the dataset a spec names. */
export async function loadDataset(spec: DatasetSpec): Promise<Dataset> {
  const info = lookup(DATASETS, spec?.kind);
  if (!info) throw new ModelsError(unknownDataset(spec?.kind));
  const options = resolveOptions(`dataset "${info.kind}"`, info.options, spec, ['kind', 'files']);
  const cross = info.check?.(options);
  if (cross) throw new ModelsError(`dataset "${info.kind}": ${cross.message}`);
  return info.load(options, spec.files);
}

/**
 * Every problem with a dataset named `type` and its `options` (without `kind`), without making
 * it: an unknown name (path `['type']`), unknown options, values that do not fit, the dataset's
 * rules across options (n × features). Pure.
 */
export function checkDatasetOptions(
  type: string,
  options: Readonly<Record<string, unknown>> = {},
): OptionProblem[] {
  const info = lookup(DATASETS, type);
  if (!info) return [{ path: ['type'], message: unknownDataset(type) }];
  const problems = checkOptionValues(info.options, options, [], `dataset ${info.kind}`);
  if (problems.length > 0 || !info.check) return problems;
  const cross = info.check(filled(info.options, options));
  return cross ? [cross] : [];
}

/** Rows, features and classes of a dataset as far as its options decide them (null: the data decides). */
export interface DatasetShape {
  readonly rows: number | null;
  readonly features: number | null;
  readonly classes: number | null;
}

/**
 * The shape of the dataset `type` with `options` (valid ones: see `checkDatasetOptions`), known
 * before it is made: for a generated dataset from its options, for a real one from the registry,
 * for a CSV file nothing. Used to bound sizes and parameter counts at validation.
 */
export function datasetShape(
  type: string,
  options: Readonly<Record<string, unknown>> = {},
): DatasetShape | undefined {
  const info = lookup(DATASETS, type);
  if (!info) return undefined;
  const o = filled(info.options, options);
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  return {
    rows: info.rows ?? num(o.n),
    features: info.features ?? num(o.features),
    classes: info.classes ?? num(o.classes) ?? num(o.centers),
  };
}

function filled(
  infos: readonly OptionInfo[],
  given: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const info of infos) out[info.name] = optionValue(info, given);
  return out;
}

/** The test and validation sets a dataset brings of its own (none for an unknown kind). */
export function datasetOwnSplits(kind: string): { test: boolean; validation: boolean } {
  const info = lookup(DATASETS, kind);
  return { test: info?.ownSplits?.test ?? false, validation: info?.ownSplits?.validation ?? false };
}
