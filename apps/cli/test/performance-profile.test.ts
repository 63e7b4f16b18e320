import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { profileTable } from '../src/render/performance-profile.js';
import { optlab } from './capture.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'optlab-profile-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/**
 * ½·x² from x₀ = 1 under SGD, xₖ = (1 − lr)ᵏ. Target 0.13 (|x| ≤ 0.51): lr 0.5 in 1 step,
 * 0.25 in 3, 0.01 never in 20. Target 0.4 (|x| ≤ 0.894): 0.5 and 0.25 in 1, 0.01 in 12
 * (0.99¹¹ = 0.895). Ratios: A 1, 1; B 3, 1; C ∞, 12.
 */
function suite(): Record<string, unknown> {
  const experiment = (name: string, targetLoss: number) => ({
    version: 1,
    name,
    task: { kind: 'function', function: { type: 'quadratic', coefficients: [1] }, start: [1] },
    training: { steps: 20, targetLoss },
    runs: [
      { name: 'A', optimizer: { type: 'SGD', lr: 0.5 }, backend: 'cpu64' },
      { name: 'B', optimizer: { type: 'SGD', lr: 0.25 }, backend: 'cpu64' },
      { name: 'C', optimizer: { type: 'SGD', lr: 0.01 }, backend: 'cpu64' },
    ],
  });
  return {
    version: 1,
    kind: 'suite',
    name: 'two-targets',
    tuningBudget: 'none: one lr per optimizer',
    experiments: [experiment('tight', 0.13), experiment('loose', 0.4)],
  };
}

describe('performance profile of a suite', () => {
  it('prints ρ(τ) over steps and wall time after the suite', async () => {
    const dir = tmp();
    const path = join(dir, 'suite.json');
    writeFileSync(path, JSON.stringify(suite()));
    const r = await optlab(['run', path, '--out', join(dir, 'out')]);
    expect(r.code).toBe(0);
    const at = r.stdout.indexOf('performance profile, steps');
    expect(at).toBeGreaterThan(0);
    const steps = r.stdout.slice(at, r.stdout.indexOf('performance profile, wall time'));
    expect(steps).toBe(
      [
        "performance profile, steps to target over 2 tasks: ρ(τ) = share of tasks reached within τ × the best optimizer's steps",
        '┌───────────┬──────┬────────┬───────┬──────┬──────┬──────┬──────┬──────┬─────────┐',
        '│ optimizer │ τ=1  │ τ=1.25 │ τ=1.5 │ τ=2  │ τ=3  │ τ=4  │ τ=8  │ τ=16 │ reached │',
        '├───────────┼──────┼────────┼───────┼──────┼──────┼──────┼──────┼──────┼─────────┤',
        '│ A         │ 1.00 │ 1.00   │ 1.00  │ 1.00 │ 1.00 │ 1.00 │ 1.00 │ 1.00 │ 2/2     │',
        '├───────────┼──────┼────────┼───────┼──────┼──────┼──────┼──────┼──────┼─────────┤',
        '│ B         │ 0.50 │ 0.50   │ 0.50  │ 0.50 │ 1.00 │ 1.00 │ 1.00 │ 1.00 │ 2/2     │',
        '├───────────┼──────┼────────┼───────┼──────┼──────┼──────┼──────┼──────┼─────────┤',
        '│ C         │ 0.00 │ 0.00   │ 0.00  │ 0.00 │ 0.00 │ 0.00 │ 0.00 │ 0.50 │ 1/2     │',
        '└───────────┴──────┴────────┴───────┴──────┴──────┴──────┴──────┴──────┴─────────┘',
        '',
      ].join('\n'),
    );
  });

  it('--json carries both profiles', async () => {
    const dir = tmp();
    const path = join(dir, 'suite.json');
    writeFileSync(path, JSON.stringify(suite()));
    const r = await optlab(['run', path, '--out', join(dir, 'out'), '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.performanceProfile.steps.tasks).toEqual(['tight', 'loose']);
    expect(out.performanceProfile.steps.optimizers[2]).toEqual({
      name: 'C',
      fractions: [0, 0, 0, 0, 0, 0, 0, 0.5],
      solved: 1,
    });
    expect(out.performanceProfile.ms.measure).toBe('ms');
  });

  it('names the tasks nobody reached, and prints nothing without tasks', () => {
    const text = profileTable({
      measure: 'ms',
      taus: [1, 2],
      tasks: ['x', 'y'],
      unsolved: ['y'],
      optimizers: [{ name: 'A', fractions: [0.5, 0.5], solved: 1 }],
    });
    expect(text.split('\n')[0]).toBe(
      "performance profile, wall time to target over 2 tasks: ρ(τ) = share of tasks reached within τ × the best optimizer's wall time",
    );
    expect(text).toContain('│ A         │ 0.50 │ 0.50 │ 1/2     │');
    expect(text.trimEnd().split('\n').at(-1)).toBe('no optimizer reached the target on: y');
    expect(
      profileTable({ measure: 'steps', taus: [1], tasks: [], unsolved: [], optimizers: [] }),
    ).toBe('');
  });
});
