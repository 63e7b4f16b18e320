import type { Dataset } from './dataset.js';

/** The layout of the generated modules in ../data (tools/fixtures/models/make-datasets.mjs). */
interface DataFile {
  rows: number;
  featureNames: string[];
  classNames: string[];
  /** Row-major features, or with `base17-pixels` one string of base-17 digits per image. */
  x: (number | string)[];
  encoding?: string;
  y: number[];
}

export const REAL_DATASETS = ['iris', 'digits', 'wine', 'breast-cancer'] as const;
export type RealDatasetKind = (typeof REAL_DATASETS)[number];

/**
 * Each file is its own module, loaded on first use with a dynamic import: a bundle (a Vite
 * worker) only fetches the datasets it uses, and nothing here needs `fs`, so the same code runs
 * in Node and in a browser.
 */
const MODULES: Record<RealDatasetKind, () => Promise<{ default: unknown }>> = {
  iris: () => import('../data/iris.json', { with: { type: 'json' } }),
  digits: () => import('../data/digits.json', { with: { type: 'json' } }),
  wine: () => import('../data/wine.json', { with: { type: 'json' } }),
  'breast-cancer': () => import('../data/breast-cancer.json', { with: { type: 'json' } }),
};

/** Loads one of the real datasets shipped with the library. */
export async function loadRealDataset(kind: RealDatasetKind): Promise<Dataset> {
  const file = (await MODULES[kind]()).default as DataFile;
  const features = file.featureNames.length;
  const x = new Float64Array(file.rows * features);
  if (file.encoding === 'base17-pixels') {
    file.x.forEach((image, r) => {
      const s = image as string;
      for (let j = 0; j < features; j++) x[r * features + j] = parseInt(s[j], 17);
    });
  } else {
    x.set(file.x as number[]);
  }
  return {
    name: kind,
    task: 'classification',
    n: file.rows,
    features,
    classes: file.classNames.length,
    x,
    y: Float64Array.from(file.y),
    featureNames: file.featureNames,
    classNames: file.classNames,
    // The digits are 8 × 8 one-channel images stored pixel by pixel.
    ...(file.encoding === 'base17-pixels' ? { imageShape: squareShape(features) } : {}),
  };
}

/** [1, side, side] ([C, H, W], one channel) for a square image of `pixels` pixels. */
function squareShape(pixels: number): number[] {
  const side = Math.round(Math.sqrt(pixels));
  if (side * side !== pixels) throw new Error(`${pixels} pixels are not a square image`);
  return [1, side, side];
}
