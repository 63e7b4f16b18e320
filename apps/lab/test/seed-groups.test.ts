// Seed aggregation in the compare charts: runs that differ only in name and seed form a group,
// drawn as its median and IQR band (or every seed thin); the quartiles are NumPy's (linear).
import { describe, expect, it } from 'vitest';
import { fromSpec } from '../src/renderer/src/lib/draft.js';
import { applyRunEvent } from '../src/renderer/src/lib/run-events.js';
import {
  aggregateLines,
  seedColumns,
  seedGroups,
  seedListGroups,
} from '../src/renderer/src/lib/seed-groups.js';
import { emptyResult } from '../src/renderer/src/lib/series.js';
import { parseExperiment, serializeExperiment } from '../src/renderer/src/lib/results-file.js';

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
    // Copies on one seed are one training twice: not grouped. Key order does not matter.
    const copies = fromSpec({
      ...draft,
      runs: [
        { name: 'A', optimizer: { type: 'Adam', lr: 0.01 }, seed: 0 },
        { name: 'B', optimizer: { type: 'Adam', lr: 0.01 }, seed: 0 },
        { name: 'C', optimizer: { lr: 0.01, type: 'Adam' }, seed: 5 },
      ],
    });
    expect(seedGroups(copies.runs)).toEqual([]);
    expect(seedGroups([copies.runs[0], copies.runs[2]]).map((g) => g.members)).toEqual([
      ['A', 'C'],
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

  it('makes a run card that lists several seeds one group of its seed lines', () => {
    const listed = fromSpec({
      ...draft,
      runs: [
        { name: 'SGD', optimizer: { type: 'SGD', lr: 0.1 }, seeds: [0, 1, 2] },
        { name: 'Adam', optimizer: { type: 'Adam', lr: 0.01 }, seeds: [4] },
        { name: 'Momentum', optimizer: { type: 'SGD', lr: 0.1, momentum: 0.9 } },
      ],
    });
    expect(seedListGroups(listed.runs)).toEqual([
      {
        members: ['SGD · seed 0', 'SGD · seed 1', 'SGD · seed 2'],
        label: 'SGD (median of 3 seeds)',
      },
    ]);
    // The worker charts seed 0 in `series` and sends seeds 1 and 2 as `seed-points`.
    const point = (step: number, loss: number) => ({ step, time: step / 10, loss });
    let result = applyRunEvent(emptyResult(), {
      type: 'points',
      points: [point(0, 4), point(1, 2)],
      progress: 0.5,
    });
    result = applyRunEvent(result, { type: 'seed-points', seed: 1, points: [point(0, 4)] });
    result = applyRunEvent(result, { type: 'seed-points', seed: 2, points: [point(0, 4)] });
    result = applyRunEvent(result, { type: 'seed-points', seed: 1, points: [point(1, 1)] });
    result = applyRunEvent(result, { type: 'seed-points', seed: 2, points: [point(1, 8)] });
    expect(result.seedSeries?.map((e) => [e.seed, e.series.step, e.series.loss])).toEqual([
      [1, [0, 1], [4, 1]],
      [2, [0, 1], [4, 8]],
    ]);
    const columns = seedColumns(listed.runs[0], result);
    expect(columns.map((c) => [c.label, c.charted, c.series.loss])).toEqual([
      ['SGD · seed 0', true, [4, 2]],
      ['SGD · seed 1', false, [4, 1]],
      ['SGD · seed 2', false, [4, 8]],
    ]);
    // A run with one seed is its own line, under its name.
    expect(seedColumns(listed.runs[1], result).map((c) => c.label)).toEqual(['Adam']);
    const lines = columns.map((c) => ({
      label: c.label,
      color: '#0072b2',
      x: c.series.step,
      y: c.series.loss,
    }));
    const out = aggregateLines(lines, seedListGroups(listed.runs), 'groups');
    expect(out.map((l) => [l.label, l.role])).toEqual([
      ['SGD (median of 3 seeds)', 'median'],
      ['SGD (median of 3 seeds) q3', 'band-high'],
      ['SGD (median of 3 seeds) q1', 'band-low'],
    ]);
    // numpy.percentile([2, 1, 8], [50, 25, 75]) = 2, 1.5, 5.
    expect(Array.from(out[0].y)).toEqual([4, 2]);
    expect(Array.from(out[2].y)).toEqual([4, 1.5]);
    expect(Array.from(out[1].y)).toEqual([4, 5]);
    // Saved and reopened, the other seeds' columns come back (NaN through null).
    const saved = serializeExperiment(listed, {
      [listed.runs[0].id]: { ...result, status: 'done' },
    });
    const reopened = parseExperiment(saved);
    const id = reopened.draft.runs[0].id;
    expect(
      seedColumns(reopened.draft.runs[0], reopened.results[id]).map((c) => [
        c.label,
        c.series.loss,
        c.series.lr.map(Number.isNaN),
      ]),
    ).toEqual([
      ['SGD · seed 0', [4, 2], [true, true]],
      ['SGD · seed 1', [4, 1], [true, true]],
      ['SGD · seed 2', [4, 8], [true, true]],
    ]);
    expect(
      aggregateLines(lines, seedListGroups(listed.runs), 'seeds').map((l) => [l.label, l.role]),
    ).toEqual([
      ['SGD · seed 0', 'seed'],
      ['SGD · seed 1', 'seed'],
      ['SGD · seed 2', 'seed'],
    ]);
  });
});
