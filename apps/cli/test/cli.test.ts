import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { examples, optlab } from './capture.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'optlab-cli-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function writeSpec(dir: string, spec: unknown, name = 'spec.json'): string {
  const path = join(dir, name);
  writeFileSync(path, typeof spec === 'string' ? spec : JSON.stringify(spec));
  return path;
}

const tiny = (lr: number) => ({
  version: 1,
  name: 'tiny',
  task: { kind: 'function', function: { type: 'x-squared' }, start: [2] },
  training: { steps: 600 },
  runs: [
    { name: 'ok', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu64' },
    { name: 'maybe', optimizer: { type: 'SGD', lr }, backend: 'cpu64' },
  ],
});

describe('optlab run', () => {
  it('runs an example, prints the table and writes the result files (exit 0)', async () => {
    const out = join(tmp(), 'res');
    const r = await optlab(['run', join(examples, 'adam-vs-nadam.json'), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('adam-vs-nadam — function x-squared');
    expect(r.stdout).toMatch(/│ Adam +│ Adam +│ 0 +│/);
    expect(r.stdout).toMatch(/│ NAdam +│ NAdam\(lr=0\.001\) +│ 0 +│/);
    expect(r.stdout).toContain('ran on: cpu64: cpu float64');
    expect(r.stdout).toContain(`results: ${out}`);
    expect(readdirSync(out).sort()).toEqual([
      'metrics.jsonl',
      'results.csv',
      'spec.json',
      'summary.json',
    ]);
    // Plain progress lines on stderr when not a terminal.
    expect(r.stderr).toContain('Adam (seed 0) on cpu float64');
  });

  it('prints machine-readable results with --json and honours --backend', async () => {
    const out = join(tmp(), 'res');
    const r = await optlab([
      'run',
      join(examples, 'adam-vs-nadam.json'),
      '--out',
      out,
      '--json',
      '--backend',
      'cpu',
    ]);
    expect(r.code).toBe(0);
    const payload = JSON.parse(r.stdout);
    expect(payload.out).toBe(out);
    expect(
      payload.summary.runs.map((m: { run: string; backend: string }) => [m.run, m.backend]),
    ).toEqual([
      ['Adam', 'cpu'],
      ['NAdam', 'cpu'],
    ]);
    expect(payload.summary.runs[0].device).toMatch(/float32/);
    expect(JSON.parse(readFileSync(join(out, 'spec.json'), 'utf8')).runs[0].backend).toBe('cpu');
  });

  it('exits 1 when a run diverges, after finishing the others', async () => {
    const dir = tmp();
    const r = await optlab(['run', writeSpec(dir, tiny(1.5)), '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    // x ← −2x from 2: f = 4^(t+1) first exceeds 10⁶ × the initial loss 4 at step 10.
    expect(r.stdout).toContain('diverged at step 10');
    expect(r.stderr).toContain('diverged at step 10: the loss 4194304 exceeded 4000000');
    expect(JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8')).status).toBe(
      'diverged',
    );
  });

  it('exits 2 on a bad spec, lists every problem, and writes nothing', async () => {
    const dir = tmp();
    const spec = tiny(-1) as { runs: { optimizer: Record<string, unknown> }[] };
    spec.runs[0].optimizer.type = 'adm';
    const out = join(dir, 'out');
    const r = await optlab(['run', writeSpec(dir, spec), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(
        /^error: runs\[0\]\.optimizer\.type: unknown optimizer "adm"; known: SGD, /,
      ),
      'error: runs[1].optimizer.lr: must be ≥ 0, got -1',
    ]);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 on invalid JSON and on a missing file, naming the file', async () => {
    const dir = tmp();
    const bad = await optlab(['run', writeSpec(dir, '{"version": 1,, }')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      `error: ${join(dir, 'spec.json')}: invalid JSON at line 1, column 15: expected a double-quoted string, found ","\n`,
    );
    const missing = await optlab(['run', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `error: ${join(dir, 'nope.json')}: cannot read spec: no such file\n`,
    );
  });

  it('exits 2 on a bad command line', async () => {
    expect((await optlab(['frobnicate'])).code).toBe(2);
    expect((await optlab([])).code).toBe(2);
    const help = await optlab(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: optlab [options] [command]');
    expect((await optlab(['run', 'x.json', '--backend', 'tpu'])).code).toBe(2);
    const bench = await optlab(['bench', 'nope']);
    expect(bench.code).toBe(2);
    expect(bench.stderr).toBe(
      'error: suite: unknown suite "nope"; known: tutorial, deepobs, deepobs-small\n',
    );
  });
});

describe('optlab bench --only', () => {
  /** deepobs's named experiments, one after the other, into `out`. */
  const deepobsOnly = (only: string, out: string) =>
    optlab(['bench', 'deepobs', '--only', only, '--jobs', '1', '--out', out]);

  it("runs only the named experiments, in the suite's order", async () => {
    const out = join(tmp(), 'res');
    const r = await deepobsOnly('quadratic-ill-conditioned, rosenbrock', out);
    expect(r.code).toBe(0);
    expect(
      r.stdout.startsWith("--only: 2 of deepobs's 6 experiments\nsuite deepobs: 2 experiments\n"),
    ).toBe(true);
    expect(readdirSync(out).sort()).toEqual([
      'quadratic-ill-conditioned',
      'rosenbrock',
      'suite.json',
    ]);
    const suite = JSON.parse(readFileSync(join(out, 'suite.json'), 'utf8'));
    expect(suite.experiments.map((e: { name: string }) => e.name)).toEqual([
      'rosenbrock',
      'quadratic-ill-conditioned',
    ]);
  });

  it('names a lone experiment in the singular', async () => {
    const out = join(tmp(), 'res');
    const r = await deepobsOnly('rosenbrock', out);
    expect(r.code).toBe(0);
    expect(
      r.stdout.startsWith("--only: 1 of deepobs's 6 experiments\nsuite deepobs: 1 experiment\n"),
    ).toBe(true);
  });

  it('exits 2 naming each unknown experiment and the known ones, and writes nothing', async () => {
    const out = join(tmp(), 'res');
    const known =
      'deepobs-quadratic-deep, deepobs-fmnist-logreg, deepobs-fmnist-mlp, deepobs-fmnist-2c2d';
    const r = await optlab([
      'bench',
      'deepobs-small',
      '--only',
      'deepobs-quadratic-deep,fmnist_mlp',
      '--out',
      out,
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: --only: unknown experiment "fmnist_mlp" in suite deepobs-small; known: ${known}\n`,
    );
    expect(existsSync(out)).toBe(false);
    const empty = await optlab(['bench', 'deepobs-small', '--only', ' , ', '--out', out]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe(`error: --only: names no experiment; known: ${known}\n`);
  });
});

describe('optlab list', () => {
  it('lists optimizers with their options, defaults and bounds', async () => {
    const r = await optlab(['list', 'optimizers']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('optimizers:\n')).toBe(true);
    expect(r.stdout).toMatch(/^ {2}Adam {2}— {2}.+$/m);
    expect(r.stdout).toContain('      lr: number, default 0.001 (≥ 0)');
    expect(r.stdout).toContain('      betas: pair, default [0.9,0.999]');
  });

  it('lists every topic, as JSON too, and refuses an unknown one', async () => {
    const all = await optlab(['list']);
    for (const t of [
      'optimizers:',
      'schedules:',
      'tasks:',
      'datasets:',
      'functions:',
      'models:',
      'suites:',
    ]) {
      expect(all.stdout).toContain(`\n${t}\n`.slice(t === 'optimizers:' ? 1 : 0));
    }
    const json = JSON.parse((await optlab(['list', 'functions', '--json'])).stdout) as {
      name: string;
    }[];
    expect(json.map((f) => f.name)).toContain('rosenbrock');
    const bad = await optlab(['list', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'error: topic: unknown topic "nope"; known: optimizers, schedules, averaging, tasks, datasets, functions, models, suites\n',
    );
  });
});

describe('optlab schedule', () => {
  it('prints step and lr, one per line (StepLR: lr·γ^⌊t/stepSize⌋)', async () => {
    const r = await optlab([
      'schedule',
      'StepLR',
      '--stepSize',
      '2',
      '--gamma',
      '0.5',
      '--steps',
      '5',
      '--lr',
      '1',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('0\t1\n1\t1\n2\t0.5\n3\t0.5\n4\t0.25\n');
  });

  it('reads list options as JSON and prints --json', async () => {
    const r = await optlab([
      'schedule',
      'MultiStepLR',
      '--milestones',
      '[1,3]',
      '--gamma',
      '0.1',
      '--steps',
      '4',
      '--lr',
      '1',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.lrs.map((v: number) => +v.toPrecision(12))).toEqual([1, 0.1, 0.1, 0.01]);
  });

  it('exits 2 with every problem of the options', async () => {
    const r = await optlab(['schedule', 'StepLR', '--gama', '0.5']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'error: --steps: required: how many steps to print',
      expect.stringMatching(
        /^error: schedule\.gama: unknown option "gama" for schedule StepLR; known: stepSize, gamma/,
      ),
      'error: schedule.stepSize: is required',
    ]);
    const unknown = await optlab(['schedule', 'Cosine', '--steps', '3']);
    expect(unknown.stderr).toMatch(
      /^error: schedule\.type: unknown schedule "Cosine"; known: StepLR, /,
    );
  });
});
