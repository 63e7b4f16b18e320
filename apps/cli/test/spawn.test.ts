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

function startCli(out: string): ChildProcess {
  return spawn(
    process.execPath,
    [
      '--conditions=@optlab/source',
      '--import',
      './test/register-ts.mjs',
      'src/main.ts',
      'run',
      longSpec,
      '--out',
      out,
    ],
    { cwd: cliRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
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
});
