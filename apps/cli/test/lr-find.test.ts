import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { optlab } from './capture.js';

const dir = mkdtempSync(join(tmpdir(), 'optlab-lr-find-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const c = 8;
const specPath = join(dir, 'q.json');
writeFileSync(
  specPath,
  JSON.stringify({
    version: 1,
    name: 'quadratic',
    task: { kind: 'function', function: { type: 'quadratic', coefficients: [c] }, start: [1] },
    training: { steps: 10 },
    runs: [
      { name: 'sgd', optimizer: { type: 'SGD', lr: 0.01 }, backend: 'cpu64' },
      { name: 'adam', optimizer: { type: 'Adam' }, backend: 'cpu64' },
    ],
  }),
);

describe('optlab lr-find', () => {
  it('writes the curve as CSV, draws it and names both suggestions, below 2/c for SGD', async () => {
    const out = join(dir, 'sgd.csv');
    const r = await optlab(['lr-find', specPath, '--run', 'sgd', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(rows[0]).toBe('seed,step,lr,loss,smoothed');
    // The first update: lr 1e-7 at the start point, f = c/2, smoothed = f (debiased).
    expect(rows[1]).toBe(`0,0,1e-7,${c / 2},${c / 2}`);
    const steepest = Number(/steepest descent lr (\S+),/.exec(r.stdout)![1]);
    expect(steepest).toBeGreaterThan(1e-3);
    expect(steepest).toBeLessThan(2 / c);
    expect(r.stdout).toMatch(
      /minimum ÷ 10 lr \S+ \(minimum at lr \S+\); stopped at lr \S+ \(loss above 4 × its best\)/,
    );
    // The plot: rows "<loss> |<points>", S marking the steepest descent.
    expect(r.stdout).toMatch(/^ {11}\|[ *M]*S/m);
    expect(r.stdout).toContain(`curve: ${out}\n`);
  });

  it('shows how far the suggestions move over --seeds', async () => {
    const out = join(dir, 'seeds.csv');
    const r = await optlab([
      'lr-find',
      specPath,
      '--run',
      'adam',
      '--seeds',
      '3',
      '--steps',
      '60',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^seed 0: steepest/m);
    expect(r.stdout).toMatch(/^seed 2: steepest/m);
    expect(r.stdout).toMatch(
      /^over 3 seeds \(min \/ median \/ max\):\n  steepest descent: \S+ \/ \S+ \/ \S+ \(max ÷ min = \S+\)\n  minimum ÷ 10: /m,
    );
    const seedsInCsv = new Set(
      readFileSync(out, 'utf8')
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    );
    expect([...seedsInCsv]).toEqual(['0', '1', '2']);
  });

  it('refuses bad options, an unknown run and an existing file, naming each (exit 2)', async () => {
    const bad = await optlab([
      'lr-find',
      specPath,
      '--run',
      'sgd',
      '--start',
      '0',
      '--end',
      'x',
      '--seeds',
      '0',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error: --end: "x" is not a number\n');
    const bad2 = await optlab([
      'lr-find',
      specPath,
      '--run',
      'sgd',
      '--start',
      '0',
      '--steps',
      '1',
      '--seeds',
      '101',
    ]);
    expect(bad2.stderr).toBe(
      [
        'error: --start: must be a number > 0, not 0',
        'error: --steps: must be a whole number from 2 to 100000, not 1',
        'error: --seeds: must be a whole number from 1 to 100, not 101',
        '',
      ].join('\n'),
    );
    const unknown = await optlab(['lr-find', specPath, '--run', 'lion']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'error: --run: no run named "lion"; the spec\'s runs: "sgd", "adam"\n',
    );
    const none = await optlab(['lr-find', specPath]);
    expect(none.stderr).toBe(
      'error: --run: name the run to test; the spec\'s runs: "sgd", "adam"\n',
    );
    const out = join(dir, 'exists.csv');
    writeFileSync(out, 'keep');
    const exists = await optlab(['lr-find', specPath, '--run', 'sgd', '--out', out]);
    expect(exists.code).toBe(2);
    expect(exists.stderr).toBe(
      `error: --out: ${out} exists: choose another file, or add --force to replace it\n`,
    );
    expect(readFileSync(out, 'utf8')).toBe('keep');
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });
});
