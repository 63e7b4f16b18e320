import type { Task } from '../models/model.js';
import { ModelsError, resolveOptions, type OptionInfo } from '../options.js';
import { parseCsvDataset } from './csv.js';
import type { Dataset } from './dataset.js';
import { loadRealDataset, type RealDatasetKind } from './real.js';
import { blobs, circles, moons, spirals } from './shapes2d.js';
import { linearData, randomClassification } from './synthetic.js';

/** A dataset as a spec names it: `kind` plus its options. */
export interface DatasetSpec {
  kind: string;
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
  load(options: Record<string, unknown>): Promise<Dataset>;
}

const SEED: OptionInfo = {
  name: 'seed',
  kind: 'integer',
  default: 42,
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

/** Largest generated dataset, in values (400 MB as float64): a typo should not fill the memory. */
const MAX_CELLS = 50_000_000;

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

/** Every dataset a spec can name, keyed by kind. */
export const DATASETS: Readonly<Record<string, DatasetInfo>> = {
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
    load: async (o) => {
      const cells = (o.n as number) * (o.features as number);
      if (cells > MAX_CELLS) {
        throw new ModelsError(
          `dataset "random-classification": n × features = ${cells} values exceeds the limit of ${MAX_CELLS}`,
        );
      }
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
        doc: 'The CSV contents (the CLI reads a file into it)',
      },
      {
        name: 'path',
        kind: 'string',
        default: '',
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
    load: async (o) =>
      parseCsvDataset(o.text as string, {
        labelColumn: o.labelColumn as string | number,
        header: o.header as boolean,
        task: o.task as Task,
        delimiter: o.delimiter as string,
        name: o.name as string,
      }),
  },
};

/** Loads (or generates) the dataset a spec names. */
export async function loadDataset(spec: DatasetSpec): Promise<Dataset> {
  const info = Object.hasOwn(DATASETS, spec?.kind) ? DATASETS[spec.kind] : undefined;
  if (!info) {
    throw new ModelsError(
      `unknown dataset "${String(spec?.kind)}"; known: ${Object.keys(DATASETS).join(', ')}`,
    );
  }
  return info.load(resolveOptions(`dataset "${info.kind}"`, info.options, spec));
}
