import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The CLI as a real process (from its sources through test/ts-loader.mjs, so no build is
 * needed), killed mid-run: the result files must stay readable.
 */
const cliRoot = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'optlab-spawn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const longSpec = join(dir, 'long.json');
writeFileSync(
  longSpec,
  JSON.stringify({
    version: 1,
    name: 'long',
    task: { kind: 'function', function: { type: 'rosenbrock' } },
    training: { steps: 5_000_000 },
    runs: [
      { name: 'sgd', optimizer: { type: 'SGD', lr: 1e-4 }, backend: 'cpu64' },
      { name: 'adam', optimizer: { type: 'Adam', lr: 1e-3 }, backend: 'cpu64' },
    ],
  }),
);

function startCli(
  out: string,
  options: { args?: string[]; preload?: string[] } = {},
): ChildProcess {
  return spawn(
    process.execPath,
    [
      '--conditions=@optlab/source',
      '--import',
      './test/register-ts.mjs',
      ...(options.preload ?? []).flatMap((p) => ['--import', p]),
      'src/main.ts',
      ...(options.args ?? ['run', longSpec, '--out', out]),
    ],
    { cwd: cliRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** Everything the process writes on stderr. */
function collectStderr(child: ChildProcess): () => string {
  let text = '';
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

/** Resolves once metrics.jsonl holds at least `lines` lines. */
async function waitForLines(path: string, lines: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`optlab exited early with ${child.exitCode}`);
    if (existsSync(path) && readFileSync(path, 'utf8').split('\n').length > lines) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`metrics.jsonl did not reach ${lines} lines`);
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );

describe('result files survive a killed run', () => {
  it('SIGKILL mid-run: every metrics line but possibly the last parses; no summary.json', async () => {
    const out = join(dir, 'killed');
    const child = startCli(out);
    const done = exited(child);
    await waitForLines(join(out, 'metrics.jsonl'), 500, child);
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').split('\n');
    const last = lines.pop()!; // after the final newline: '' or a cut line
    const events = lines.map((l) => JSON.parse(l) as { type: string; step?: number });
    expect(events.length).toBeGreaterThanOrEqual(500);
    expect(events[0].type).toBe('experiment-start');
    expect(events[1].type).toBe('start');
    // Steps are consecutive: nothing lost before the cut.
    const steps = events.filter((e) => e.type === 'step').map((e) => e.step);
    expect(steps).toEqual(steps.map((_, i) => i + 1));
    if (last !== '') expect(() => JSON.parse(last)).toThrow();
    expect(JSON.parse(readFileSync(join(out, 'spec.json'), 'utf8')).name).toBe('long');
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    expect(existsSync(join(out, 'results.csv'))).toBe(false);
  }, 120_000);

  it('Ctrl-C (SIGINT): the run is cancelled cleanly, exit code 130, the last line says so', async () => {
    const out = join(dir, 'interrupted');
    const child = startCli(out);
    const done = exited(child);
    await waitForLines(join(out, 'metrics.jsonl'), 200, child);
    child.kill('SIGINT');
    expect((await done).code).toBe(130);
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trimEnd().split('\n');
    const events = lines.map((l) => JSON.parse(l) as { type: string; run?: string });
    expect(events.at(-1)).toMatchObject({ type: 'cancelled', run: 'sgd' });
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  }, 120_000);

  it('SIGTERM: the same cancelled record as Ctrl-C, exit code 143 (128 + 15)', async () => {
    const out = join(dir, 'terminated');
    const child = startCli(out);
    const done = exited(child);
    await waitForLines(join(out, 'metrics.jsonl'), 200, child);
    child.kill('SIGTERM');
    expect(await done).toEqual({ code: 143, signal: null });
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trimEnd().split('\n');
    const events = lines.map((l) => JSON.parse(l) as { type: string; run?: string; step?: number });
    const last = events.at(-1)!;
    expect(last).toMatchObject({ type: 'cancelled', run: 'sgd', seed: 0 });
    // Cancelled after the last step it reported.
    expect(last.step).toBe(events.filter((e) => e.type === 'step').at(-1)!.step);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    expect(existsSync(join(out, 'results.csv'))).toBe(false);
  }, 120_000);
});

describe('failures a script can tell apart', () => {
  it('an error thrown outside main (a stray callback): internal error, exit 3, no stack', async () => {
    const out = join(dir, 'stray');
    const child = startCli(out, { preload: ['./test/stray-error.mjs'] });
    const stderr = collectStderr(child);
    const done = exited(child);
    await waitForLines(join(out, 'metrics.jsonl'), 50, child);
    child.kill('SIGUSR2');
    expect((await done).code).toBe(3);
    expect(stderr()).toMatch(
      /\noptlab: internal error: stray error in a callback — please report this at the OptLab issue tracker \(with the command and the spec file\)\noptlab: run again with OPTLAB_DEBUG=1 to see the stack trace\n$/,
    );
    expect(stderr()).not.toMatch(/^ +at /m);
  }, 120_000);

  it('--out /proc/x exits 2 with a clear error, at once (it used to spin forever)', async () => {
    const child = startCli('', { args: ['run', longSpec, '--out', '/proc/x'] });
    const stderr = collectStderr(child);
    const done = exited(child);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const result = await done;
    clearTimeout(timer);
    expect(result).toEqual({ code: 2, signal: null });
    expect(stderr()).toBe(
      'error: --out: cannot create /proc/x: /proc/x: this file system does not allow creating ' +
        'folders there\n',
    );
  }, 30_000);
});
