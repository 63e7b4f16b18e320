import { cpu, Parameter } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import {
  AdamWScheduleFree,
  createOptimizer,
  Muon,
  Prodigy,
  SGDScheduleFree,
  type Optimizer,
  type OptimizerStateDict,
} from '../../src/index.js';
import {
  fixtureName,
  flatValues,
  loadFixtures,
  run,
  setGrads,
  setUp,
  worstError,
} from './harness.js';

/**
 * Replays tools/fixtures/optim/generate_modern.py's NumPy references (Muon from
 * torch/optim/_muon.py, the Schedule-Free pair from facebookresearch/schedule_free, Prodigy from
 * konstmish/prodigy): the parameters after each of 30 steps and, for Schedule-Free, the average x
 * after `eval()` at the end; for Prodigy, its d estimate after the last step.
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
      expect(f.dEstimate !== undefined).toBe(f.optimizer === 'Prodigy');
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
        if (f.dEstimate !== undefined) {
          const { d } = (opt as Prodigy).estimate();
          expect(Math.abs(d - f.dEstimate) / f.dEstimate).toBeLessThanOrEqual(tol);
        }
        opt.dispose();
        params.forEach((p) => p.dispose());
      });
    });
  }
});

const be = cpu({ dtype: 'float64' });

describe('Muon', () => {
  it('refuses a parameter that is not 2-D, naming its index, group, name and shape', () => {
    const w = new Parameter(be.zeros([3, 4]), 'fc.weight');
    const b = new Parameter(be.zeros([3]), 'fc.bias');
    expect(() => new Muon([{ params: [w] }, { params: [b], lr: 0.1 }])).toThrow(
      'Muon: parameter 1 (group 1, "fc.bias") has shape [3]; Muon takes 2-D parameters (weight ' +
        'matrices) only. Give biases and other non-2-D parameters to an AdamW parameter group, ' +
        'as torch.optim.Muon advises',
    );
    expect(() => createOptimizer('Muon', [new Parameter(be.zeros([2, 2, 2]))])).toThrow(
      'Muon: parameter 0 (group 0) has shape [2, 2, 2]',
    );
  });

  it.each([
    [
      { adjustLrFn: 'rms' },
      'Muon: option "adjustLrFn" must be one of null, "original", "match_rms_adamw", got "rms"',
    ],
    [
      { nsCoefficients: [1, 2] },
      'Muon: option "nsCoefficients" must be three numbers (a, b, c), got [1,2]',
    ],
    [
      { nsCoefficients: [1, 'x', 3] },
      'Muon: option "nsCoefficients" [1] must be a finite number, got "x"',
    ],
    [{ nsCoefficients: 3 }, 'Muon: option "nsCoefficients" must be a list of numbers, got 3'],
    [{ nsSteps: 100 }, 'Muon: Invalid nsSteps value: 100'],
    [{ momentum: -0.1 }, 'Muon: Invalid momentum value: -0.1'],
  ])('validates %j', (options, message) => {
    expect(() => new Muon([new Parameter(be.zeros([2, 3]))], options as never)).toThrow(message);
  });

  it('has torch 2.9 defaults', () => {
    const opt = new Muon([new Parameter(be.zeros([2, 3]))]);
    const { params: _, ...options } = opt.paramGroups[0];
    expect(options).toEqual({
      lr: 1e-3,
      weightDecay: 0.1,
      momentum: 0.95,
      nesterov: true,
      nsCoefficients: [3.4445, -4.775, 2.0315],
      eps: 1e-7,
      nsSteps: 5,
      adjustLrFn: null,
    });
  });
});

describe('Schedule-Free', () => {
  const make = (name: string) =>
    setUp(be, { optimizer: name, options: { lr: 0.05 }, problem: 'lstsq', groups: null });

  it.each(['AdamWScheduleFree', 'SGDScheduleFree'])(
    '%s starts in train mode; stepping in eval mode names the fix; eval()/train() are idempotent',
    (name) => {
      const { params, opt } = make(name);
      const sf = opt as AdamWScheduleFree | SGDScheduleFree;
      expect(sf.trainMode).toBe(true);
      sf.eval(); // before any step: no z yet, nothing moves
      expect(flatValues(params)).toEqual(flatValues(make(name).params));
      sf.train();
      run(be, 'lstsq', params, opt, 5);
      const y = flatValues(params);
      sf.eval();
      const x = flatValues(params);
      sf.eval();
      expect(flatValues(params)).toEqual(x);
      expect(x).not.toEqual(y);
      setGrads(be, 'lstsq', params);
      expect(() => opt.step()).toThrow(
        `${name}: step() called in eval mode (the parameters hold the average x); call opt.train() before training steps and opt.eval() before evaluating`,
      );
      sf.train();
      expect(worstError([flatValues(params)], [y])).toBeLessThan(1e-14);
    },
  );

  it('refuses β₁ = 0 and momentum outside (0, 1): eval() divides by them', () => {
    const p = () => [new Parameter(be.zeros([2]))];
    expect(() => new AdamWScheduleFree(p(), { betas: [0, 0.999] })).toThrow(
      'AdamWScheduleFree: Invalid beta parameter at index 0: 0',
    );
    expect(() => new SGDScheduleFree(p(), { momentum: 1 })).toThrow(
      'SGDScheduleFree: Invalid momentum value: 1',
    );
  });
});

describe('Prodigy', () => {
  it('refuses groups whose lr differ other than by 0, naming the group', () => {
    const { params } = setUp(be, { optimizer: 'SGD', options: {}, problem: 'lstsq', groups: null });
    const opt = new Prodigy([{ params: [params[0]] }, { params: [params[1]], lr: 0.5 }]);
    setGrads(be, 'lstsq', params);
    expect(() => opt.step()).toThrow(
      'Prodigy: parameter group 1 has lr 0.5 but another has 1; groups may differ in lr only by setting it to 0',
    );
  });

  it('reports d₀ before the first step and leaves everything alone at lr = 0', async () => {
    const { params, opt } = setUp(be, {
      optimizer: 'Prodigy',
      options: { lr: 0, d0: 1e-3 },
      problem: 'quadratic',
      groups: null,
    });
    const prodigy = opt as Prodigy;
    expect(prodigy.estimate()).toEqual({
      d: 1e-3,
      dMax: 1e-3,
      dNumerator: 0,
      dHat: 1e-3,
      dDenom: 0,
    });
    const before = flatValues(params);
    run(be, 'quadratic', params, opt, 3);
    expect(flatValues(params)).toEqual(before);
    expect(prodigy.paramGroups[0].k).toBe(0);
    prodigy.paramGroups[0].lr = 1;
    run(be, 'quadratic', params, opt, 3);
    expect(prodigy.paramGroups[0].k).toBe(3);
    expect(await prodigy.estimateAsync()).toEqual(prodigy.estimate());
    expect(prodigy.estimate().d).toBeGreaterThan(1e-3);
  });
});

describe('no readback inside step(), and state that survives JSON', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['Muon', { lr: 0.02 }, 'lstsqW'],
    ['AdamWScheduleFree', { lr: 0.05, weightDecay: 0.1 }, 'lstsq'],
    ['SGDScheduleFree', { lr: 0.1 }, 'lstsq'],
    ['Prodigy', { weightDecay: 0.1 }, 'lstsq'],
    ['Prodigy', { betas: [0, 0.99], decouple: false, weightDecay: 0.1 }, 'lstsq'],
  ];

  it.each(cases)('%s %j: steps read nothing back from the backend', (name, options, problem) => {
    const { params, opt } = setUp(be, { optimizer: name, options, problem, groups: null });
    for (let i = 0; i < 3; i++) {
      setGrads(be, problem, params);
      const before = be.stats().readbacks;
      opt.step();
      expect(be.stats().readbacks).toBe(before);
    }
  });

  it.each(cases)(
    '%s %j: a JSON round trip mid-run continues bit for bit',
    async (name, options, problem) => {
      const a = setUp(be, { optimizer: name, options, problem, groups: null });
      run(be, problem, a.params, a.opt, 7);
      const saved = JSON.parse(JSON.stringify(a.opt.stateDict())) as OptimizerStateDict;
      expect(JSON.parse(JSON.stringify(await a.opt.stateDictAsync()))).toEqual(saved);
      const b = setUp(be, { optimizer: name, options, problem, groups: null });
      b.params.forEach((p, i) => (p.value = be.tensor(a.params[i].value.dataSync(), p.shape)));
      b.opt.loadStateDict(saved);
      expect(run(be, problem, b.params, b.opt, 5)).toEqual(run(be, problem, a.params, a.opt, 5));
      if (name === 'Prodigy') {
        expect(saved.paramGroups[0].d).toBeGreaterThan(0);
        expect((b.opt as Prodigy).estimate()).toEqual((a.opt as Prodigy).estimate());
      }
      for (const o of [a.opt, b.opt] as Optimizer[]) o.dispose();
    },
  );
});

describe('Prodigy without gradients in its lr > 0 groups', () => {
  it('changes nothing when only a group at lr 0 has gradients (the reference returns early)', () => {
    const { params } = setUp(be, { optimizer: 'SGD', options: {}, problem: 'lstsq', groups: null });
    const opt = new Prodigy([{ params: [params[0]] }, { params: [params[1]], lr: 0 }]);
    setGrads(be, 'lstsq', params);
    params[0].grad = null;
    const before = flatValues(params);
    opt.step();
    expect(flatValues(params)).toEqual(before);
    expect(opt.paramGroups[0].k).toBe(0);
    expect(opt.state.get(params[1])?.step).toBe(0);
  });
});
