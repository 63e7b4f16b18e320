// Seed aggregation in the compare charts: runs that differ only in name and seed form a group,
// drawn as its median and IQR band (or every seed thin); the quartiles are NumPy's (linear).
import { describe, expect, it } from 'vitest';
import { fromSpec } from '../src/renderer/src/lib/draft.js';
import { aggregateLines, seedGroups } from '../src/renderer/src/lib/seed-groups.js';

const draft = fromSpec({
  version: 1,
  name: 'seeds',
  task: { kind: 'function', function: { type: 'rosenbrock' } },
  training: { steps: 3 },
  runs: [
    { name: 'Adam', optimizer: { type: 'Adam', lr: 0.01 }, seed: 0 },
    { name: 'SGD', optimizer: { type: 'SGD', lr: 0.01 }, seed: 0 },
    { name: 'Adam 2', optimizer: { type: 'Adam', lr: 0.01 }, seed: 1 },
    { name: 'Adam 3', optimizer: { type: 'Adam', lr: 0.01 }, seed: 2 },
    { name: 'Adam lr', optimizer: { type: 'Adam', lr: 0.02 }, seed: 3 },
  ],
});

describe('seed groups', () => {
  it('groups the runs that differ only in name and seed', () => {
    expect(seedGroups(draft.runs)).toEqual([
      { members: ['Adam', 'Adam 2', 'Adam 3'], label: 'Adam (median of 3 seeds)' },
    ]);
  });

  it("draws a group's median and quartiles (NumPy's linear interpolation), others unchanged", () => {
    const line = (label: string, y: number[]) => ({ label, color: '#123456', x: [1, 2, 3], y });
    const lines = [
      line('Adam', [1, 10, NaN]),
      line('SGD', [5, 5, 5]),
      line('Adam 2', [2, 20, 4]),
      line('Adam 3', [4, 30, 8]),
    ];
    const groups = seedGroups(draft.runs);
    const out = aggregateLines(lines, groups, 'groups');
    expect(out.map((l) => [l.label, l.role])).toEqual([
      ['Adam (median of 3 seeds)', 'median'],
      ['Adam (median of 3 seeds) q3', 'band-high'],
      ['Adam (median of 3 seeds) q1', 'band-low'],
      ['SGD', undefined],
    ]);
    // numpy.percentile([1, 2, 4], [50, 25, 75]) = 2, 1.5, 3; at x = 3 only 4 and 8 are finite.
    expect(Array.from(out[0].y)).toEqual([2, 20, 6]);
    expect(Array.from(out[2].y)).toEqual([1.5, 15, 5]);
    expect(Array.from(out[1].y)).toEqual([3, 25, 7]);
    const seeds = aggregateLines(lines, groups, 'seeds');
    expect(seeds.map((l) => [l.label, l.role, l.width])).toEqual([
      ['Adam', 'seed', 0.75],
      ['SGD', undefined, undefined],
      ['Adam 2', 'seed', 0.75],
      ['Adam 3', 'seed', 0.75],
    ]);
  });
});
