import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SUITES } from '@optlab/experiment';
import { slug, suiteFolders } from '../src/commands/execute.js';
import { optlab } from './capture.js';

/**
 * The CLI fails in a way a script can trust: exit 2 with a clear line for bad input (output
 * folders included), 3 for its own bugs (never 1, which means "a run diverged"), 130 when
 * cancelled, and it never leaves a result folder holding two runs' files.
 */
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'optlab-safety-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const experiment = (name: string, lr = 0.1) => ({
  version: 1,
  name,
  task: { kind: 'function', function: { type: 'x-squared' }, start: [2] },
  training: { steps: 20 },
  runs: [{ name: 'sgd', optimizer: { type: 'SGD', lr }, backend: 'cpu64' }],
});

function writeJson(dir: string, value: unknown, name = 'spec.json'): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

const files = (dir: string) => readdirSync(dir).sort();

describe('internal errors', () => {
  it('an unexpected error is "internal error … please report", exit 3, no stack', async () => {
    const r = await optlab(['list', 'functions'], {
      stdout: () => {
        throw new TypeError('boom in a renderer');
      },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'optlab: internal error: boom in a renderer — please report this at the OptLab issue ' +
        'tracker (with the command and the spec file)\n' +
        'optlab: run again with OPTLAB_DEBUG=1 to see the stack trace\n',
    );
  });

  it('with debug (OPTLAB_DEBUG=1) the stack follows the line', async () => {
    const r = await optlab(['list', 'functions'], {
      debug: true,
      stdout: () => {
        throw new TypeError('boom');
      },
    });
    expect(r.code).toBe(3);
    const [line, ...stack] = r.stderr.trimEnd().split('\n');
    expect(line).toMatch(/^optlab: internal error: boom — please report this at /);
    expect(stack[0]).toBe('TypeError: boom');
    expect(stack[1]).toMatch(/^ {4}at /);
  });
});

describe('optlab schedule', () => {
  it('--help (and -h) prints the usage and the schedule types, exit 0', async () => {
    for (const argv of [
      ['schedule', '--help'],
      ['schedule', '-h'],
      ['schedule', 'StepLR', '--help'],
    ]) {
      const r = await optlab(argv);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(
        /^Usage: optlab schedule <type> \[--option value \.\.\.\] --steps N \[--lr LR\] \[--json\]\n/,
      );
      expect(r.stdout).toContain('  --steps N          how many steps to print (required');
      expect(r.stdout).toContain('CosineAnnealingWarmRestarts');
      // ReduceLROnPlateau has no curve: not offered here.
      expect(r.stdout).not.toContain('ReduceLROnPlateau');
    }
  });

  it('ReduceLROnPlateau: a clear error (it follows a metric), exit 2', async () => {
    const r = await optlab(['schedule', 'ReduceLROnPlateau', '--steps', '5']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: schedule.type: ReduceLROnPlateau has no curve to print: it lowers the lr when a ' +
        'metric (the loss) stops improving, so its lr is only known during a run; use it in a ' +
        'spec and read the lr from the run\n',
    );
  });
});

describe('output folders', () => {
  it('--out under a file (ENOTDIR): a clear error, exit 2', async () => {
    const dir = tmp();
    const file = writeJson(dir, {}, 'file');
    const r = await optlab(['run', writeJson(dir, experiment('e')), '--out', join(file, 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: --out: cannot create ${file}/x: ${file} is not a folder\n`);
  });

  it.runIf(existsSync('/proc/self'))(
    '--out /proc/x: a clear error and exit 2 at once (Node’s recursive mkdir spins there)',
    async () => {
      const dir = tmp();
      const started = Date.now();
      const r = await optlab(['run', writeJson(dir, experiment('e')), '--out', '/proc/x/y']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        'error: --out: cannot create /proc/x/y: /proc/x: this file system does not allow ' +
          'creating folders there\n',
      );
      expect(Date.now() - started).toBeLessThan(5_000);
    },
  );

  it('a second run into the same folder: refused without --force (exit 2), old files intact', async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    expect((await optlab(['run', writeJson(dir, experiment('first')), '--out', out])).code).toBe(0);
    const before = Object.fromEntries(
      files(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]),
    );
    expect(Object.keys(before)).toEqual([
      'metrics.jsonl',
      'results.csv',
      'spec.json',
      'summary.json',
    ]);

    const again = await optlab([
      'run',
      writeJson(dir, experiment('second'), 'b.json'),
      '--out',
      out,
    ]);
    expect(again.code).toBe(2);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe(
      `error: --out: ${out} is not empty (it holds metrics.jsonl, results.csv, spec.json, …): ` +
        'choose a new folder, or add --force to replace the OptLab results in it\n',
    );
    for (const [f, text] of Object.entries(before))
      expect(readFileSync(join(out, f), 'utf8')).toBe(text);
  });

  it('--force clears the old run first: only the new run’s files remain', async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    // An old suite's result in the folder: its suite.json and experiment subfolders must go too.
    const bench = {
      version: 1,
      kind: 'suite',
      name: 's',
      tuningBudget: 'none',
      experiments: [experiment('a'), experiment('b')],
    };
    expect((await optlab(['run', writeJson(dir, bench, 'suite.json'), '--out', out])).code).toBe(0);
    expect(files(out)).toEqual(['a', 'b', 'suite.json']);
    // …and a temporary file an interrupted atomic write left behind.
    writeFileSync(join(out, 'a', 'summary.json.1234.tmp'), '{');

    const r = await optlab(['run', writeJson(dir, experiment('second')), '--out', out, '--force']);
    expect(r.code).toBe(0);
    expect(files(out)).toEqual(['metrics.jsonl', 'results.csv', 'spec.json', 'summary.json']);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).experiment).toBe('second');
  });

  it('--force refuses a folder holding anything OptLab did not write, and removes nothing', async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    mkdirSync(join(out, 'sub'), { recursive: true });
    writeFileSync(join(out, 'spec.json'), 'old');
    writeFileSync(join(out, 'sub', 'notes.txt'), 'mine');
    const r = await optlab(['run', writeJson(dir, experiment('e')), '--out', out, '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: --out: --force only clears OptLab's result files, and ${join(out, 'sub', 'notes.txt')} ` +
        'is not one: nothing was removed\n',
    );
    expect(readFileSync(join(out, 'spec.json'), 'utf8')).toBe('old');
    expect(readFileSync(join(out, 'sub', 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('--force never follows a link out of the folder, even one named like a result file', async () => {
    const dir = tmp();
    const outside = join(dir, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'spec.json'), 'precious');
    const out = join(dir, 'out');
    mkdirSync(out);
    symlinkSync(outside, join(out, 'a'));
    symlinkSync(join(outside, 'spec.json'), join(out, 'spec.json'));
    const r = await optlab(['run', writeJson(dir, experiment('e')), '--out', out, '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not one: nothing was removed\n$/);
    expect(readFileSync(join(outside, 'spec.json'), 'utf8')).toBe('precious');
    expect(files(out)).toEqual(['a', 'spec.json']);
  });

  it('an empty existing folder is used as it is', async () => {
    const dir = tmp();
    const out = join(dir, 'empty');
    mkdirSync(out);
    expect((await optlab(['run', writeJson(dir, experiment('e')), '--out', out])).code).toBe(0);
    expect(files(out)).toEqual(['metrics.jsonl', 'results.csv', 'spec.json', 'summary.json']);
  });

  it('the default folder never collides with an earlier run in the same second', async () => {
    const dir = tmp();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const spec = writeJson(dir, experiment('e'));
      expect((await optlab(['run', spec])).code).toBe(0);
      expect((await optlab(['run', spec])).code).toBe(0);
      expect(files(join(dir, 'results'))).toEqual([
        'e-2026-01-02T03-04-05Z',
        'e-2026-01-02T03-04-05Z-2',
      ]);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('suite folders', () => {
  it('experiments whose names map to one folder are refused, naming both; nothing is written', async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    const suite = {
      version: 1,
      kind: 'suite',
      name: 's',
      tuningBudget: 'none',
      experiments: [experiment('a/b'), experiment('ok'), experiment('a?b'), experiment('OK')],
    };
    const r = await optlab(['run', writeJson(dir, suite), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: experiments[2].name: "a?b" and "a/b" (experiments[0]) both map to the folder ' +
        `"a-b"; give them names that differ in letters, digits, '.', '_' or '-'\n` +
        'error: experiments[3].name: "OK" and "ok" (experiments[1]) both map to the folder ' +
        `"OK"; give them names that differ in letters, digits, '.', '_' or '-'\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('a name that would be the suite file, "." or ".." cannot escape or clash', () => {
    expect(slug('..')).toBe('experiment');
    expect(slug('.')).toBe('experiment');
    expect(slug('../../etc')).toBe('etc');
    expect(slug('.hidden')).toBe('hidden');
    const r = suiteFolders([experiment('Suite.json')] as never);
    expect(r).toEqual({
      ok: false,
      issues: [
        {
          path: 'experiments[0].name',
          message: `"Suite.json" names a folder "Suite.json", which is the suite's own file`,
        },
      ],
    });
  });

  it('every built-in suite maps its experiments to distinct folders', () => {
    for (const suite of Object.values(SUITES)) {
      expect(suiteFolders(suite.experiments).ok).toBe(true);
    }
  });
});

describe('cancelled before the first run', () => {
  it('a signal during validation: exit 130, nothing written', async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    const controller = new AbortController();
    controller.abort('SIGINT');
    const r = await optlab(['run', writeJson(dir, experiment('e')), '--out', out], {
      signal: controller.signal,
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('cancelled before the first run: nothing was written\n');
    expect(existsSync(out)).toBe(false);
  });
});
