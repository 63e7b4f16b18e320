// The configurations table of a sweep, from runComparison's analysis in Node (the CLI's).
import { describe, expect, it } from 'vitest';
import {
  assertSpec,
  defaultCatalog,
  runComparison,
  type ExperimentSummary,
} from '@optlab/experiment';
import { configurationTables } from '../src/renderer/src/lib/configuration-rows.js';
import { sensitivity } from '../src/renderer/src/lib/sensitivity.js';

// ½·(x² + 4y²) from (1, 1), 50 steps: SGD's contraction max|1 − lr·c| is 0.99, 0.954, 0.785, 3
// at lr 0.01, 0.0464, 0.215, 1 (lr 1 diverges); momentum 0 or 0.5.
const SPEC = assertSpec(
  {
    version: 1,
    name: 'configurations',
    task: {
      kind: 'function',
      function: { type: 'quadratic', coefficients: [1, 4] },
      start: [1, 1],
    },
    training: { steps: 50 },
    protocol: { tuneSeeds: [0, 1], rerunSeeds: 0 },
    runs: [
      {
        name: 'SGD',
        optimizer: { type: 'SGD' },
        backend: 'cpu64',
        sweep: { 'optimizer.lr': { logspace: [0.01, 1, 4] }, 'optimizer.momentum': [0, 0.5] },
      },
      { name: 'Adam', optimizer: { type: 'Adam', lr: 0.1 }, backend: 'cpu64' },
    ],
  },
  defaultCatalog(),
);

async function summaryOf(): Promise<ExperimentSummary> {
  for await (const event of runComparison(SPEC)) if (event.type === 'summary') return event.summary;
  throw new Error('no summary');
}

describe('configurationTables', () => {
  it('lists every configuration of each sweeping run, best first, diverged last', async () => {
    const analysis = (await summaryOf()).analysis!;
    const tables = configurationTables(analysis);
    // Adam does not sweep: nothing to list.
    expect(tables.map((t) => t.run)).toEqual(['SGD']);
    const [table] = tables;
    expect(table.paths).toEqual(['optimizer.lr', 'optimizer.momentum']);
    expect(table.metric).toBe('final loss');
    const sgd = analysis.groups[0];
    expect(table.rows).toHaveLength(8);
    const scored = sgd.configurations.filter((c) => c.score !== null);
    const byScore = [...scored].sort((a, b) => a.score! - b.score!).map((c) => c.name);
    const diverged = sgd.configurations.filter((c) => c.score === null).map((c) => c.name);
    expect(diverged.length).toBeGreaterThan(0);
    expect(table.rows.map((r) => r.name)).toEqual([...byScore, ...diverged]);
    expect(table.rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // The chosen configuration is the best, and the one the analysis chose.
    expect(table.rows[0]).toMatchObject({ name: sgd.best, chosen: true });
    expect(table.rows.filter((r) => r.chosen)).toHaveLength(1);
    const best = sgd.configurations.find((c) => c.name === sgd.best)!;
    expect(table.rows[0].score).toBe(String(Number(best.score!.toPrecision(4))));
    expect(table.rows[0].values).toEqual([
      String(Number((best.values['optimizer.lr'] as number).toPrecision(3))),
      String(best.values['optimizer.momentum']),
    ]);
    // Diverged rows say so, with how many of their seeds diverged.
    const last = table.rows.at(-1)!;
    expect(last.score).toBe('diverged');
    expect(last.diverged).toBe('2/2');
    expect(last.values[0]).toBe('1');
  });
});

describe('sensitivity over one of two swept options', () => {
  it("shows at each value the best configuration over the other option's values", async () => {
    const analysis = (await summaryOf()).analysis!;
    const sgd = analysis.groups[0];
    const lr = sensitivity(analysis, 'optimizer.lr');
    expect(lr.xs).toHaveLength(4);
    const [line] = lr.lines;
    lr.xs.forEach((x, i) => {
      const scores = sgd.configurations
        .filter((c) => c.values['optimizer.lr'] === x && c.score !== null)
        .map((c) => c.score!);
      expect(line.median[i]).toBe(scores.length > 0 ? Math.min(...scores) : null);
    });
    // lr 1 diverged with either momentum: marked, not drawn.
    expect(line.diverged).toEqual([1]);
    const momentum = sensitivity(analysis, 'optimizer.momentum');
    expect(momentum.xs).toEqual([0, 0.5]);
    momentum.xs.forEach((m, i) => {
      const scores = sgd.configurations
        .filter((c) => c.values['optimizer.momentum'] === m && c.score !== null)
        .map((c) => c.score!);
      expect(momentum.lines[0].median[i]).toBe(Math.min(...scores));
    });
  });
});
