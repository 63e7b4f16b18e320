import { mkdtempSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertSpec, defaultCatalog } from '@optlab/experiment';
import { calibrate } from '../src/renderer/src/lib/calibration.js';
import { estimateRun } from '../src/renderer/src/lib/time-estimate.js';
import { readFolderFiles, validateFolderFileNames } from '../src/main/data-folder.js';

describe('calibration', () => {
  it('times each run briefly and reports its size as the runner counts it', async () => {
    const spec = assertSpec(
      {
        version: 1,
        name: 'c',
        task: {
          kind: 'classification',
          dataset: { type: 'digits' },
          model: { type: 'mlp', hidden: [16] },
        },
        training: { epochs: 20, batchSize: 64, evalEvery: 3 },
        runs: [
          { name: 'SGD', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu' },
          { name: 'Adam', optimizer: { type: 'Adam', lr: 0.01 }, backend: 'cpu', seeds: [0, 1] },
        ],
      },
      defaultCatalog(),
    );
    // A fake clock: 5 ms per reading, so every measured time is a positive multiple of 5 ms.
    let t = 0;
    const runs = await calibrate(spec, { steps: 4, now: () => (t += 5) });
    expect(runs.map((r) => r.name)).toEqual(['SGD', 'Adam']);
    for (const r of runs) {
      // 1797 rows, batch 64: 29 updates an epoch, 20 epochs; evaluations at 3, 6, …, 18 and 20.
      expect(r.totalSteps).toBe(29 * 20);
      expect(r.evaluations).toBe(7);
      expect(r.stepsTimed).toBe(4);
      expect(r.msPerStep).toBeGreaterThan(0);
      expect(r.loadMs).toBeGreaterThan(0);
      expect(r.evalMs).toBeGreaterThan(0);
      expect(estimateRun(r).totalMs).toBeGreaterThan(r.totalSteps * r.msPerStep);
    }
    expect(runs.map((r) => r.seeds)).toEqual([1, 2]);
  });
});

describe("Electron's dataset folder read", () => {
  it('accepts plain file names only', () => {
    expect(validateFolderFileNames(['train-images-idx3-ubyte'])).toEqual([
      'train-images-idx3-ubyte',
    ]);
    for (const bad of [[], ['../x'], ['a/b'], [''], [3], 'x', Array(17).fill('a')]) {
      expect(() => validateFolderFileNames(bad)).toThrow();
    }
  });

  it('reads the asked files, plain else .gz, and leaves missing ones for the page to name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'optlab-folder-'));
    writeFileSync(join(dir, 'a'), Uint8Array.from([1, 2]));
    writeFileSync(join(dir, 'b.gz'), Uint8Array.from([3]));
    writeFileSync(join(dir, 'other'), Uint8Array.from([9]));
    mkdirSync(join(dir, 'd'));
    const read = await readFolderFiles(dir, ['a', 'b', 'c'], 1024);
    expect(read.folder).toBe(dir);
    expect(read.files.map((f) => [f.name, Array.from(f.bytes)])).toEqual([
      ['a', [1, 2]],
      ['b.gz', [3]],
    ]);
    await expect(readFolderFiles(dir, ['d'], 1024)).rejects.toThrow('is not a regular file');
    await expect(readFolderFiles(dir, ['a'], 1)).rejects.toThrow('is larger than 1 bytes (2)');
    // A link the user's folder holds is followed to its file (the user picked the folder).
    symlinkSync(join(dir, 'a'), join(dir, 'e'));
    const linked = await readFolderFiles(dir, ['e'], 1024);
    expect(Array.from(linked.files[0].bytes)).toEqual([1, 2]);
  });
});
