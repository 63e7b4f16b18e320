import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { optlab } from './capture.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'optlab-data-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const GOOD = 'x1,x2,label\n0,0,a\n1,0,b\n0,1,a\n1,1,b\n2,0,a\n0,2,b\n';
const REGRESSION = 'x,y\n0,0.5\n1,1.7\n2,3.1\n3,4.4\n4,5.9\n';

function spec(kind: 'classification' | 'regression', dataset: Record<string, unknown>) {
  return {
    version: 1,
    name: 'data',
    task: {
      kind,
      dataset: { type: 'csv', ...dataset },
      model: kind === 'regression' ? { type: 'linear-regression' } : { type: 'mlp', hidden: [4] },
      testFraction: 0,
    },
    training: { epochs: 1, batchSize: 2 },
    runs: [{ name: 'sgd', optimizer: { type: 'SGD', lr: 0.01 }, backend: 'cpu64' }],
  };
}

function write(dir: string, name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('optlab run: CSV data from a file', () => {
  it('reads "path" relative to the spec file; spec.json records the absolute path, not the text', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'specs', 'data'), { recursive: true });
    const csv = write(join(dir, 'specs', 'data'), 'points.csv', GOOD);
    const specPath = write(
      join(dir, 'specs'),
      'spec.json',
      spec('classification', { path: 'data/points.csv' }),
    );
    const out = join(dir, 'out');
    const r = await optlab(['run', specPath, '--out', out]);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error'))).toEqual([]);
    expect(r.code).toBe(0);
    const recorded = JSON.parse(readFileSync(join(out, 'spec.json'), 'utf8'));
    expect(recorded.task.dataset).toEqual({ type: 'csv', path: csv });
  });

  it('--data FILE fills the csv dataset (relative to the working folder)', async () => {
    const dir = tmp();
    const csv = write(dir, 'points.csv', GOOD);
    const specPath = write(dir, 'spec.json', spec('classification', { text: 'broken' }));
    const out = join(dir, 'out');
    const r = await optlab(['run', specPath, '--data', csv, '--out', out, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.runs[0].status).toBe('done');
    expect(JSON.parse(readFileSync(join(out, 'spec.json'), 'utf8')).task.dataset.path).toBe(csv);
  });

  it('a bad CSV file: exit 2, the JSON path, line and column, and no output folder', async () => {
    const dir = tmp();
    write(dir, 'bad.csv', 'x1,x2,label\n0,0,a\n1,abc,b\n');
    const specPath = write(dir, 'spec.json', spec('classification', { path: 'bad.csv' }));
    const out = join(dir, 'out');
    const r = await optlab(['run', specPath, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: task.dataset.path: bad.csv: CSV line 3, column 2 ("x2"): "abc" is not a number\n',
    );
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('bad inline text, and no data at all: exit 2, no output folder', async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    const headerOnly = await optlab([
      'run',
      write(dir, 'a.json', spec('classification', { text: 'x,label\n' })),
      '--out',
      out,
    ]);
    expect(headerOnly.code).toBe(2);
    expect(headerOnly.stderr).toBe(
      'error: task.dataset.text: CSV: no data rows after the header (line 1)\n',
    );
    const none = await optlab([
      'run',
      write(dir, 'b.json', spec('classification', {})),
      '--out',
      out,
    ]);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(
      'error: task.dataset.text: the CSV contents are required: give "text", or a file in "path"\n',
    );
    const both = await optlab([
      'run',
      write(dir, 'c.json', spec('classification', { text: GOOD, path: 'x.csv' })),
      '--out',
      out,
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe(
      'error: task.dataset.path: give the CSV as "text" or as "path", not both\n',
    );
    expect(existsSync(out)).toBe(false);
  });

  it("a suite checks every experiment's data before it runs any", async () => {
    const dir = tmp();
    const good = spec('classification', { text: GOOD });
    const bad = { ...spec('classification', { text: 'x,label\n1,a\n2\n' }), name: 'second' };
    const suite = {
      version: 1,
      kind: 'suite',
      name: 's',
      tuningBudget: 'none',
      experiments: [good, bad],
    };
    const out = join(dir, 'out');
    const r = await optlab(['run', write(dir, 'suite.json', suite), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: experiments[1].task.dataset.text: CSV line 3: 1 cell, expected 2 (as in the header)\n',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('missing, folder, device and non-UTF-8 data files are refused, naming task.dataset.path', async () => {
    const dir = tmp();
    const specPath = write(dir, 'spec.json', spec('classification', { path: 'nope.csv' }));
    const out = join(dir, 'out');
    const missing = await optlab(['run', specPath, '--out', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'error: task.dataset.path: nope.csv: cannot read data: no such file\n',
    );
    const folder = await optlab(['run', specPath, '--data', dir, '--out', out]);
    expect(folder.stderr).toBe(
      `error: task.dataset.path: ${dir} (--data): cannot read data: is a folder, not a file\n`,
    );
    const device = await optlab(['run', specPath, '--data', '/dev/zero', '--out', out]);
    expect(device.code).toBe(2);
    expect(device.stderr).toBe(
      'error: task.dataset.path: /dev/zero (--data): cannot read data: is not a regular file (a device, pipe or socket)\n',
    );
    writeFileSync(join(dir, 'latin1.csv'), Buffer.from('x,label\n1,caf\xe9\n2,b\n', 'latin1'));
    const latin1 = await optlab(['run', specPath, '--data', join(dir, 'latin1.csv'), '--out', out]);
    expect(latin1.stderr).toBe(
      `error: task.dataset.path: ${join(dir, 'latin1.csv')} (--data): CSV: invalid UTF-8 at byte 13 (save the file as UTF-8)\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('--data on a spec without a csv dataset is refused', async () => {
    const dir = tmp();
    const fn = {
      version: 1,
      name: 'f',
      task: { kind: 'function', function: { type: 'x-squared' }, start: [2] },
      training: { steps: 2 },
      runs: [{ name: 'sgd', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu64' }],
    };
    const r = await optlab([
      'run',
      write(dir, 'f.json', fn),
      '--data',
      'x.csv',
      '--out',
      join(dir, 'o'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --data x.csv: the spec has no csv dataset to read it into\n');
    expect(existsSync(join(dir, 'o'))).toBe(false);
  });
});

describe('optlab run: the task kind decides how a CSV label column is read', () => {
  it('a regression task reads the label column as a target (it crashed before)', async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    const r = await optlab([
      'run',
      write(dir, 'spec.json', spec('regression', { text: REGRESSION })),
      '--out',
      out,
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.runs[0].status).toBe('done');
  });

  it('a regression CSV under a classification task is refused, not trained on 5 classes', async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    const r = await optlab([
      'run',
      write(dir, 'spec.json', spec('classification', { text: REGRESSION })),
      '--out',
      out,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: task.dataset.text: CSV line 2, column 2 ("y"): the label "0.5" is not a whole number; a classification label is a name or a whole number (for a numeric target use a regression task)\n',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('a dataset "task" that disagrees with the task kind is a spec error', async () => {
    const dir = tmp();
    const r = await optlab([
      'run',
      write(dir, 'spec.json', spec('regression', { text: REGRESSION, task: 'classification' })),
      '--out',
      join(dir, 'out'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: task.dataset.task: the dataset is read for classification, but the task is regression; leave "task" out (the task\'s kind is its default) or make them agree\n',
    );
  });
});

describe('optlab run: the spec file itself is bounded', () => {
  it('refuses a device such as /dev/zero (it grew to 4.3 GB before)', async () => {
    const r = await optlab(['run', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: /dev/zero: cannot read spec: is not a regular file (a device, pipe or socket)\n',
    );
  });

  it('refuses a spec file over 16 MiB before reading it, and a folder', async () => {
    const dir = tmp();
    const big = join(dir, 'big.json');
    writeFileSync(big, Buffer.alloc(16 * 2 ** 20 + 1, 0x20));
    const r = await optlab(['run', big]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: ${big}: cannot read spec: is 16777217 bytes, over the limit of 16777216 bytes (16 MiB)\n`,
    );
    const folder = await optlab(['run', dir]);
    expect(folder.stderr).toBe(`error: ${dir}: cannot read spec: is a folder, not a file\n`);
  });
});
