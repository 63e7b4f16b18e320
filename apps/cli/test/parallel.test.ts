import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, TIMING_COLUMNS, parseCsvLine, withoutTiming } from '@optlab/experiment';
import { optlab } from './capture.js';

/**
 * `--jobs N`, `--shard K/N` and `optlab merge` write the files of a sequential run, apart from
 * timing fields. The pool's workers run from the TypeScript sources here.
 */
const dir = mkdtempSync(join(tmpdir(), 'optlab-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = {
  version: 1,
  name: 'four optimizers',
  task: {
    kind: 'classification',
    dataset: { type: 'moons', n: 200, noise: 0.2, seed: 3 },
    model: { type: 'mlp', hidden: [8] },
    testFraction: 0.25,
  },
  training: { epochs: 4, batchSize: 16 },
  runs: [
    { name: 'sgd', optimizer: { type: 'SGD', lr: 0.1 } },
    { name: 'momentum', optimizer: { type: 'SGD', lr: 0.05, momentum: 0.9 }, seeds: [0, 1] },
    { name: 'adam', optimizer: { type: 'Adam', lr: 0.01 } },
    { name: 'nadam', optimizer: { type: 'NAdam', lr: 0.01 } },
  ],
};
const specPath = join(dir, 'spec.json');
writeFileSync(specPath, JSON.stringify(spec));

/** A result folder's files without their timing fields (and columns). */
function results(folder: string) {
  const read = (name: string) => readFileSync(join(folder, name), 'utf8');
  const csv = read('results.csv').trimEnd().split('\n').map(parseCsvLine);
  const keep = CSV_COLUMNS.map((c, i) =>
    (TIMING_COLUMNS as readonly string[]).includes(c) ? -1 : i,
  ).filter((i) => i >= 0);
  return {
    spec: read('spec.json'),
    metrics: read('metrics.jsonl')
      .trimEnd()
      .split('\n')
      .map((line) => withoutTiming(JSON.parse(line))),
    summary: withoutTiming(JSON.parse(read('summary.json'))),
    csv: csv.map((row) => keep.map((i) => row[i])),
  };
}

async function run(out: string, ...args: string[]) {
  const r = await optlab(['run', specPath, '--out', out, ...args]);
  expect(r.stderr).not.toMatch(/^error/m);
  expect(r.code).toBe(0);
  return r;
}

describe('optlab run --jobs', () => {
  it('writes the files of --jobs 1 with --jobs 2, apart from timings', async () => {
    await run(join(dir, 'jobs1'), '--jobs', '1');
    await run(join(dir, 'jobs2'), '--jobs', '2');
    const one = results(join(dir, 'jobs1'));
    const two = results(join(dir, 'jobs2'));
    expect(two).toEqual(one);
    expect(one.csv).toHaveLength(6);
    expect(one.metrics.filter((e) => (e as { type: string }).type === 'end')).toHaveLength(5);
    // The timing columns say how the runs were scheduled.
    const shared = (folder: string) =>
      JSON.parse(readFileSync(join(dir, folder, 'summary.json'), 'utf8')).runs.map(
        (m: { concurrentRuns: number }) => m.concurrentRuns,
      );
    expect(shared('jobs1')).toEqual([1, 1, 1, 1, 1]);
    // The first run timed on the pool started while both workers had a run: it saw 2.
    expect(Math.max(...shared('jobs2'))).toBe(2);
    for (const n of shared('jobs2')) expect([1, 2]).toContain(n);
  }, 120_000);

  it('refuses a --jobs that is not a whole number from 1 to 256, before reading the spec', async () => {
    for (const bad of ['0', '-1', '2.5', 'two', '257']) {
      const r = await optlab(['run', join(dir, 'missing.json'), '--jobs', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `error: --jobs: "${bad}" is not a whole number of jobs from 1 to 256\n`,
      );
    }
  });
});

describe('optlab run --shard and optlab merge', () => {
  it('merges shards 1/3, 2/3 and 3/3 into the files of the unsharded run', async () => {
    await run(join(dir, 'whole'), '--jobs', '1');
    const r1 = await run(join(dir, 's1'), '--shard', '1/3', '--jobs', '1');
    expect(r1.stderr).toMatch(/^shard 1\/3: 2 of 5 runs$/m);
    await run(join(dir, 's2'), '--shard', '2/3', '--jobs', '2');
    await run(join(dir, 's3'), '--shard', '3/3', '--jobs', '1');
    const record = JSON.parse(readFileSync(join(dir, 's2', 'shard.json'), 'utf8'));
    expect(record).toMatchObject({
      shard: '2/3',
      index: 2,
      count: 3,
      totalUnits: 5,
      units: [
        { index: 1, run: 'momentum', seed: 0 },
        { index: 4, run: 'nadam', seed: 0 },
      ],
    });
    expect(record.specHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Given in any order.
    const m = await optlab([
      'merge',
      join(dir, 's3'),
      join(dir, 's1'),
      join(dir, 's2'),
      '--out',
      join(dir, 'merged'),
    ]);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    expect(m.stdout).toMatch(/^merged 3 shards of four optimizers/);
    expect(results(join(dir, 'merged'))).toEqual(results(join(dir, 'whole')));
  }, 180_000);

  it('refuses shards of different specs, naming both folders (exit 2)', async () => {
    const otherPath = join(dir, 'other.json');
    writeFileSync(otherPath, JSON.stringify({ ...spec, training: { epochs: 3, batchSize: 16 } }));
    const o = await optlab(['run', otherPath, '--out', join(dir, 'o2'), '--shard', '2/3']);
    expect(o.code).toBe(0);
    const a = join(dir, 's1');
    const b = join(dir, 'o2');
    const r = await optlab(['merge', a, b, join(dir, 's3'), '--out', join(dir, 'bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^error: ${a} and ${b} are shards of different specs \\(spec hashes sha256:[0-9a-f]{64} ` +
          `and sha256:[0-9a-f]{64}\\): only shards of one spec merge\\n$`,
      ),
    );
  }, 120_000);

  it('refuses a missing shard, a shard given twice, and a folder that is no shard', async () => {
    const missing = await optlab([
      'merge',
      join(dir, 's1'),
      join(dir, 's3'),
      '--out',
      join(dir, 'x'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'error: shard 2/3 is missing: merge needs every shard of the spec\n',
    );
    const twice = await optlab([
      'merge',
      join(dir, 's1'),
      join(dir, 's2'),
      join(dir, 's2'),
      join(dir, 's3'),
      '--out',
      join(dir, 'x'),
    ]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toBe(
      `error: shard 2/3 is given twice: ${join(dir, 's2')} and ${join(dir, 's2')}\n`,
    );
    const whole = await optlab(['merge', join(dir, 'whole'), '--out', join(dir, 'x')]);
    expect(whole.code).toBe(2);
    expect(whole.stderr).toBe(
      `error: ${join(dir, 'whole')}: not a shard folder (no shard.json): run it with --shard K/N\n`,
    );
    const noOut = await optlab(['merge', join(dir, 's1')]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/required option '--out <dir>' not specified/);
  });

  it('refuses a bad --shard, and --shard on a suite', async () => {
    for (const [bad, why] of [
      ['0/3', '"0/3": K must be 1 … 3, not 0'],
      ['4/3', '"4/3": K must be 1 … 3, not 4'],
      ['1/0', '"1/0": N must be 1 … 10000, not 0'],
      ['half', '"half" is not K/N (for example 2/3)'],
    ]) {
      const r = await optlab(['run', specPath, '--shard', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`error: --shard: ${why}\n`);
    }
    const suitePath = join(dir, 'suite.json');
    writeFileSync(
      suitePath,
      JSON.stringify({
        version: 1,
        kind: 'suite',
        name: 's',
        tuningBudget: 'none',
        experiments: [spec],
      }),
    );
    const r = await optlab(['run', suitePath, '--shard', '1/2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "error: --shard: shards split the runs of one experiment; run a suite's experiments as specs\n",
    );
  });
});

describe('optlab run --shard and optlab merge on comparisons (sweeps, protocols)', () => {
  /** Two optimizers, 4 learning rates each (SGD's largest diverges), a validation split. */
  const sweep = {
    version: 1,
    name: 'swept',
    task: {
      kind: 'classification',
      dataset: { type: 'moons', n: 200, noise: 0.2, seed: 3 },
      model: { type: 'mlp', hidden: [8] },
      testFraction: 0.25,
      validationFraction: 0.2,
    },
    training: { epochs: 2, batchSize: 16 },
    runs: [
      {
        name: 'SGD',
        optimizer: { type: 'SGD' },
        sweep: { 'optimizer.lr': [0.01, 0.1, 1, 1e6] },
      },
      {
        name: 'Adam',
        optimizer: { type: 'Adam' },
        sweep: { 'optimizer.lr': { logspace: [1e-3, 1, 4] } },
      },
    ],
  };
  const withRerun = {
    ...sweep,
    name: 'swept and rerun',
    protocol: { tuneSeeds: [0], rerunSeeds: [1, 2] },
  };
  const write = (name: string, doc: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(doc));
    return path;
  };
  const sweepPath = write('sweep.json', sweep);
  const rerunPath = write('rerun.json', withRerun);

  it('merges the shards of a sweep into the files of the unsharded run, selection and statistics included', async () => {
    const whole = await optlab([
      'run',
      sweepPath,
      '--out',
      join(dir, 'sweep-whole'),
      '--jobs',
      '2',
    ]);
    // SGD at lr 1e6 diverged while tuning: part of the search, not a reported result, so exit 0.
    expect(whole.code).toBe(0);
    expect(whole.stdout).toContain(
      'diverged while tuning: 1 configuration (SGD[lr=1e6]) — part of the search, marked in the sensitivity table; not a reported result\n',
    );
    const folders: string[] = [];
    for (const k of [1, 2, 3]) {
      const out = join(dir, `sweep-s${k}`);
      const r = await optlab(['run', sweepPath, '--out', out, '--shard', `${k}/3`, '--jobs', '1']);
      expect(r.stderr).toMatch(new RegExp(`^shard ${k}/3: ${k === 3 ? 2 : 3} of 8 runs$`, 'm'));
      folders.push(out);
    }
    const m = await optlab(['merge', ...folders, '--out', join(dir, 'sweep-merged')]);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    expect(m.stdout).toMatch(/^merged 3 shards of swept/);
    expect(m.stdout).toContain('tuning budget (configurations per run): SGD 4, Adam 4');
    const merged = results(join(dir, 'sweep-merged'));
    expect(merged).toEqual(results(join(dir, 'sweep-whole')));
    // The diverged configuration is a NaN in the CSV, as in the unsharded run (not an empty cell).
    expect(readFileSync(join(dir, 'sweep-merged', 'results.csv'), 'utf8')).toMatch(
      /SGD\[lr=1e6\].*NaN/,
    );
  }, 240_000);

  it('merges the tuning phase, names the selection and the next command, and --tuned completes the unsharded run', async () => {
    const whole = await optlab([
      'run',
      rerunPath,
      '--out',
      join(dir, 'rerun-whole'),
      '--jobs',
      '1',
    ]);
    expect([0, 1]).toContain(whole.code);
    const folders: string[] = [];
    for (const k of [1, 2, 3]) {
      const out = join(dir, `rerun-s${k}`);
      const r = await optlab(['run', rerunPath, '--out', out, '--shard', `${k}/3`, '--jobs', '2']);
      expect(r.stderr).toMatch(new RegExp(`^shard ${k}/3: ${k === 3 ? 2 : 3} of 8 runs$`, 'm'));
      folders.push(out);
    }
    const tunedDir = join(dir, 'rerun-tuned');
    const m = await optlab(['merge', ...folders, '--out', tunedDir]);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    const wholeSummary = JSON.parse(readFileSync(join(dir, 'rerun-whole', 'summary.json'), 'utf8'));
    const chosen = wholeSummary.analysis.groups.map((g: { best: string }) => g.best);
    expect(m.stdout).toBe(
      `merged 3 shards: the tuning phase (8 runs)\n` +
        `selected by the protocol: ${chosen.join(', ')}\n` +
        `next, the rerun of each on seeds 1, 2 (4 runs):\n` +
        `  optlab run ${join(tunedDir, 'spec.json')} --tuned ${tunedDir} --out <dir>\n` +
        `tuning phase: ${tunedDir}\n`,
    );
    const done = await optlab([
      'run',
      join(tunedDir, 'spec.json'),
      '--tuned',
      tunedDir,
      '--out',
      join(dir, 'rerun-final'),
      '--jobs',
      '2',
    ]);
    expect(done.stderr).not.toMatch(/^error/m);
    expect(done.code).toBe(whole.code);
    expect(results(join(dir, 'rerun-final'))).toEqual(results(join(dir, 'rerun-whole')));
  }, 240_000);

  it('refuses --tuned of another spec, --tuned with --shard, and a folder that is no tuning phase', async () => {
    const tunedDir = join(dir, 'rerun-tuned');
    const other = write('other.json', { ...withRerun, training: { epochs: 3, batchSize: 16 } });
    const r = await optlab(['run', other, '--tuned', tunedDir, '--out', join(dir, 'x1')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^error: --tuned: ${tunedDir} holds the tuning phase of another spec \\(spec hash sha256:[0-9a-f]{64}, this spec's is sha256:[0-9a-f]{64}\\)\\n$`,
      ),
    );
    const s = await optlab(['run', rerunPath, '--tuned', tunedDir, '--shard', '1/2']);
    expect(s.code).toBe(2);
    expect(s.stderr).toBe(
      'error: --shard: the rerun phase (--tuned) is not sharded: run it whole, with --jobs\n',
    );
    const n = await optlab([
      'run',
      rerunPath,
      '--tuned',
      join(dir, 'rerun-s1'),
      '--out',
      join(dir, 'x2'),
    ]);
    expect(n.code).toBe(2);
    expect(n.stderr).toBe(
      `error: --tuned: ${join(dir, 'rerun-s1')}: not a merged tuning phase (no tuning.json): optlab merge writes one from the shards of a spec whose protocol reruns its best configurations\n`,
    );
  }, 120_000);
});
