import { cpu } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import { OPTIMIZERS } from '../../src/index.js';
import { fixtureName, loadAllFixtures, loadFixtures, run, setUp } from './harness.js';

/**
 * Replays the reference trajectories of tools/fixtures/optim/generate.py (torch 1.13 and NumPy
 * references; each fixture records its code path): the parameters after every one of 30 steps.
 * Error measure: |got − ref| / max(|ref|, 1) — relative, with magnitudes below 1 compared
 * absolutely, since trajectories cross zero (every problem's parameters are O(1)).
 */
const file = loadFixtures();

function worstError(got: number[][], ref: number[][]): number {
  let worst = 0;
  got.forEach((row, s) => {
    expect(row.length).toBe(ref[s].length);
    row.forEach((v, i) => {
      const r = ref[s][i];
      worst = Math.max(worst, Math.abs(v - r) / Math.max(Math.abs(r), 1));
    });
  });
  return worst;
}

describe('reference trajectories', () => {
  it('cover every optimizer, each fixture naming its code path', () => {
    expect(file.steps).toBe(30);
    // Every registry entry has fixtures in optimizers.json or in a group's optimizers-<group>.json.
    const covered = new Set(
      loadAllFixtures().flatMap((all) => all.fixtures.map((f) => f.optimizer)),
    );
    expect([...covered].sort()).toEqual(Object.keys(OPTIMIZERS).sort());
    for (const f of file.fixtures) {
      expect(f.codePath).toMatch(/^(torch 1\.13.*\(foreach=(True|False)\)|NumPy reference)/);
      expect(f.trajectory).toHaveLength(30);
    }
  });

  for (const [dtype, tol] of [
    ['float64', 1e-10],
    ['float32', 1e-4],
  ] as const) {
    describe(`cpu ${dtype}: whole trajectory within ${tol}`, () => {
      it.each(file.fixtures.map((f) => [fixtureName(f), f] as const))('%s', (_, f) => {
        const be = cpu({ dtype });
        const { params, opt } = setUp(be, f);
        const got = run(be, f.problem, params, opt, file.steps);
        expect(worstError(got, f.trajectory)).toBeLessThanOrEqual(tol);
        opt.dispose();
        params.forEach((p) => p.dispose());
      });
    });
  }
});
