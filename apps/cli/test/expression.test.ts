import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { optlab } from './capture.js';

/** `optlab run` on the learning lab's functions: a typed expression and a rotated quadratic. */
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'optlab-expr-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function spec(fn: Record<string, unknown>, start?: number[]) {
  return {
    version: 1,
    name: 'own',
    task: { kind: 'function', function: fn, ...(start ? { start } : {}) },
    training: { steps: 50 },
    runs: [
      { name: 'adam', optimizer: { type: 'Adam', lr: 0.05 }, backend: 'cpu64' },
      {
        name: 'heavy-ball',
        optimizer: { type: 'SGD', lr: 0.0331, momentum: 0.669 },
        backend: 'cpu64',
      },
    ],
  };
}

async function run(dir: string, doc: unknown) {
  const path = join(dir, 'spec.json');
  writeFileSync(path, JSON.stringify(doc));
  return optlab(['run', path, '--out', join(dir, 'out')]);
}

describe('optlab run with the learning-lab functions', () => {
  it('runs a typed expression and a rotated quadratic', async () => {
    const dir = tmp();
    const r = await run(dir, spec({ type: 'expression', expr: 'x^2 + 4*y^2 + sin(x*y)' }, [1, 1]));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('own — function expression');
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    expect(summary.runs.map((x: { status: string }) => x.status)).toEqual(['done', 'done']);
    const dir2 = tmp();
    const q = await run(dir2, spec({ type: 'rotated-quadratic', condition: 100, angle: 30 }));
    expect(q.code).toBe(0);
    expect(q.stdout).toContain('own — function rotated-quadratic');
    const points = readFileSync(join(dir2, 'out', 'metrics.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; run: string; params?: number[]; model?: string })
      .filter((e) => e.run === 'heavy-ball' && (e.type === 'start' || e.type === 'step'));
    expect(points[0].model).toBe('RotatedQuadratic(λ=[1, 100], angle=30°)');
    expect(points).toHaveLength(51);
  });

  it('exits 2 on an unknown symbol, naming the field and the position', async () => {
    const r = await run(tmp(), spec({ type: 'expression', expr: 'x^2 + w*y' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'error: task.function.expr: unknown symbol "w" (allowed: x, y or x1 … x100; pi, e; sin, cos, exp, log, sqrt, abs, tanh, min, max) at character 7',
    );
  });

  it('a division by zero at the start point is each run’s error; the experiment finishes', async () => {
    const dir = tmp();
    const r = await run(dir, spec({ type: 'expression', expr: '1/x + y^2' }, [0, 1]));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'diverged at step 0: the loss is Infinity at the start point (0, 1)',
    );
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    expect(summary.runs.map((x: { status: string; steps: number }) => [x.status, x.steps])).toEqual(
      [
        ['diverged', 0],
        ['diverged', 0],
      ],
    );
  });
});
