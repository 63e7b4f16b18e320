import { cpu } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import { type AdamWScheduleFree } from '../../src/index.js';
import { fixtureName, flatValues, loadFixtures, run, setUp, worstError } from './harness.js';

/**
 * Replays tools/fixtures/optim/generate_modern.py's NumPy references (Muon from
 * torch/optim/_muon.py, the Schedule-Free pair from facebookresearch/schedule_free, Prodigy from
 * konstmish/prodigy): the parameters after each of 30 steps and, for Schedule-Free, the average x
 * after `eval()` at the end.
 */
const file = loadFixtures('optimizers-modern.json');

describe('modern optimizers: reference trajectories', () => {
  it('cover Muon, AdamWScheduleFree, SGDScheduleFree and Prodigy, 30 steps each', () => {
    expect(file.steps).toBe(30);
    expect([...new Set(file.fixtures.map((f) => f.optimizer))].sort()).toEqual([
      'AdamWScheduleFree',
      'Muon',
      'Prodigy',
      'SGDScheduleFree',
    ]);
    for (const f of file.fixtures) {
      expect(f.codePath).toMatch(/^NumPy reference from the official source/);
      expect(f.trajectory).toHaveLength(30);
      expect(f.evalValues !== undefined).toBe(f.optimizer.endsWith('ScheduleFree'));
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
        if (f.evalValues) {
          (opt as AdamWScheduleFree).eval();
          expect(worstError([flatValues(params)], [f.evalValues])).toBeLessThanOrEqual(tol);
        }
        opt.dispose();
        params.forEach((p) => p.dispose());
      });
    });
  }
});
