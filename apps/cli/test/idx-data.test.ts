import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FASHION_MNIST_FOLDER } from '@optlab/models';
import { optlab } from './capture.js';

/** The committed MNIST-format fixtures: 6 training and 3 test images of 3×4 pixels, 3 classes. */
const FIXTURES = new URL('../../../libs/models/test/fixtures/idx/', import.meta.url).pathname;

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A temporary folder holding `data/`, a copy of the fixture folder `kind` (plain or gzip). */
function workspace(kind: 'plain' | 'gzip'): { dir: string; data: string } {
  const dir = mkdtempSync(join(tmpdir(), 'optlab-idx-'));
  dirs.push(dir);
  const data = join(dir, 'data');
  mkdirSync(data);
  for (const f of readdirSync(join(FIXTURES, kind)))
    copyFileSync(join(FIXTURES, kind, f), join(data, f));
  return { dir, data };
}

function writeSpec(
  dir: string,
  dataset: Record<string, unknown>,
  task: Record<string, unknown> = {},
) {
  const path = join(dir, 'spec.json');
  const spec = {
    version: 1,
    name: 'idx',
    task: {
      kind: 'classification',
      dataset,
      model: { type: 'mlp', hidden: [4] },
      testFraction: 0,
      ...task,
    },
    training: { epochs: 2, batchSize: 3 },
    runs: [{ name: 'adam', optimizer: { type: 'Adam', lr: 0.01 }, backend: 'cpu64' }],
  };
  writeFileSync(path, JSON.stringify(spec));
  return path;
}

describe('optlab run: IDX data from a folder', () => {
  for (const kind of ['plain', 'gzip'] as const) {
    it(`reads "folder" relative to the spec file (${kind}); tests on the t10k files; spec.json names the folder`, async () => {
      const { dir, data } = workspace(kind);
      const out = join(dir, 'out');
      const r = await optlab([
        'run',
        writeSpec(dir, { type: 'idx', folder: 'data' }),
        '--out',
        out,
        '--json',
      ]);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([]);
      expect(r.code).toBe(0);
      const run = JSON.parse(r.stdout).summary.runs[0];
      expect(run.status).toBe('done');
      // 3 test images: the accuracy is a multiple of 1/3, so it was measured on the t10k files.
      expect([0, 1, 2, 3].map((k) => k / 3)).toContainEqual(run.testAccuracy);
      const recorded = JSON.parse(readFileSync(join(out, 'spec.json'), 'utf8'));
      expect(recorded.task.dataset).toEqual({ type: 'idx', folder: data });
    });
  }

  it('a corrupt IDX file: exit 2, a message naming the file and what is wrong, no output folder', async () => {
    const { dir, data } = workspace('plain');
    writeFileSync(join(data, 'train-images-idx3-ubyte'), 'not an idx file');
    const out = join(dir, 'out');
    const r = await optlab(['run', writeSpec(dir, { type: 'idx', folder: 'data' }), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: task.dataset.folder: ${data}/train-images-idx3-ubyte: not an IDX file: wrong magic number 6e 6f 74 20 (expected 00 00, a type code 08/09/0b/0c/0d/0e, and the number of dimensions)\n`,
    );
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('a truncated file (expected and actual bytes), and a truncated gzip file', async () => {
    const { dir, data } = workspace('plain');
    const file = join(data, 't10k-images-idx3-ubyte');
    writeFileSync(file, readFileSync(file).subarray(0, 50));
    const r = await optlab([
      'run',
      writeSpec(dir, { type: 'idx', folder: data }),
      '--out',
      join(dir, 'o'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: task.dataset.folder: ${file}: truncated IDX file: dimensions 3 × 3 × 4 of unsigned byte need 52 bytes, the file has 50\n`,
    );
    const gz = workspace('gzip');
    const gzFile = join(gz.data, 'train-images-idx3-ubyte.gz');
    writeFileSync(gzFile, readFileSync(gzFile).subarray(0, 30));
    const g = await optlab([
      'run',
      writeSpec(gz.dir, { type: 'idx', folder: 'data' }),
      '--out',
      join(gz.dir, 'o'),
    ]);
    expect(g.code).toBe(2);
    expect(g.stderr).toMatch(
      new RegExp(
        `^error: task\\.dataset\\.folder: ${gzFile}: not a valid gzip file \\(.+\\); it may be truncated or corrupt\\n$`,
      ),
    );
  });

  it('images and labels that disagree in count: exit 2 naming both files', async () => {
    const { dir, data } = workspace('plain');
    writeFileSync(
      join(data, 'train-labels-idx1-ubyte'),
      Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 2, 0, 1]),
    );
    const r = await optlab([
      'run',
      writeSpec(dir, { type: 'mnist', folder: 'data' }),
      '--out',
      join(dir, 'o'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: task.dataset.folder: ${data}/train-images-idx3-ubyte has 6 images but ${data}/train-labels-idx1-ubyte has 2 labels; they must agree\n`,
    );
  });

  it('a missing folder says how to get Fashion-MNIST; a missing file names what the folder needs', async () => {
    const { dir, data } = workspace('plain');
    const r = await optlab([
      'run',
      writeSpec(dir, { type: 'fashion-mnist', folder: 'nowhere' }),
      '--out',
      join(dir, 'o'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: task.dataset.folder: ${join(dir, 'nowhere')}: no such folder; Fashion-MNIST: apt-get install dataset-fashion-mnist (as root) installs it in /usr/share/datasets/fashion-mnist/\n`,
    );
    rmSync(join(data, 't10k-labels-idx1-ubyte'));
    const m = await optlab([
      'run',
      writeSpec(dir, { type: 'idx', folder: 'data' }),
      '--out',
      join(dir, 'o'),
    ]);
    expect(m.code).toBe(2);
    expect(m.stderr).toBe(
      `error: task.dataset.folder: ${data}: has neither t10k-labels-idx1-ubyte nor t10k-labels-idx1-ubyte.gz; an MNIST-format folder holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each plain or .gz)\n`,
    );
    expect(existsSync(join(dir, 'o'))).toBe(false);
  });

  it('a test split asked of a dataset with its own test set: exit 2 naming task.testFraction', async () => {
    const { dir } = workspace('plain');
    const spec = writeSpec(dir, { type: 'idx', folder: 'data' }, { testFraction: 0.2 });
    const r = await optlab(['run', spec, '--out', join(dir, 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: task.testFraction: the idx dataset brings its own test set (the t10k files): set testFraction to 0\n',
    );
  });

  it('mnist and idx need a folder: exit 2 naming task.dataset.folder', async () => {
    const { dir } = workspace('plain');
    const r = await optlab(['run', writeSpec(dir, { type: 'mnist' }), '--out', join(dir, 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: task\.dataset\.folder: .*required/);
  });
});

describe.skipIf(!existsSync(FASHION_MNIST_FOLDER))(
  `optlab run on the full Fashion-MNIST (skipped: ${FASHION_MNIST_FOLDER} is absent; apt-get install dataset-fashion-mnist)`,
  () => {
    it('the default folder: 6,000 training images, tested on the official test set', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'optlab-fmnist-'));
      dirs.push(dir);
      const spec = writeSpec(
        dir,
        { type: 'fashion-mnist', trainRows: 6000 },
        { model: { type: 'logistic-regression' } },
      );
      const r = await optlab(['run', spec, '--out', join(dir, 'out'), '--json']);
      expect(r.code).toBe(0);
      const run = JSON.parse(r.stdout).summary.runs[0];
      // testFraction is 0: a test accuracy can only come from the t10k files (10,000 images,
      // counted in libs/models/test/idx.test.ts).
      expect(run.testAccuracy).toBeGreaterThan(0.7);
      const recorded = JSON.parse(readFileSync(join(dir, 'out', 'spec.json'), 'utf8'));
      expect(recorded.task.dataset).toEqual({
        type: 'fashion-mnist',
        trainRows: 6000,
        folder: FASHION_MNIST_FOLDER,
      });
    });

    it('optlab bench reads a built-in suite’s Fashion-MNIST folder as run does', async () => {
      // It once passed the suite to the runner unread: exit 3, "the folder … is read by the
      // host". Cancelled once the first training starts, so only the data loading is timed.
      const dir = mkdtempSync(join(tmpdir(), 'optlab-fmnist-'));
      dirs.push(dir);
      const controller = new AbortController();
      let stderr = '';
      const r = await optlab(
        [
          'bench',
          'deepobs-small',
          '--only',
          'deepobs-fmnist-logreg',
          '--jobs',
          '1',
          '--out',
          join(dir, 'out'),
        ],
        {
          signal: controller.signal,
          stderr: (t) => {
            stderr += t;
            if (t.includes('(seed 0) on cpu')) controller.abort();
          },
        },
      );
      expect(stderr).not.toContain('internal error');
      expect(stderr).toContain('SGD[lr=0.0316] (seed 0) on cpu');
      expect(r.code).toBe(130);
      const recorded = JSON.parse(
        readFileSync(join(dir, 'out', 'deepobs-fmnist-logreg', 'spec.json'), 'utf8'),
      );
      expect(recorded.task.dataset).toEqual({
        type: 'fashion-mnist',
        trainRows: 10000,
        folder: FASHION_MNIST_FOLDER,
      });
    });
  },
);
