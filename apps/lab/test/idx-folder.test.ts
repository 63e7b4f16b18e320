import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertSpec, defaultCatalog } from '@optlab/experiment';
import {
  checkFolder,
  describeFolder,
  folderFilesOf,
  loadPickedFolder,
  pickedFolderName,
  samplesPerClass,
  type PickedFolderFile,
} from '../src/renderer/src/lib/idx-folder.js';
import {
  FolderStore,
  withDatasetFiles,
  withoutDatasetFiles,
} from '../src/renderer/src/lib/folder-data.js';
import { confusionAccuracy, confusionRows, cellColor } from '../src/renderer/src/lib/confusion.js';
import { grayLevels, imagePlane, scaleFor } from '../src/renderer/src/lib/gray-image.js';
import { dataSize, mayTakeLong } from '../src/renderer/src/lib/long-run.js';

/** The IDX fixtures of libs/models: 6 training and 3 test images of 3×4 pixels, 3 classes. */
const FIXTURES = join(import.meta.dirname, '../../../libs/models/test/fixtures/idx');

function picked(sub: string, change: Record<string, Uint8Array | null> = {}): PickedFolderFile[] {
  const dir = join(FIXTURES, sub);
  const files = Object.fromEntries(
    readdirSync(dir).map((n) => [n, new Uint8Array(readFileSync(join(dir, n)))] as const),
  ) as Record<string, Uint8Array | null>;
  Object.assign(files, change);
  return Object.entries(files).flatMap(([name, bytes]) =>
    bytes === null
      ? []
      : [
          {
            name,
            size: bytes.length,
            webkitRelativePath: `${sub}/${name}`,
            arrayBuffer: async () => bytes.slice().buffer,
          },
        ],
  );
}

describe('a picked IDX folder', () => {
  it('is read from a directory input, plain or gzip, and described', async () => {
    for (const sub of ['plain', 'gzip']) {
      const r = await loadPickedFolder(picked(sub), 'idx');
      if (!r.ok) throw new Error(r.error);
      expect(r.loaded.folder).toBe(sub);
      expect(describeFolder(r.loaded.data)).toBe('6 training and 3 test images of 3×4, 3 classes');
      // Labels 0 1 2 0 1 2: the first two images of each class, in file order.
      expect(samplesPerClass(r.loaded.data, 2)).toEqual([
        [0, 3],
        [1, 4],
        [2, 5],
      ]);
      expect(samplesPerClass(r.loaded.data, 8)).toEqual([
        [0, 3],
        [1, 4],
        [2, 5],
      ]);
    }
    expect(
      pickedFolderName([{ name: 'a', size: 0, arrayBuffer: async () => new ArrayBuffer(0) }]),
    ).toBe('picked files');
  });

  it('names the missing, truncated or corrupt file', async () => {
    const missing = await loadPickedFolder(
      picked('plain', { 't10k-labels-idx1-ubyte': null }),
      'idx',
    );
    expect(missing).toEqual({
      ok: false,
      error:
        'plain/t10k-labels-idx1-ubyte: missing: the folder needs t10k-labels-idx1-ubyte or t10k-labels-idx1-ubyte.gz',
    });
    const truncated = await loadPickedFolder(
      picked('plain', { 'train-images-idx3-ubyte': Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 6]) }),
      'idx',
    );
    expect(truncated).toEqual({
      ok: false,
      error:
        'plain/train-images-idx3-ubyte: truncated IDX file: the header of 3 dimensions needs 16 bytes, the file has 8',
    });
    const magic = await loadPickedFolder(
      picked('plain', { 'train-labels-idx1-ubyte': Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0]) }),
      'idx',
    );
    expect(magic.ok ? '' : magic.error).toMatch(
      /^plain\/train-labels-idx1-ubyte: not an IDX file: wrong magic number 50 4b 03 04/,
    );
    const none = await loadPickedFolder(
      picked('plain', {
        'train-images-idx3-ubyte': null,
        'train-labels-idx1-ubyte': null,
        't10k-images-idx3-ubyte': null,
        't10k-labels-idx1-ubyte': null,
        'notes.txt': new Uint8Array(3),
      }),
      'idx',
    );
    expect(none.ok ? '' : none.error).toBe(
      'plain: none of the IDX files is there; an MNIST-format folder holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each plain or .gz)',
    );
    const big = picked('plain').map((f) =>
      f.name.startsWith('train-images') ? { ...f, size: 65 * 2 ** 20 } : f,
    );
    expect(await loadPickedFolder(big, 'idx')).toEqual({
      ok: false,
      error:
        'train-images-idx3-ubyte is 65 MiB; the lab reads files up to 64 MiB (the CLI reads larger ones)',
    });
  });

  it("gets Fashion-MNIST's class names for its labels", async () => {
    expect(folderFilesOf('fashion-mnist')).toHaveLength(4);
    expect(folderFilesOf('iris')).toBeNull();
    const files = Object.fromEntries(
      await Promise.all(
        picked('plain').map(async (f) => [f.name, new Uint8Array(await f.arrayBuffer())] as const),
      ),
    );
    const r = await checkFolder('f', files, 'fashion-mnist');
    if (!r.ok) throw new Error(r.error);
    expect(r.loaded.data.classNames.slice(0, 3)).toEqual(['T-shirt/top', 'Trouser', 'Pullover']);
  });
});

describe('the folder store', () => {
  const spec = (dataset: Record<string, unknown>) => ({
    version: 1,
    name: 'x',
    task: { kind: 'classification', dataset, model: { type: 'mlp' } },
    training: { epochs: 2 },
    runs: [{ name: 'a', optimizer: { type: 'SGD', lr: 0.1 } }],
  });

  it('hands the picked bytes to the spec, and names a folder not picked here as a problem', async () => {
    const store = new FolderStore();
    const s = spec({ type: 'idx', folder: 'plain' });
    expect(store.problems(s)).toEqual([
      "task.dataset.folder: the lab reads the idx files from a folder you pick (plain): choose the folder in the task's form",
    ]);
    expect(store.withFiles(s)).toBe(s);
    const r = await loadPickedFolder(picked('plain'), 'idx');
    if (!r.ok) throw new Error(r.error);
    store.set(r.loaded);
    expect(store.problems(s)).toEqual([]);
    const withFiles = store.withFiles(s) as { task: { dataset: { files: unknown } } };
    expect(withFiles.task.dataset.files).toBe(r.loaded.files);
    // Validation refuses the bytes as an option: taken out, validated, put back.
    const { spec: plain, files } = withoutDatasetFiles(withFiles);
    expect(files).toBe(r.loaded.files);
    const checked = withDatasetFiles(assertSpec(plain, defaultCatalog()), files);
    expect((checked.task as { dataset: { files: unknown } }).dataset.files).toBe(files);
    expect(store.problems(spec({ type: 'iris' }))).toEqual([]);
    // 6 rows × 12 pixels × 2 epochs: quick.
    expect(dataSize(s, store)).toEqual({ rows: 6, features: 12 });
    expect(mayTakeLong(s, store)).toBe(false);
  });

  it('calls a run long from its size alone: digits × 100 epochs is, iris × 100 is not', () => {
    const store = new FolderStore();
    const digits = { ...spec({ type: 'digits' }), training: { epochs: 100 } };
    expect(dataSize(digits, store)).toEqual({ rows: 1797, features: 64 });
    expect(mayTakeLong(digits, store)).toBe(true);
    expect(mayTakeLong({ ...spec({ type: 'iris' }), training: { epochs: 100 } }, store)).toBe(
      false,
    );
    expect(mayTakeLong({ ...digits, training: { steps: 10, batchSize: 32 } }, store)).toBe(false);
  });
});

describe('the confusion matrix and images as drawn', () => {
  const report = {
    split: 'test' as const,
    rows: 6,
    classes: 2,
    classNames: ['a', 'b'],
    confusion: [3, 1, 0, 2],
    misclassifiedCount: 1,
    misclassified: [],
    imageShape: null,
  };
  it('colours each cell by its share of the true class', () => {
    expect(confusionRows(report)).toEqual([
      [
        { count: 3, share: 0.75 },
        { count: 1, share: 0.25 },
      ],
      [
        { count: 0, share: 0 },
        { count: 2, share: 1 },
      ],
    ]);
    expect(confusionAccuracy(report)).toBe(5 / 6);
    expect(cellColor(0.75, true)).toBe('rgba(37, 99, 235, 0.750)');
    expect(cellColor(2, false)).toBe('rgba(220, 38, 38, 1.000)');
  });
  it('keeps bytes and stretches other pixels to 0…255', () => {
    expect(Array.from(grayLevels(Uint8Array.from([0, 7, 255])))).toEqual([0, 7, 255]);
    expect(Array.from(grayLevels([-1, 0, 1]))).toEqual([0, 128, 255]);
    expect(Array.from(grayLevels([0.5, 0.5]))).toEqual([0, 0]);
    expect(scaleFor([28, 28], 56)).toBe(2);
    expect(scaleFor([3, 4], 32)).toBe(8);
    // A dataset's [C, H, W] draws its H × W plane.
    expect(scaleFor([1, 28, 28], 56)).toBe(2);
    expect(imagePlane([1, 8, 8], 64)).toEqual([8, 8]);
    expect(imagePlane([28, 28], 784)).toEqual([28, 28]);
    expect(imagePlane([784], 784)).toEqual([1, 784]);
  });
});
