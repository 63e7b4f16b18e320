import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateSpec, defaultCatalog } from '../src/index.js';
import {
  DATA_FILE_LIMIT_BYTES,
  loadDataFiles,
  readRegularFile,
  recordedSpec,
} from '../src/node/index.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'optlab-datafile-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function csvSpec(dataset: Record<string, unknown>) {
  const r = validateSpec(
    {
      version: 1,
      name: 'd',
      task: {
        kind: 'classification',
        dataset: { type: 'csv', ...dataset },
        model: { type: 'mlp', hidden: [2] },
      },
      training: { epochs: 1 },
      runs: [{ name: 'a', optimizer: { type: 'SGD', lr: 0.1 } }],
    },
    defaultCatalog(),
  );
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

describe('readRegularFile', () => {
  it('enforces the size limit before reading, and reads files at the limit', () => {
    const dir = tmp();
    const file = join(dir, 'a.csv');
    writeFileSync(file, 'x'.repeat(1024));
    expect(readRegularFile(file, 1023)).toEqual({
      ok: false,
      why: 'is 1024 bytes, over the limit of 1023 bytes (0 MiB)',
    });
    const read = readRegularFile(file, 1024);
    expect(read.ok && read.bytes.length).toBe(1024);
    expect(DATA_FILE_LIMIT_BYTES).toBe(256 * 2 ** 20);
  });
  it('refuses devices without reading them', () => {
    expect(readRegularFile('/dev/zero', 1e12)).toEqual({
      ok: false,
      why: 'is not a regular file (a device, pipe or socket)',
    });
  });
});

describe('loadDataFiles', () => {
  it('names task.dataset.path when the file is over the limit', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'big.csv'), 'x,y\n1,a\n2,b\n'.repeat(100_000));
    const r = await loadDataFiles(
      { kind: 'experiment', spec: csvSpec({ path: 'big.csv' }) },
      { specDir: dir, limitBytes: 2 ** 20 },
    );
    expect(r).toEqual({
      ok: false,
      issues: [
        {
          path: 'task.dataset.path',
          message:
            'big.csv: cannot read data: is 1200000 bytes, over the limit of 1048576 bytes (1 MiB)',
        },
      ],
    });
  });
  it('reads the file into text; the recorded spec keeps the absolute path only', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'ok.csv'), 'x,y\n1,a\n2,b\n');
    const r = await loadDataFiles(
      { kind: 'experiment', spec: csvSpec({ path: 'ok.csv' }) },
      { specDir: dir },
    );
    if (!r.ok || r.value.kind !== 'experiment') throw new Error('expected the data to load');
    expect(r.value.spec.task).toMatchObject({
      dataset: { type: 'csv', path: join(dir, 'ok.csv'), text: 'x,y\n1,a\n2,b\n' },
    });
    expect(recordedSpec(r.value.spec).task).toMatchObject({
      dataset: { type: 'csv', path: join(dir, 'ok.csv') },
    });
    expect('text' in (recordedSpec(r.value.spec).task as { dataset: object }).dataset).toBe(false);
  });
});
