import { describe, expect, it } from 'vitest';
import {
  assertSpec,
  comparisonSummary,
  defaultCatalog,
  divergedInSearch,
  divergedResults,
  expandSweeps,
  runComparison,
  type ExperimentEvent,
  type ExperimentSummary,
} from './helpers.js';

async function collect(spec: ReturnType<typeof assertSpec>) {
  const events: ExperimentEvent[] = [];
  let summary: ExperimentSummary | null = null;
  for await (const e of runComparison(spec)) {
    events.push(e);
    if (e.type === 'summary') summary = e.summary;
  }
  return { events, summary: summary! };
}

describe('sweep on the quadratic ½·c·x²: SGD picks the fastest contraction |1 − lr·c|', () => {
  const c = 4;
  const steps = 20;
  const spec = assertSpec(
    {
      version: 1,
      name: 'quadratic-lr-sweep',
      task: { kind: 'function', function: { type: 'quadratic', coefficients: [c] }, start: [1] },
      training: { steps },
      runs: [
        {
          name: 'SGD',
          optimizer: { type: 'SGD' },
          backend: 'cpu64',
          sweep: { 'optimizer.lr': { logspace: [1e-3, 1, 13] } },
        },
      ],
      protocol: { tuneSeeds: [0], rerunSeeds: 0 },
    },
    defaultCatalog(),
  );

  it('expands into 13 configurations named by their lr, the budget', () => {
    const { groups } = expandSweeps(spec);
    expect(groups).toHaveLength(1);
    expect(groups[0].budget).toBe(13);
    expect(groups[0].configurations.map((k) => k.name)).toEqual([
      'SGD[lr=1e-3]',
      'SGD[lr=1.78e-3]',
      'SGD[lr=3.16e-3]',
      'SGD[lr=5.62e-3]',
      'SGD[lr=0.01]',
      'SGD[lr=0.0178]',
      'SGD[lr=0.0316]',
      'SGD[lr=0.0562]',
      'SGD[lr=0.1]',
      'SGD[lr=0.178]',
      'SGD[lr=0.316]',
      'SGD[lr=0.562]',
      'SGD[lr=1]',
    ]);
    const lrs = groups[0].configurations.map((k) => k.run.optimizer.lr as number);
    lrs.forEach((lr, i) => expect(lr).toBeCloseTo(10 ** (-3 + i / 4), 14));
    expect(lrs[0]).toBe(1e-3);
    expect(lrs[12]).toBe(1);
  });

  it('selects the grid point with the smallest |1 − lr·c|, and every final loss is ½c(1 − lr·c)^2T', async () => {
    const { summary } = await collect(spec);
    const group = summary.analysis!.groups[0];
    const lrOf = (name: string) =>
      expandSweeps(spec).configurations.find((k) => k.name === name)!.run.optimizer.lr as number;
    const factor = (lr: number) => Math.abs(1 - lr * c);
    const fastest = group.configurations.reduce((a, b) =>
      factor(lrOf(b.name)) < factor(lrOf(a.name)) ? b : a,
    );
    expect(group.best).toBe(fastest.name);
    expect(group.best).toBe('SGD[lr=0.316]');
    expect(group.configurations.filter((k) => k.selected).map((k) => k.name)).toEqual([
      'SGD[lr=0.316]',
    ]);
    for (const k of group.configurations) {
      const lr = lrOf(k.name);
      const run = summary.runs.find((m) => m.run === k.name)!;
      if (run.status === 'diverged') {
        // lr = 1: |1 − lr·c| = 3, the loss grows 9× a step and passes 10⁶ × the initial loss.
        expect(k.name).toBe('SGD[lr=1]');
        expect(k.score).toBeNull();
        continue;
      }
      const want = 0.5 * c * (1 - lr * c) ** (2 * steps);
      expect(run.finalLoss / want).toBeCloseTo(1, 10);
      expect(k.score).toBe(run.finalLoss);
    }
    expect(summary.analysis!.protocol).toMatchObject({
      kind: 'tune-and-rerun',
      select: { metric: 'final-loss', reduce: 'final' },
      tuneSeeds: [0],
      rerunSeeds: [],
      report: 'final-loss',
    });
    expect(group.reported.phase).toBe('tune');
  });
});

describe('a choice at the end of its grid is reported (analysis.groups[].edges)', () => {
  // ½·4·x²: the fastest contraction is lr = 0.25; every lr > 0.5 diverges.
  const quadraticSweep = (logspace: [number, number, number]) =>
    assertSpec(
      {
        version: 1,
        name: 'edge',
        task: { kind: 'function', function: { type: 'quadratic', coefficients: [4] }, start: [1] },
        training: { steps: 20 },
        runs: [
          {
            name: 'SGD',
            optimizer: { type: 'SGD' },
            backend: 'cpu64',
            sweep: { 'optimizer.lr': { logspace } },
          },
        ],
        protocol: { tuneSeeds: [0], rerunSeeds: 0 },
      },
      defaultCatalog(),
    );

  it('a grid that stops below the optimum: its highest lr is chosen, and said to be the edge', async () => {
    const { summary } = await collect(quadraticSweep([1e-3, 0.1, 5]));
    const group = summary.analysis!.groups[0];
    expect(group.best).toBe('SGD[lr=0.1]');
    expect(group.edges).toEqual([
      { path: 'optimizer.lr', value: 0.1, side: 'highest', tried: [1e-3, 0.1] },
    ]);
  });

  it('a grid around the optimum has no edge', async () => {
    const { summary } = await collect(quadraticSweep([1e-3, 1, 13]));
    expect(summary.analysis!.groups[0].best).toBe('SGD[lr=0.316]');
    expect(summary.analysis!.groups[0].edges).toEqual([]);
    // lr = 1 diverged while tuning: its own status says so, the comparison's does not.
    expect(summary.runs.find((m) => m.run === 'SGD[lr=1]')!.status).toBe('diverged');
    expect(summary.status).toBe('done');
    expect(divergedInSearch(summary).map((m) => m.run)).toEqual(['SGD[lr=1]']);
    expect(divergedResults(summary)).toEqual([]);
  });

  it('when every configuration diverged, nothing was chosen on merit and no edge is claimed', async () => {
    const { summary } = await collect(quadraticSweep([1, 10, 3]));
    const group = summary.analysis!.groups[0];
    expect(group.configurations.every((k) => k.score === null)).toBe(true);
    expect(group.edges).toEqual([]);
    // The reported configuration itself diverged: a failed comparison.
    expect(summary.status).toBe('diverged');
    expect(divergedResults(summary).map((m) => m.run)).toEqual(['SGD[lr=1]']);
  });
});

describe('runComparison with its own summarize (the lab computes the analysis in a worker)', () => {
  it("hands it both phases' metrics and yields what it gives, equal to comparisonSummary", async () => {
    const spec = assertSpec(
      {
        version: 1,
        name: 'summarize-hook',
        task: { kind: 'function', function: { type: 'quadratic', coefficients: [4] }, start: [1] },
        training: { steps: 10 },
        runs: [
          {
            name: 'SGD',
            optimizer: { type: 'SGD' },
            backend: 'cpu64',
            sweep: { 'optimizer.lr': [0.01, 0.1] },
          },
        ],
        protocol: { tuneSeeds: [0, 1], rerunSeeds: 2 },
      },
      defaultCatalog(),
    );
    const calls: { tune: number; rerun: number; startedAt: string }[] = [];
    const events: ExperimentEvent[] = [];
    for await (const e of runComparison(spec, {
      summarize: async (s, tune, rerun, timing) => {
        calls.push({ tune: tune.length, rerun: rerun.length, startedAt: timing.startedAt });
        await new Promise((r) => setTimeout(r, 1));
        return comparisonSummary(s, tune, rerun, timing);
      },
    })) {
      events.push(e);
    }
    // 2 configurations × 2 tune seeds, then the best on 2 rerun seeds.
    expect(calls).toEqual([{ tune: 4, rerun: 2, startedAt: expect.any(String) }]);
    const last = events.at(-1);
    if (last?.type !== 'summary') throw new Error('no summary');
    const summary = last.summary;
    const plain = await collect(spec);
    expect(summary.analysis).toEqual(plain.summary.analysis);
    expect(summary.runs).toHaveLength(6);
  });
});

describe('validationFraction', () => {
  it('holds rows out of training, apart from the test rows, the same way every time', async () => {
    const { prepareTask } = await import('./helpers.js');
    const spec = assertSpec(
      {
        version: 1,
        name: 'split',
        task: {
          kind: 'classification',
          dataset: { type: 'breast-cancer' },
          model: { type: 'logistic-regression' },
          testFraction: 0.2,
          validationFraction: 0.25,
        },
        training: { epochs: 1 },
        runs: [{ name: 'SGD', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu64' }],
      },
      defaultCatalog(),
    );
    const rowsOf = (d: { x: ArrayLike<number>; n: number; features: number }) =>
      Array.from({ length: d.n }, (_, i) =>
        Array.from(d.x)
          .slice(i * d.features, (i + 1) * d.features)
          .join(','),
      );
    const a = await prepareTask(spec);
    const b = await prepareTask(spec);
    if (a.kind === 'function' || b.kind === 'function') throw new Error('a data task');
    const [train, validation, test] = [a.train, a.validation!, a.test!].map(rowsOf);
    // 569 rows (212 malignant, 357 benign), stratified: round(212·0.2) + round(357·0.2) = 42 + 71
    // test rows; of the 170 + 286 left, round(170/4) + round(286/4) = 43 + 72 validation rows.
    expect([train.length, validation.length, test.length]).toEqual([341, 115, 113]);
    const trainSet = new Set(train);
    expect(validation.some((r) => trainSet.has(r))).toBe(false);
    expect(test.some((r) => trainSet.has(r) || validation.includes(r))).toBe(false);
    expect(rowsOf(b.validation!)).toEqual(validation);
    a.dispose();
    b.dispose();
  });
});
