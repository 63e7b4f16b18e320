// The sweep view's heatmap and parallel coordinates, the Build sweep editor's rows and preview,
// the protocol toggle, and the leaderboard's time to target: all read runComparison's analysis
// (the CLI's), checked here against that analysis itself.
import { describe, expect, it } from 'vitest';
import {
  assertSpec,
  defaultCatalog,
  runComparison,
  type ComparisonAnalysis,
  type ExperimentSummary,
} from '@optlab/experiment';
import { heatmaps } from '../src/renderer/src/lib/heatmap.js';
import { parallelCoordinates, position } from '../src/renderer/src/lib/parallel-coordinates.js';
import {
  expansionPreview,
  newRow,
  rowsOf,
  sweepOf,
  sweepablePaths,
  toSweepValues,
} from '../src/renderer/src/lib/sweep-editor.js';
import { fromSpec } from '../src/renderer/src/lib/draft.js';
import { parseSeedList, withProtocol } from '../src/renderer/src/lib/protocol-editor.js';
import { durationText, leaderboardRows } from '../src/renderer/src/lib/leaderboard.js';
import { scoreScale } from '../src/renderer/src/lib/score-color.js';

const catalog = defaultCatalog();

/** ½·(x² + 4y²) from (1, 1): SGD with lr ≥ 0.5 and no momentum diverges (|1 − 4·lr| > 1). */
function spec(sweep: Record<string, unknown>) {
  return {
    version: 1,
    name: 'shapes',
    task: {
      kind: 'function',
      function: { type: 'quadratic', coefficients: [1, 4] },
      start: [1, 1],
    },
    training: { steps: 40, targetLoss: 1e-3 },
    runs: [{ name: 'SGD', optimizer: { type: 'SGD' }, backend: 'cpu64', sweep }],
  };
}

async function analysisOf(doc: unknown): Promise<ExperimentSummary> {
  let summary: ExperimentSummary | null = null;
  for await (const e of runComparison(assertSpec(doc, catalog))) {
    if (e.type === 'summary') summary = e.summary;
  }
  return summary!;
}

describe('heatmap', () => {
  it('puts every configuration of a two-option sweep in its cell, marks the diverged and the chosen', async () => {
    const summary = await analysisOf(
      spec({ 'optimizer.lr': [0.05, 0.2, 0.8], 'optimizer.momentum': [0, 0.5] }),
    );
    const analysis = summary.analysis as ComparisonAnalysis;
    const [map] = heatmaps(analysis);
    expect(map.xPath).toBe('optimizer.lr');
    expect(map.yPath).toBe('optimizer.momentum');
    expect(map.xs).toEqual([0.05, 0.2, 0.8]);
    expect(map.ys).toEqual([0, 0.5]);
    const group = analysis.groups[0];
    for (const c of group.configurations) {
      const i = map.xs.indexOf(c.values['optimizer.lr'] as number);
      const j = map.ys.indexOf(c.values['optimizer.momentum'] as number);
      expect(map.cells[j][i]).toBe(c.score);
      expect(map.diverged[j][i]).toBe(c.score === null);
    }
    // lr 0.8 without momentum: |1 − 3.2| > 1, diverged.
    expect(map.diverged[0][2]).toBe(true);
    const chosen = group.configurations.find((c) => c.name === group.best)!;
    expect(map.best).toEqual({
      i: map.xs.indexOf(chosen.values['optimizer.lr'] as number),
      j: map.ys.indexOf(chosen.values['optimizer.momentum'] as number),
    });
    expect(map.metric).toBe('final loss');
    // A one-option sweep has no heatmap, and no parallel coordinates.
    const one = await analysisOf(spec({ 'optimizer.lr': [0.05, 0.2] }));
    expect(heatmaps(one.analysis!)).toEqual([]);
    expect(parallelCoordinates(one.analysis!)).toEqual([]);
  });
});

describe('parallel coordinates', () => {
  it('gives one axis per option and one for the score, a line per configuration', async () => {
    const summary = await analysisOf(
      spec({
        'optimizer.lr': [0.01, 0.2],
        'optimizer.momentum': [0, 0.5],
        'optimizer.dampening': [0, 0.5],
      }),
    );
    const [pc] = parallelCoordinates(summary.analysis!);
    expect(pc.axes.map((a) => a.label)).toEqual([
      'optimizer.lr',
      'optimizer.momentum',
      'optimizer.dampening',
      'final loss',
    ]);
    // lr spans more than a decade: log; momentum from 0: linear.
    expect(pc.axes[0]).toMatchObject({ log: true, min: 0.01, max: 0.2 });
    expect(pc.axes[1]).toMatchObject({ log: false, min: 0, max: 0.5 });
    expect(pc.lines).toHaveLength(8);
    const group = summary.analysis!.groups[0];
    expect(pc.lines.map((l) => l.values[3])).toEqual(group.configurations.map((c) => c.score));
    expect(pc.lines.filter((l) => l.chosen).map((l) => l.name)).toEqual([group.best]);
    expect(position(pc.axes[0], 0.01)).toBe(0);
    expect(position(pc.axes[0], 0.2)).toBe(1);
    expect(position(pc.axes[1], 0.25)).toBe(0.5);
  });
});

describe('score colours', () => {
  it('gives the best score yellow and the worst dark purple, either direction', () => {
    const lower = scoreScale([0.001, 1], true);
    expect(lower(0.001)).toBe('rgb(253, 231, 37)');
    expect(lower(1)).toBe('rgb(68, 1, 84)');
    const higher = scoreScale([0.5, 0.9], false);
    expect(higher(0.9)).toBe('rgb(253, 231, 37)');
    expect(higher(0.5)).toBe('rgb(68, 1, 84)');
  });
});

describe('sweep editor', () => {
  const draft = fromSpec({
    ...spec({}),
    runs: [{ name: 'SGD', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu64' }],
  });

  it('offers the numeric options of the optimizer and schedule, and the batch size for data', () => {
    const paths = sweepablePaths(catalog, { optimizer: { type: 'SGD' } }, 'function');
    expect(paths).toContain('optimizer.lr');
    expect(paths).toContain('optimizer.momentum');
    expect(paths).not.toContain('optimizer.nesterov');
    expect(paths).not.toContain('training.batchSize');
    expect(
      sweepablePaths(
        catalog,
        { optimizer: { type: 'SGD' }, schedule: { type: 'StepLR' } },
        'regression',
      ),
    ).toEqual(expect.arrayContaining(['schedule.gamma', 'training.batchSize']));
  });

  it('writes each form as the spec reads it and reads it back', () => {
    const row = newRow('optimizer.lr', 0.1);
    expect(toSweepValues(row)).toEqual({ logspace: [0.01, 1, 5] });
    const forms = {
      'optimizer.lr': { logspace: [0.001, 0.1, 3] },
      'optimizer.momentum': [0, 0.9],
      'optimizer.dampening': { linspace: [0, 0.5, 2] },
    };
    expect(sweepOf(rowsOf(forms))).toEqual(forms);
    const random = { 'optimizer.lr': { random: { loguniform: [1e-4, 1] }, trials: 6, seed: 3 } };
    expect(sweepOf(rowsOf(random))).toEqual(random);
    expect(sweepOf([])).toBeUndefined();
  });

  it('previews the expansion with names and trainings, or the problems with their paths', () => {
    const swept = {
      ...draft,
      runs: [{ ...draft.runs[0], sweep: { 'optimizer.lr': { logspace: [0.01, 1, 3] } } }],
    };
    expect(expansionPreview(catalog, swept, 0)).toEqual({
      ok: true,
      budget: 3,
      names: ['SGD[lr=0.01]', 'SGD[lr=0.1]', 'SGD[lr=1]'],
      trainings: 3,
    });
    const withRerun = withProtocol(swept, { tuneSeeds: [0], rerunSeeds: 4 });
    expect(expansionPreview(catalog, withRerun, 0)).toMatchObject({ budget: 3, trainings: 7 });
    const bad = {
      ...draft,
      runs: [{ ...draft.runs[0], sweep: { 'optimizer.lr': { logspace: [0, 1, 3] } } }],
    };
    expect(expansionPreview(catalog, bad, 0)).toEqual({
      ok: false,
      problems: [
        'runs[0].sweep["optimizer.lr"].logspace: a log grid needs lo > 0 and hi > 0, got [0, 1, 3]',
      ],
    });
  });
});

describe('protocol editor', () => {
  it('takes the seeds from the runs when on, gives them back when off', () => {
    const draft = fromSpec({
      ...spec({}),
      runs: [{ name: 'SGD', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu64', seed: 4 }],
    });
    const on = withProtocol(draft, { tuneSeeds: [0], rerunSeeds: 3 });
    expect(on.protocol).toEqual({ tuneSeeds: [0], rerunSeeds: 3 });
    expect(on.runs[0].seed).toBeUndefined();
    const off = withProtocol(on, undefined);
    expect(off.protocol).toBeUndefined();
    expect(off.runs[0].seed).toBe(0);
    expect(parseSeedList('0, 2,5')).toEqual([0, 2, 5]);
    expect(parseSeedList('0, -1')).toBeNull();
    expect(parseSeedList('')).toBeNull();
  });
});

describe('leaderboard time to target', () => {
  it('shows the median time to the target beside the steps, or that it was not reached', async () => {
    const summary = await analysisOf({
      ...spec({ 'optimizer.lr': [0.05, 0.2] }),
      protocol: { tuneSeeds: [0], rerunSeeds: 3 },
    });
    const [row] = leaderboardRows(summary);
    const reported = summary.analysis!.groups[0].reported;
    expect(reported.reachedTarget).toBe(3);
    expect(row.targetTime).toBe(durationText(reported.targetMs!.median));
    expect(durationText(812.4)).toBe('812 ms');
    expect(durationText(3414)).toBe('3.41 s');
  });
});
