import { describe, expect, it } from 'vitest';
import {
  LIMITS,
  assertSpec,
  defaultCatalog,
  expandSweeps,
  formatSweepNumber,
  gridValues,
  randomDraws,
  validateSpec,
} from './helpers.js';

const base = {
  version: 1,
  name: 'sweep',
  task: { kind: 'function', function: { type: 'rosenbrock' } },
  training: { steps: 5 },
};

function issuesOf(doc: unknown) {
  const r = validateSpec(doc, defaultCatalog());
  return r.ok ? [] : r.issues;
}

function withRun(run: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { ...base, runs: [{ name: 'Adam', optimizer: { type: 'Adam' }, ...run }], ...extra };
}

describe('sweep grids', () => {
  it('logspace and linspace hit both ends exactly', () => {
    expect(gridValues({ logspace: [1e-4, 1, 5] })).toEqual([1e-4, 1e-3, 0.01, 0.1, 1]);
    expect(gridValues({ linspace: [0, 0.9, 4] })).toEqual([0, 0.3, 0.6, 0.9]);
    expect(gridValues({ logspace: [0.5, 8, 1] })).toEqual([0.5]);
    expect(gridValues([0.9, 0.99])).toEqual([0.9, 0.99]);
  });
  it('random draws are seeded, in range, and drawn trial by trial', () => {
    const dims = [
      { path: 'optimizer.lr', distribution: 'loguniform' as const, range: [1e-4, 1e-1] as const },
      { path: 'optimizer.weightDecay', distribution: 'uniform' as const, range: [0, 0.1] as const },
    ];
    const a = randomDraws(dims, 20, 7);
    expect(randomDraws(dims, 20, 7)).toEqual(a);
    expect(randomDraws(dims, 20, 8)).not.toEqual(a);
    for (const [lr, wd] of a) {
      expect(lr).toBeGreaterThanOrEqual(1e-4);
      expect(lr).toBeLessThan(1e-1);
      expect(wd).toBeGreaterThanOrEqual(0);
      expect(wd).toBeLessThan(0.1);
    }
    // The first 5 trials do not change when more are asked for.
    expect(randomDraws(dims, 5, 7)).toEqual(a.slice(0, 5));
  });
  it('formats numbers with 3 significant digits', () => {
    expect(formatSweepNumber(0.0031622776601683794)).toBe('3.16e-3');
    expect(formatSweepNumber(1e-4)).toBe('1e-4');
    expect(formatSweepNumber(0.0316)).toBe('0.0316');
    expect(formatSweepNumber(0.9)).toBe('0.9');
    expect(formatSweepNumber(15000)).toBe('1.5e4');
    expect(formatSweepNumber(0)).toBe('0');
  });
});

describe('expandSweeps', () => {
  it('takes the Cartesian product, first path outermost, with stable unique names', () => {
    const spec = assertSpec(
      withRun({
        optimizer: { type: 'SGD' },
        name: 'SGD',
        sweep: { 'optimizer.lr': [0.1, 0.01], 'optimizer.momentum': [0, 0.9] },
      }),
      defaultCatalog(),
    );
    const e = expandSweeps(spec);
    expect(e.groups[0].budget).toBe(4);
    expect(e.configurations.map((c) => c.name)).toEqual([
      'SGD[lr=0.1, momentum=0]',
      'SGD[lr=0.1, momentum=0.9]',
      'SGD[lr=0.01, momentum=0]',
      'SGD[lr=0.01, momentum=0.9]',
    ]);
    expect(e.configurations[1].run).toEqual({
      name: 'SGD[lr=0.1, momentum=0.9]',
      optimizer: { type: 'SGD', lr: 0.1, momentum: 0.9 },
      backend: 'cpu',
    });
    expect(expandSweeps(spec)).toEqual(e);
  });
  it('gives values that print alike more digits, so names stay unique', () => {
    const spec = assertSpec(
      withRun({ sweep: { 'optimizer.lr': [0.0012345, 0.0012346] } }),
      defaultCatalog(),
    );
    expect(expandSweeps(spec).configurations.map((c) => c.name)).toEqual([
      // 4 digits tell them apart (1.2345e-3 is stored just below 1.2345e-3).
      'Adam[lr=1.234e-3]',
      'Adam[lr=1.235e-3]',
    ]);
  });
  it('draws random dimensions together: trials configurations, crossed with the grids', () => {
    const spec = assertSpec(
      withRun({
        sweep: {
          'optimizer.lr': { random: { loguniform: [1e-4, 1e-1] }, trials: 3, seed: 5 },
          'optimizer.amsgrad': [false, true],
          'optimizer.weightDecay': { random: { uniform: [0, 0.1] }, trials: 3, seed: 5 },
        },
      }),
      defaultCatalog(),
    );
    const e = expandSweeps(spec);
    expect(e.groups[0].budget).toBe(6);
    const draws = randomDraws(
      [
        { path: 'optimizer.lr', distribution: 'loguniform', range: [1e-4, 1e-1] },
        { path: 'optimizer.weightDecay', distribution: 'uniform', range: [0, 0.1] },
      ],
      3,
      5,
    );
    expect(
      e.configurations.map((c) => [
        c.values['optimizer.lr'],
        c.values['optimizer.weightDecay'],
        c.values['optimizer.amsgrad'],
      ]),
    ).toEqual(
      draws.flatMap(([lr, wd]) => [
        [lr, wd, false],
        [lr, wd, true],
      ]),
    );
  });
  it('applies training.batchSize and model.init to the run', () => {
    const spec = assertSpec(
      {
        version: 1,
        name: 'data',
        task: {
          kind: 'classification',
          dataset: { type: 'moons', n: 40 },
          model: { type: 'mlp', hidden: [4] },
        },
        training: { epochs: 1 },
        runs: [
          {
            name: 'SGD',
            optimizer: { type: 'SGD', lr: 0.1 },
            sweep: { 'training.batchSize': [8, 'full'], 'model.init': ['small-normal'] },
          },
        ],
      },
      defaultCatalog(),
    );
    expect(
      expandSweeps(spec).configurations.map((c) => [c.name, c.run.training, c.run.model]),
    ).toEqual([
      ['SGD[batchSize=8, init=small-normal]', { batchSize: 8 }, { init: 'small-normal' }],
      ['SGD[batchSize=full, init=small-normal]', { batchSize: 'full' }, { init: 'small-normal' }],
    ]);
  });
});

describe('bad sweeps are refused with their JSON path', () => {
  it('a sweep over an unknown option', () => {
    expect(issuesOf(withRun({ sweep: { 'optimizer.lrr': [0.1] } }))).toEqual([
      {
        path: 'runs[0].sweep["optimizer.lrr"]',
        message: expect.stringMatching(/^unknown option "lrr" for optimizer Adam; known: lr, /),
      },
    ]);
    expect(issuesOf(withRun({ sweep: { 'optimiser.lr': [0.1] } }))).toEqual([
      {
        path: 'runs[0].sweep["optimiser.lr"]',
        message:
          'unknown sweep path "optimiser.lr"; sweep optimizer.<option>, schedule.<option>, training.batchSize or model.init',
      },
    ]);
    expect(issuesOf(withRun({ sweep: { 'schedule.gamma': [0.5] } }))[0]).toEqual({
      path: 'runs[0].sweep["schedule.gamma"]',
      message: 'the run has no schedule to sweep; give it a "schedule"',
    });
  });
  it('an empty grid', () => {
    expect(issuesOf(withRun({ sweep: { 'optimizer.lr': [] } }))).toEqual([
      { path: 'runs[0].sweep["optimizer.lr"]', message: 'an empty grid: give at least one value' },
    ]);
    expect(issuesOf(withRun({ sweep: {} }))).toEqual([
      { path: 'runs[0].sweep', message: 'an empty sweep: name at least one option' },
    ]);
  });
  it('a log grid with lo ≤ 0', () => {
    expect(issuesOf(withRun({ sweep: { 'optimizer.lr': { logspace: [0, 1, 5] } } }))).toEqual([
      {
        path: 'runs[0].sweep["optimizer.lr"].logspace',
        message: 'a log grid needs lo > 0 and hi > 0, got [0, 1, 5]',
      },
    ]);
    expect(
      issuesOf(
        withRun({ sweep: { 'optimizer.lr': { random: { loguniform: [-1, 1] }, trials: 2 } } }),
      ),
    ).toEqual([
      {
        path: 'runs[0].sweep["optimizer.lr"].random.loguniform',
        message: 'log-uniform needs lo > 0 and hi > 0, got [-1, 1]',
      },
    ]);
  });
  it('more than the limit of expanded runs', () => {
    const n = Math.floor(LIMITS.expandedRuns / 10) + 1;
    expect(
      issuesOf(
        withRun({
          sweep: {
            'optimizer.lr': { logspace: [1e-5, 1, n] },
            'optimizer.eps': { logspace: [1e-9, 1e-6, 10] },
          },
        }),
      ),
    ).toEqual([
      {
        path: 'runs[0].sweep',
        message: `expands into ${n * 10} configurations; the limit is ${LIMITS.expandedRuns} trainings`,
      },
    ]);
    // Under the limit per run, over it with the seeds.
    expect(
      issuesOf(
        withRun({
          seeds: Array.from({ length: 10 }, (_, i) => i),
          sweep: { 'optimizer.lr': { logspace: [1e-5, 1, n] } },
        }),
      ),
    ).toEqual([
      {
        path: 'runs',
        message: `the sweeps expand into ${n * 10} trainings (configurations × seeds); the limit is ${LIMITS.expandedRuns}`,
      },
    ]);
  });
  it('a value the optimizer refuses, naming the configuration', () => {
    expect(issuesOf(withRun({ sweep: { 'optimizer.lr': [0.1, -1] } }))).toEqual([
      {
        path: 'runs[0].sweep["optimizer.lr"]',
        message: expect.stringMatching(/^Adam\[lr=-1\]: /),
      },
    ]);
  });
  it('seeds are not a sweep dimension; random dimensions agree on trials', () => {
    expect(issuesOf(withRun({ sweep: { seed: [0, 1] } }))[0].path).toBe('runs[0].sweep.seed');
    expect(
      issuesOf(
        withRun({
          sweep: {
            'optimizer.lr': { random: { loguniform: [1e-4, 1] }, trials: 4 },
            'optimizer.eps': { random: { loguniform: [1e-9, 1e-6] }, trials: 5 },
          },
        }),
      ),
    ).toEqual([
      {
        path: 'runs[0].sweep["optimizer.eps"].trials',
        message:
          'the random dimensions of a sweep are drawn together: trials must equal "optimizer.lr"\'s (4)',
      },
    ]);
  });
});

describe('protocol checks', () => {
  it('validation metrics need a validation split; reruns avoid the tune seeds', () => {
    const data = {
      version: 1,
      name: 'p',
      task: {
        kind: 'classification',
        dataset: { type: 'moons', n: 40 },
        model: { type: 'mlp', hidden: [4] },
      },
      training: { epochs: 1 },
      runs: [{ name: 'SGD', optimizer: { type: 'SGD', lr: 0.1 }, seeds: [0, 1] }],
      protocol: { select: { metric: 'validation-loss' }, tuneSeeds: [0, 1], rerunSeeds: [1, 2, 3] },
    };
    expect(issuesOf(data)).toEqual([
      {
        path: 'runs[0].seeds',
        message:
          'the protocol sets the seeds (protocol.tuneSeeds, protocol.rerunSeeds); leave it out',
      },
      {
        path: 'protocol.rerunSeeds',
        message:
          'seed 1 is also a tune seed: a configuration chosen on a seed looks better on it than it is (selection bias); rerun on other seeds',
      },
      {
        path: 'protocol.select.metric',
        message: 'validation-loss needs a validation split: set task.validationFraction (e.g. 0.2)',
      },
    ]);
  });
});
