import { ModelsError } from '../options.js';
import type { Dataset } from './dataset.js';
import { gunzipIfNeeded, parseIdx, type IdxArray } from './idx.js';

/** The four files of an MNIST-format folder, by role; each may also end in `.gz`. */
export const IDX_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Where Debian's `dataset-fashion-mnist` installs the files. */
export const FASHION_MNIST_FOLDER = '/usr/share/datasets/fashion-mnist';

/** How to get Fashion-MNIST, for messages about a missing folder or file. */
export const FASHION_MNIST_HINT = `Fashion-MNIST: apt-get install dataset-fashion-mnist (as root) installs it in ${FASHION_MNIST_FOLDER}/`;

/** Class names of Fashion-MNIST, in label order (Xiao, Rasul and Vollgraf 2017, table 1). */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** The bytes of a folder's files, keyed by file name, as the host read them. */
export type DatasetFiles = Readonly<Record<string, Uint8Array>>;

export interface IdxDatasetOptions {
  /** Name of the dataset in results. */
  readonly name: string;
  /** The folder the files came from: errors name each file inside it. */
  readonly folder: string;
  /** Class names in label order; without them the classes are 0 … (largest label). */
  readonly classNames?: readonly string[];
  /** Only the first rows of the training files (a quicker subset); default all. */
  readonly trainRows?: number | null;
  /** Most values (images × pixels) of the training rows, and of the test set; default no limit. */
  readonly maxValues?: number;
}

/** The file of `base` among `files`: the plain one, else the gzip one. */
export function idxFileName(files: DatasetFiles, base: string): string | undefined {
  if (Object.hasOwn(files, base)) return base;
  if (Object.hasOwn(files, `${base}.gz`)) return `${base}.gz`;
  return undefined;
}

/** One split of an IDX folder: its images (bytes, row-major) and labels, as read and checked. */
export interface IdxSplit {
  /** The images file (folder/name), for messages. */
  readonly file: string;
  readonly n: number;
  /** Pixels per image. */
  readonly features: number;
  /** n × features bytes, 0…255. */
  readonly pixels: Uint8Array;
  /** n labels, each below `classes`. */
  readonly labels: Uint8Array;
}

/** The four files of an MNIST-format folder, parsed and checked, pixels still bytes. */
export interface IdxFolder {
  readonly train: IdxSplit;
  readonly test: IdxSplit;
  readonly classes: number;
  readonly classNames: readonly string[];
  /** Shape of one image (rows × columns for MNIST: [28, 28]). */
  readonly imageShape: readonly number[];
}

/**
 * Parses and checks the four IDX files of an MNIST-format folder without converting a pixel:
 * what a viewer needs (the lab's sample grid and its checks of a picked folder) and what
 * `idxDataset` builds on. Errors name the file and what is wrong with it.
 */
export async function readIdxFolder(
  files: DatasetFiles,
  options: { readonly folder: string; readonly classNames?: readonly string[] },
): Promise<IdxFolder> {
  const read = async (base: string): Promise<{ file: string; array: IdxArray }> => {
    const name = idxFileName(files, base);
    const file = `${options.folder.replace(/\/+$/, '')}/${name ?? base}`;
    if (name === undefined) {
      throw new ModelsError(`${file}: missing: the folder needs ${base} or ${base}.gz`);
    }
    return { file, array: parseIdx(await gunzipIfNeeded(files[name], file), file) };
  };
  const trainImages = images(await read(IDX_FILES.trainImages));
  const trainLabels = labels(await read(IDX_FILES.trainLabels));
  const testImages = images(await read(IDX_FILES.testImages));
  const testLabels = labels(await read(IDX_FILES.testLabels));
  sameCount(trainImages, trainLabels);
  sameCount(testImages, testLabels);
  if (testImages.features !== trainImages.features) {
    throw new ModelsError(
      `${testImages.file}: images of ${testImages.size}, but the training images (${trainImages.file}) are ${trainImages.size}`,
    );
  }
  let classes = options.classNames?.length ?? 0;
  if (classes === 0) {
    classes = Math.max(largest(trainLabels.values), largest(testLabels.values)) + 1;
    if (classes < 2) {
      throw new ModelsError(
        `${trainLabels.file}: every label is 0; classification needs 2 classes or more`,
      );
    }
  } else {
    checkLabels(trainLabels, classes);
    checkLabels(testLabels, classes);
  }
  const split = (im: Images, lb: Labels): IdxSplit => ({
    file: im.file,
    n: im.n,
    features: im.features,
    pixels: im.values,
    labels: lb.values,
  });
  return {
    train: split(trainImages, trainLabels),
    test: split(testImages, testLabels),
    classes,
    classNames: options.classNames ?? Array.from({ length: classes }, (_, c) => String(c)),
    imageShape: trainImages.dims,
  };
}

/**
 * A classification dataset from the four IDX files of an MNIST-format folder: the training
 * images and labels are the rows, the t10k files its own `test` set. Pixels are scaled to [0, 1]
 * by ÷255, as torchvision's ToTensor does for DeepOBS's (Fashion-)MNIST problems
 * (deepobs/pytorch/datasets/fmnist.py). Errors name the
 * file and what is wrong with it.
 */
export async function idxDataset(
  files: DatasetFiles,
  options: IdxDatasetOptions,
): Promise<Dataset> {
  const folder = await readIdxFolder(files, options);
  const { train, test: testSplit, classes, classNames, imageShape } = folder;
  const featureNames = Array.from({ length: train.features }, (_, j) => {
    const [w] = imageShape.slice(-1);
    return `pixel ${Math.floor(j / w)},${j % w}`;
  });
  const limit = options.trainRows ?? train.n;
  const trainN = Math.min(limit, train.n);
  const make = (name: string, split: IdxSplit, n: number): Dataset => {
    const f = split.features;
    const x = new Float64Array(n * f);
    for (let i = 0; i < n * f; i++) x[i] = split.pixels[i] / 255;
    const y = Float64Array.from(split.labels.subarray(0, n));
    return {
      name,
      task: 'classification',
      n,
      features: f,
      classes,
      x,
      y,
      featureNames,
      classNames,
      // IDX images are count × H × W (one channel) or count × C × H × W.
      imageShape: imageShape.length === 2 ? [1, ...imageShape] : [...imageShape],
    };
  };
  const tooMany = (split: IdxSplit, n: number, advice: string) => {
    const values = n * split.features;
    if (options.maxValues !== undefined && values > options.maxValues) {
      throw new ModelsError(
        `${split.file}: ${n} images × ${split.features} pixels = ${values} values exceeds the limit of ${options.maxValues}${advice}`,
      );
    }
  };
  tooMany(train, trainN, '; set "trainRows" to use fewer');
  tooMany(testSplit, testSplit.n, '');
  const test = make(`${options.name} [test]`, testSplit, testSplit.n);
  return { ...make(options.name, train, trainN), test };
}

interface Images {
  readonly file: string;
  readonly n: number;
  readonly dims: readonly number[];
  readonly features: number;
  readonly size: string;
  readonly values: Uint8Array;
}

interface Labels {
  readonly file: string;
  readonly n: number;
  readonly values: Uint8Array;
}

function images({ file, array }: { file: string; array: IdxArray }): Images {
  if (array.type !== 0x08 || array.dims.length < 2) {
    throw new ModelsError(
      `${file}: expected images: unsigned bytes (type 08) of at least 2 dimensions (count × pixels), found type ${array.type.toString(16).padStart(2, '0')} with ${array.dims.length} dimension(s)`,
    );
  }
  const [n, ...pixels] = array.dims;
  const features = pixels.reduce((a, b) => a * b, 1);
  return {
    file,
    n,
    dims: pixels,
    features,
    size: pixels.join('×'),
    values: array.values as Uint8Array,
  };
}

function labels({ file, array }: { file: string; array: IdxArray }): Labels {
  if (array.type !== 0x08 || array.dims.length !== 1) {
    throw new ModelsError(
      `${file}: expected labels: unsigned bytes (type 08) of 1 dimension, found type ${array.type.toString(16).padStart(2, '0')} with ${array.dims.length} dimension(s)`,
    );
  }
  return { file, n: array.dims[0], values: array.values as Uint8Array };
}

function sameCount(im: Images, lb: Labels): void {
  if (im.n !== lb.n) {
    throw new ModelsError(
      `${im.file} has ${im.n} images but ${lb.file} has ${lb.n} labels; they must agree`,
    );
  }
}

function largest(values: Uint8Array): number {
  let m = 0;
  for (const v of values) if (v > m) m = v;
  return m;
}

function checkLabels(lb: Labels, classes: number): void {
  const i = lb.values.findIndex((v) => v >= classes);
  if (i >= 0) {
    throw new ModelsError(
      `${lb.file}: label ${i} is ${lb.values[i]}, outside the ${classes} classes 0…${classes - 1}`,
    );
  }
}
