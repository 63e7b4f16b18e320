import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FASHION_MNIST_FOLDER,
  ModelsError,
  idxDataset,
  loadDataset,
  parseIdx,
  gunzipIfNeeded,
  readIdxFolder,
  type DatasetFiles,
} from '../src/index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures/idx');

function folderFiles(folder: string): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const name of readdirSync(folder))
    files[name] = new Uint8Array(readFileSync(join(folder, name)));
  return files;
}

/** The fixture's pixel (r, c) of image i and its label (tools/fixtures/models/make-idx.py). */
const pixel = (i: number, r: number, c: number) => ((40 * i + 10 * r + c) % 256) / 255;

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ModelsError);
    return (err as Error).message;
  }
  throw new Error('expected the files to be refused');
}

describe('parseIdx', () => {
  it('reads the magic number, big-endian dimensions and values of each type', () => {
    const bytes = Uint8Array.from([0, 0, 0x0b, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0xff, 0xfe, 0x01, 0x00]);
    const a = parseIdx(bytes, 'a.idx');
    expect(a.dims).toEqual([1, 2]);
    expect(Array.from(a.values)).toEqual([-2, 256]);
    const f = new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
    new DataView(f.buffer).setFloat32(8, -1.5, false);
    expect(Array.from(parseIdx(f, 'f.idx').values)).toEqual([-1.5]);
  });
  it('refuses a wrong magic number, naming the file and the bytes found', () => {
    expect(() => parseIdx(Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0]), 'x/data.zip')).toThrow(
      'x/data.zip: not an IDX file: wrong magic number 50 4b 03 04 (expected 00 00, a type code 08/09/0b/0c/0d/0e, and the number of dimensions)',
    );
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x07, 1, 0, 0, 0, 0]), 'b')).toThrow(
      'b: not an IDX file: wrong magic number 00 00 07 01',
    );
  });
  it('refuses a truncated file with the expected and actual sizes', () => {
    expect(() => parseIdx(Uint8Array.from([0, 0]), 'short')).toThrow(
      'short: truncated IDX file: 2 bytes, shorter than the 4-byte magic number',
    );
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 2]), 'head')).toThrow(
      'head: truncated IDX file: the header of 3 dimensions needs 16 bytes, the file has 8',
    );
    const plain = new Uint8Array(readFileSync(join(FIXTURES, 'plain/train-images-idx3-ubyte')));
    expect(() => parseIdx(plain.subarray(0, 80), 'imgs')).toThrow(
      'imgs: truncated IDX file: dimensions 6 × 3 × 4 of unsigned byte need 88 bytes, the file has 80',
    );
    expect(() => parseIdx(Uint8Array.from([...plain, 0]), 'long')).toThrow(
      'long: IDX file longer than its header says: dimensions 6 × 3 × 4 of unsigned byte need 88 bytes, the file has 89',
    );
  });
});

describe('gunzipIfNeeded', () => {
  it('decompresses gzip and passes other bytes through', async () => {
    const gz = new Uint8Array(readFileSync(join(FIXTURES, 'gzip/train-labels-idx1-ubyte.gz')));
    const plain = new Uint8Array(readFileSync(join(FIXTURES, 'plain/train-labels-idx1-ubyte')));
    expect(Array.from(await gunzipIfNeeded(gz, 'g'))).toEqual(Array.from(plain));
    expect(await gunzipIfNeeded(plain, 'p')).toBe(plain);
  });
  it('refuses a truncated gzip file and one over the size limit', async () => {
    const gz = new Uint8Array(readFileSync(join(FIXTURES, 'gzip/train-images-idx3-ubyte.gz')));
    expect(await refusal(gunzipIfNeeded(gz.subarray(0, 40), 'cut.gz'))).toMatch(
      /^cut\.gz: not a valid gzip file \(.+\); it may be truncated or corrupt$/,
    );
    expect(await refusal(gunzipIfNeeded(gz, 'big.gz', 50))).toBe(
      'big.gz: decompresses to more than 50 bytes, over the limit for an IDX file',
    );
  });
});

describe('idxDataset', () => {
  for (const kind of ['plain', 'gzip']) {
    it(`reads an MNIST-format folder (${kind}): pixels ÷255, labels, its own test set`, async () => {
      const d = await idxDataset(folderFiles(join(FIXTURES, kind)), { name: 'fx', folder: 'fx' });
      expect([d.n, d.features, d.classes]).toEqual([6, 12, 3]);
      expect(d.classNames).toEqual(['0', '1', '2']);
      expect(d.featureNames?.slice(0, 5)).toEqual([
        'pixel 0,0',
        'pixel 0,1',
        'pixel 0,2',
        'pixel 0,3',
        'pixel 1,0',
      ]);
      expect(d.x[5 * 12 + 2 * 4 + 3]).toBeCloseTo(pixel(5, 2, 3), 15);
      expect(d.x[1 * 12 + 1 * 4 + 0]).toBe(50 / 255);
      expect(Array.from(d.y)).toEqual([0, 1, 2, 0, 1, 2]);
      expect(d.test?.name).toBe('fx [test]');
      expect([d.test?.n, d.test?.features]).toEqual([3, 12]);
      expect(d.test?.x[0]).toBe(pixel(6, 0, 0));
      expect(Array.from(d.test?.y ?? [])).toEqual([0, 1, 2]);
    });
  }
  it('takes the first trainRows training rows and keeps the test set whole', async () => {
    const d = await idxDataset(folderFiles(join(FIXTURES, 'plain')), {
      name: 'fx',
      folder: 'fx',
      trainRows: 4,
    });
    expect([d.n, d.x.length, d.test?.n]).toEqual([4, 48, 3]);
  });
  it('refuses more values than maxValues, naming the file and suggesting trainRows', async () => {
    const files = folderFiles(join(FIXTURES, 'plain'));
    expect(await refusal(idxDataset(files, { name: 'fx', folder: 'd', maxValues: 60 }))).toBe(
      'd/train-images-idx3-ubyte: 6 images × 12 pixels = 72 values exceeds the limit of 60; set "trainRows" to use fewer',
    );
    const d = await idxDataset(files, { name: 'fx', folder: 'd', maxValues: 60, trainRows: 5 });
    expect(d.n).toBe(5);
  });
  it('refuses images and labels that disagree in count, naming both files', async () => {
    const files = folderFiles(join(FIXTURES, 'plain'));
    files['t10k-labels-idx1-ubyte'] = Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 2, 0, 1]);
    expect(await refusal(idxDataset(files, { name: 'fx', folder: '/data/fx/' }))).toBe(
      '/data/fx/t10k-images-idx3-ubyte has 3 images but /data/fx/t10k-labels-idx1-ubyte has 2 labels; they must agree',
    );
  });
  it('refuses a missing file, a corrupt one and a label outside the classes', async () => {
    const files: Record<string, Uint8Array> = folderFiles(join(FIXTURES, 'plain'));
    const { 'train-labels-idx1-ubyte': _, ...without } = files;
    expect(await refusal(idxDataset(without, { name: 'fx', folder: 'd' }))).toBe(
      'd/train-labels-idx1-ubyte: missing: the folder needs train-labels-idx1-ubyte or train-labels-idx1-ubyte.gz',
    );
    const bad = { ...files, 'train-images-idx3-ubyte': Uint8Array.from([1, 2, 3, 4, 5]) };
    expect(await refusal(idxDataset(bad, { name: 'fx', folder: 'd' }))).toBe(
      'd/train-images-idx3-ubyte: not an IDX file: wrong magic number 01 02 03 04 (expected 00 00, a type code 08/09/0b/0c/0d/0e, and the number of dimensions)',
    );
    expect(
      await refusal(idxDataset(files, { name: 'fx', folder: 'd', classNames: ['a', 'b'] })),
    ).toBe('d/train-labels-idx1-ubyte: label 2 is 2, outside the 2 classes 0…1');
  });
});

describe('the registry', () => {
  it('fashion-mnist reads the files given and names the folder where none are', async () => {
    const files: DatasetFiles = folderFiles(join(FIXTURES, 'gzip'));
    const f = await loadDataset({ kind: 'fashion-mnist', folder: 'fx', files });
    expect([f.name, f.n, f.classes, f.classNames?.[0]]).toEqual([
      'fashion-mnist',
      6,
      10,
      'T-shirt/top',
    ]);
    const d = await loadDataset({ kind: 'idx', folder: 'fx', files, trainRows: 2 });
    expect([d.name, d.n, d.classes, d.test?.n]).toEqual(['idx', 2, 3, 3]);
    await expect(loadDataset({ kind: 'fashion-mnist' })).rejects.toThrow(
      `dataset "fashion-mnist": the folder "${FASHION_MNIST_FOLDER}" is read by the host`,
    );
    await expect(loadDataset({ kind: 'mnist', files })).rejects.toThrow('"folder"');
  });
});

const fullSet = existsSync(FASHION_MNIST_FOLDER);
describe.skipIf(!fullSet)(
  `the full Fashion-MNIST (skipped: ${FASHION_MNIST_FOLDER} is absent; apt-get install dataset-fashion-mnist)`,
  () => {
    it('has 60,000 training and 10,000 test images of 784 pixels, 6,000 and 1,000 per class', async () => {
      const d = await loadDataset({
        kind: 'fashion-mnist',
        files: folderFiles(FASHION_MNIST_FOLDER),
      });
      expect([d.n, d.features, d.classes, d.test?.n]).toEqual([60000, 784, 10, 10000]);
      expect(d.classNames?.[9]).toBe('Ankle boot');
      const counts = (y: Float64Array) =>
        Array.from({ length: 10 }, (_, c) => y.filter((v) => v === c).length);
      expect(counts(d.y)).toEqual(new Array(10).fill(6000));
      expect(counts(d.test?.y ?? new Float64Array())).toEqual(new Array(10).fill(1000));
      expect(Math.max(...d.x.subarray(0, 784 * 100))).toBe(1);
    });
  },
);

describe('readIdxFolder', () => {
  it('gives the checked bytes, the classes and the image shape without converting pixels', async () => {
    for (const sub of ['plain', 'gzip']) {
      const folder = await readIdxFolder(folderFiles(join(FIXTURES, sub)), { folder: sub });
      expect(folder.imageShape).toEqual([3, 4]);
      expect(folder.classes).toBe(3);
      expect(folder.classNames).toEqual(['0', '1', '2']);
      expect([folder.train.n, folder.test.n, folder.train.features]).toEqual([6, 3, 12]);
      expect(folder.train.pixels).toBeInstanceOf(Uint8Array);
      // Image 7 (the second test image), pixel (2, 3).
      expect(folder.test.pixels[12 + 2 * 4 + 3] / 255).toBe(pixel(7, 2, 3));
      expect(Array.from(folder.test.labels)).toEqual([0, 1, 2]);
    }
  });
  it('refuses what idxDataset refuses, naming the file', async () => {
    const files = folderFiles(join(FIXTURES, 'plain'));
    delete files['t10k-labels-idx1-ubyte'];
    expect(await refusal(readIdxFolder(files, { folder: 'f' }))).toBe(
      'f/t10k-labels-idx1-ubyte: missing: the folder needs t10k-labels-idx1-ubyte or t10k-labels-idx1-ubyte.gz',
    );
  });
  it('idxDataset and the digits dataset say their rows are images', async () => {
    const data = await idxDataset(folderFiles(join(FIXTURES, 'plain')), { name: 'f', folder: 'f' });
    expect(data.imageShape).toEqual([1, 3, 4]);
    expect(data.test?.imageShape).toEqual([1, 3, 4]);
    expect((await loadDataset({ kind: 'digits' })).imageShape).toEqual([1, 8, 8]);
    expect((await loadDataset({ kind: 'iris' })).imageShape).toBeUndefined();
  });
});
