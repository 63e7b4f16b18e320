import { cpu, Parameter, type Backend } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import {
  AdaBelief,
  AdEMAMix,
  ademamixAlphaAt,
  ademamixBeta3At,
  Adan,
  checkOptimizerOptions,
  createOptimizer,
  LAMB,
  LARS,
  OPTIMIZERS,
  type OptimizerStateDict,
} from '../../src/index.js';
import { fixtureName, loadFixtures, run, setGrads, setUp, worstError } from './harness.js';

/**
 * The `adaptive` group of issue 11 (LAMB, LARS, AdaBelief, Adan, AdEMAMix) against the NumPy
 * references of tools/fixtures/optim/generate_adaptive.py, written from Optax and
 * apple/ml-ademamix (commits in the file). Error measure as in optimizers-fixtures.test.ts:
 * |got − ref| / max(|ref|, 1).
 */
const file = loadFixtures('optimizers-adaptive.json');
const GROUP = ['LAMB', 'LARS', 'AdaBelief', 'Adan', 'AdEMAMix'];

describe('adaptive group: reference trajectories', () => {
  it('cover the five optimizers on the three problems, each naming its reference and commit', () => {
    expect(file.steps).toBe(30);
    expect([...new Set(file.fixtures.map((f) => f.optimizer))].sort()).toEqual([...GROUP].sort());
    for (const name of GROUP) {
      const problems = new Set(
        file.fixtures.filter((f) => f.optimizer === name).map((f) => f.problem),
      );
      expect([...problems].sort()).toEqual(['lstsq', 'quadratic', 'rosenbrock']);
    }
    for (const f of file.fixtures) {
      expect(f.codePath).toMatch(
        /^NumPy reference from (Optax \w+ \(google-deepmind\/optax@2edbcbe2390da13983b92cbef94ac0460ecde1c5\)|pytorch\/ademamix\.py \(apple\/ml-ademamix@c3d73c09f1287e5c33b95189bb0aa7de0a5a7667\))$/,
      );
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

/** Option sets that switch on every kind of state and code path. */
const STATEFUL: [string, Record<string, unknown>][] = [
  ['LAMB', { lr: 0.05, weightDecay: 0.1 }],
  ['LARS', { lr: 1, weightDecay: 0.1, nesterov: true }],
  ['AdaBelief', { lr: 0.05 }],
  ['Adan', { lr: 0.05, weightDecay: 0.1 }],
  ['AdEMAMix', { lr: 0.05, alphaWarmup: 4, beta3Warmup: 6 }],
  ['AdEMAMix', { lr: 0.05, betas: [0, 0.999, 0.9999] }],
];

/** Full-tensor passes per step and parameter: LAMB/LARS add two reductions (‖θ‖², ‖u‖²). */
const PASSES: Record<string, number> = { LAMB: 4, LARS: 4, AdaBelief: 1, Adan: 1, AdEMAMix: 1 };

function make(be: Backend, name: string, options: Record<string, unknown>) {
  return setUp(be, { optimizer: name, options, problem: 'lstsq', groups: null });
}

describe('adaptive group: state and passes', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it.each(STATEFUL)(
      `${dtype} %s %j: a JSON round trip mid-run continues bit for bit`,
      (name, options) => {
        const be = cpu({ dtype });
        const a = make(be, name, options);
        run(be, 'lstsq', a.params, a.opt, 7);
        const saved = JSON.parse(JSON.stringify(a.opt.stateDict())) as OptimizerStateDict;
        const b = make(be, name, options);
        b.params.forEach((p, i) => {
          p.value = be.tensor(a.params[i].value.dataSync(), p.shape);
        });
        b.opt.loadStateDict(saved);
        expect(b.opt.stateDict()).toEqual(a.opt.stateDict());
        expect(run(be, 'lstsq', b.params, b.opt, 5)).toEqual(run(be, 'lstsq', a.params, a.opt, 5));
      },
    );
  }

  it.each(STATEFUL)(
    '%s %j: step() reads nothing back, frees its temporaries, and makes the counted passes',
    (name, options) => {
      const be = cpu({ dtype: 'float32' });
      const { params, opt } = make(be, name, options);
      run(be, 'lstsq', params, opt, 2);
      setGrads(be, 'lstsq', params);
      const before = be.stats();
      opt.step();
      const after = be.stats();
      expect(after.readbacks).toBe(before.readbacks);
      expect(after.liveTensors).toBe(before.liveTensors);
      expect(after.kernels - before.kernels).toBe(PASSES[name] * params.length);
    },
  );

  it('state per parameter: LAMB m, v; LARS the trace; AdaBelief m, s; Adan m, v, n, g; AdEMAMix 3 (2 with β₁ = 0)', () => {
    const be = cpu({ dtype: 'float64' });
    const names = (name: string, options: Record<string, unknown>) => {
      const { params, opt } = make(be, name, { lr: 0.01, ...options });
      run(be, 'lstsq', params, opt, 1);
      return Object.keys(opt.state.get(params[0])!.tensors).sort();
    };
    expect(names('LAMB', {})).toEqual(['expAvg', 'expAvgSq']);
    expect(names('LARS', {})).toEqual(['trace']);
    expect(names('AdaBelief', {})).toEqual(['expAvg', 'expAvgVar']);
    expect(names('Adan', {})).toEqual(['expAvg', 'expAvgDiff', 'expAvgSq', 'prevGrad']);
    expect(names('AdEMAMix', {})).toEqual(['expAvgFast', 'expAvgSlow', 'expAvgSq']);
    expect(names('AdEMAMix', { betas: [0, 0.999, 0.9999] })).toEqual(['expAvgSlow', 'expAvgSq']);
  });
});

describe('adaptive group: hand-derived steps', () => {
  const be = cpu({ dtype: 'float64' });

  it('LAMB and LARS take a trust ratio of 1 where ‖θ‖ = 0 (Optax’s safe ratio)', () => {
    // LAMB, step 1 from θ = 0: u = g/(|g| + ε), r = 1, θ = −lr·u.
    const w = new Parameter(be.zeros([2]));
    w.grad = be.tensor([0.5, -2], [2]);
    new LAMB([w], { lr: 0.1 }).step();
    expect(Array.from(w.value.dataSync())).toEqual([
      -0.1 * (0.5 / (0.5 + 1e-6)),
      -0.1 * (-2 / (2 + 1e-6)),
    ]);
    // LARS, step 1 from θ = 0: r = 1 (not the trust coefficient), the trace is −lr·g.
    const v = new Parameter(be.zeros([2]));
    v.grad = be.tensor([0.5, -2], [2]);
    const lars = new LARS([v], { lr: 0.1 });
    lars.step();
    expect(Array.from(v.value.dataSync())).toEqual([-0.1 * 0.5, -0.1 * -2]);
    expect(Array.from(lars.state.get(v)!.tensors.trace.dataSync())).toEqual([-0.05, 0.2]);
  });

  it('LAMB scales the Adam direction by ‖θ‖/‖u‖ of each tensor', () => {
    // Step 1: u = g/(|g| + ε) = ±(1 − ε/(|g| + ε)); θ = (3, 4), ‖θ‖ = 5.
    const w = new Parameter(be.tensor([3, 4], [2]));
    w.grad = be.tensor([1, -1], [2]);
    new LAMB([w], { lr: 0.1, eps: 0 }).step();
    // u = (1, −1), ‖u‖ = √2, r = 5/√2.
    const r = 5 / Math.sqrt(2);
    expect(Array.from(w.value.dataSync())).toEqual([3 - 1 * r * 0.1, 4 - -1 * r * 0.1]);
  });

  it('LARS keeps the learning rate inside its momentum trace (a new lr applies to new steps only)', () => {
    const v = new Parameter(be.tensor([3, 4], [2]));
    const lars = new LARS([v], { lr: 1, trustCoefficient: 1, momentum: 0.5 });
    v.grad = be.tensor([0, 1], [2]); // r = 5/1
    lars.step(); // T = −1·5·(0, 1) = (0, −5); θ = (3, −1)
    expect(Array.from(v.value.dataSync())).toEqual([3, -1]);
    lars.paramGroups[0].lr = 0.1;
    v.grad = be.tensor([1, 0], [2]); // ‖θ‖ = √10, r = √10
    lars.step(); // T = −0.1·√10·(1, 0) + 0.5·(0, −5)
    const u = -0.1 * Math.sqrt(10);
    expect(Array.from(lars.state.get(v)!.tensors.trace.dataSync())).toEqual([u, -2.5]);
    expect(Array.from(v.value.dataSync())).toEqual([3 + u, -1 - 2.5]);
  });

  it('AdaBelief: first step m̂/(√ŝ + ε) with s = (1 − β₂)(g − m)² + ε_root', () => {
    const w = new Parameter(be.tensor([1], [1]));
    w.grad = be.tensor([2], [1]);
    new AdaBelief([w], { lr: 0.1 }).step();
    const m = 0.1 * 2;
    const s = 0.001 * (2 - m) ** 2 + 1e-16;
    expect(w.value.dataSync()[0]).toBe(1 + -0.1 * (m / 0.1 / (Math.sqrt(s / 0.001) + 1e-16)));
  });

  it('Adan: the first step has no gradient difference; the second uses g − g_prev', () => {
    const w = new Parameter(be.tensor([0], [1]));
    const adan = new Adan([w], { lr: 1, betas: [0.5, 0.5, 0.5], eps: 0, epsRoot: 0 });
    w.grad = be.tensor([2], [1]);
    adan.step(); // m̂ = 2, v = 0, n̂ = 4: u = 1
    expect(w.value.dataSync()[0]).toBe(-1);
    w.grad = be.tensor([4], [1]);
    adan.step();
    // m = 0.5·1 + 0.5·4 = 2.5, v = 0.5·2 = 1, n = 0.5·2 + 0.5·(4 + 0.5·2)² = 13.5
    const u = (2.5 / 0.75 + 0.5 * (1 / 0.75)) / Math.sqrt(13.5 / 0.75);
    expect(w.value.dataSync()[0]).toBe(-1 + -1 * u);
    expect(Array.from(adan.state.get(w)!.tensors.prevGrad.dataSync())).toEqual([4]);
  });

  it('AdEMAMix warmups follow the reference’s schedulers (values from generate_adaptive.py)', () => {
    expect(ademamixAlphaAt(3, 2, 8)).toBe(0.75);
    expect(ademamixAlphaAt(8, 2, 8)).toBe(2);
    expect(ademamixAlphaAt(3, 2, null)).toBe(2);
    expect(ademamixBeta3At(10, 0.9999, 0.9, 20)).toBeCloseTo(0.9998002195855972, 15);
    expect(ademamixBeta3At(1, 0.999, 0, 7)).toBeCloseTo(0.9930233002348225, 15);
    expect(ademamixBeta3At(20, 0.9999, 0.9, 20)).toBe(0.9999);
  });

  it('AdEMAMix: first step (m₁/(1 − β₁) + α·m₂)/(|g| + ε) with the slow average not bias-corrected', () => {
    const w = new Parameter(be.tensor([1], [1]));
    w.grad = be.tensor([2], [1]);
    new AdEMAMix([w], { lr: 0.1 }).step();
    const m1 = 0.1 * 2;
    const m2 = (1 - 0.9999) * 2;
    const denom = Math.sqrt(0.001 * 4) / Math.sqrt(0.001) + 1e-8;
    expect(w.value.dataSync()[0]).toBeCloseTo(1 + -0.1 * ((m1 / 0.1 + 2 * m2) / denom), 15);
  });
});

describe('adaptive group: options', () => {
  const param = () => new Parameter(cpu({ dtype: 'float64' }).tensor([1, 2], [2]));

  it('have the references’ defaults (Optax has no default lr: the table says which is used)', () => {
    const d = (name: string) =>
      Object.fromEntries(OPTIMIZERS[name].options.map((o) => [o.name, o.default]));
    expect(d('LAMB')).toEqual({
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-6,
      epsRoot: 0,
      weightDecay: 0,
    });
    expect(d('LARS')).toEqual({
      lr: 1,
      weightDecay: 0,
      trustCoefficient: 0.001,
      eps: 0,
      momentum: 0.9,
      nesterov: false,
    });
    expect(d('AdaBelief')).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-16, epsRoot: 1e-16 });
    expect(d('Adan')).toEqual({
      lr: 1e-3,
      betas: [0.98, 0.92, 0.99],
      eps: 1e-8,
      epsRoot: 1e-8,
      weightDecay: 0,
    });
    expect(d('AdEMAMix')).toEqual({
      lr: 1e-3,
      betas: [0.9, 0.999, 0.9999],
      alpha: 2,
      beta3Warmup: null,
      alphaWarmup: null,
      eps: 1e-8,
      weightDecay: 0,
    });
  });

  it('refuse bad values, naming the option and the value', () => {
    expect(() => new Adan([param()], { betas: [0.9, 0.9] as never })).toThrow(
      'Adan: option "betas" must list at least 3 numbers, got [0.9,0.9]',
    );
    expect(() => new Adan([param()], { betas: [0.9, 0.9, 0.9, 0.9] as never })).toThrow(
      'Adan: option "betas" must be three numbers [β₁, β₂, β₃], got [0.9,0.9,0.9,0.9]',
    );
    expect(checkOptimizerOptions('AdEMAMix', { betas: [0.9, 0.9, 0.9, 0.9] })).toEqual([
      {
        path: ['betas'],
        message: 'option "betas" must be three numbers [β₁, β₂, β₃], got [0.9,0.9,0.9,0.9]',
      },
    ]);
    expect(() => new AdEMAMix([param()], { betas: [0.9, 0.999, 1] })).toThrow(
      'AdEMAMix: option "betas" [2] must be < 1, got 1',
    );
    expect(() => createOptimizer('AdEMAMix', [param()], { betas: 0.9 })).toThrow(
      'AdEMAMix: option "betas" must be a list of numbers, got 0.9',
    );
    expect(() => new AdEMAMix([param()], { alphaWarmup: 2.5 })).toThrow(
      'AdEMAMix: Invalid alphaWarmup value: 2.5',
    );
    expect(() => new AdEMAMix([param()], { alpha: -1 })).toThrow(
      'AdEMAMix: Invalid alpha value: -1',
    );
    expect(() => new LAMB([param()], { epsRoot: -1 })).toThrow('LAMB: Invalid epsRoot value: -1');
    expect(() => new LARS([param()], { trustCoefficient: -1 })).toThrow(
      'LARS: Invalid trustCoefficient value: -1',
    );
    expect(() => new AdaBelief([param()], { eps: -1 })).toThrow(
      'AdaBelief: Invalid epsilon value: -1',
    );
    expect(() => createOptimizer('LARS', [param()], { weightDecayMask: true })).toThrow(
      'LARS: unknown option "weightDecayMask"; known: lr, weightDecay, trustCoefficient, eps, momentum, nesterov',
    );
    // ε = 0 is Optax's LARS default and allowed everywhere in this group.
    expect(() => new LAMB([param()], { eps: 0 })).not.toThrow();
  });
});
