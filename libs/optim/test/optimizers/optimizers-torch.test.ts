import { cpu, Parameter } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import {
  Adafactor,
  AdafactorHF,
  ASGD,
  createOptimizer,
  isClosureOptimizer,
  LBFGS,
  OPTIMIZERS,
  Rprop,
  SAM,
  SGD,
  stepWithClosure,
  type LBFGSEvaluation,
  type Optimizer,
} from '../../src/index.js';
import {
  fixtureName,
  flatValues,
  loadFixtures,
  problemClosure,
  run,
  runWithClosure,
  setGrads,
  setUp,
  type Fixture,
  worstError,
} from './harness.js';

/**
 * Replays tools/fixtures/optim/generate_torch.py: ASGD, Rprop and LBFGS from torch 1.13, torch's
 * Adafactor and SAM from NumPy references (see the generator's header). Error measure as in
 * optimizers-fixtures.test.ts: |got − ref| / max(|ref|, 1).
 */
const file = loadFixtures('optimizers-torch.json');
const CLOSURE = new Set(['LBFGS', 'SAM']);

/** ASGD's ax of every parameter, flattened and concatenated like the trajectory. */
function averaged(opt: Optimizer, params: readonly Parameter[]): number[] {
  return params.flatMap((p) => Array.from(opt.state.get(p)!.tensors.ax.dataSync()));
}

async function replay(dtype: 'float32' | 'float64', f: Fixture) {
  const be = cpu({ dtype });
  const { params, opt } = setUp(be, f);
  const out: {
    trajectory: number[][];
    losses?: number[];
    evaluations?: number[];
    ax?: number[][];
  } = { trajectory: [] };
  if (CLOSURE.has(f.optimizer)) {
    const counts: number[] = [];
    const evaluations = () => (opt as unknown as { evaluations: number }).evaluations;
    const closure = problemClosure(be, f.problem, params);
    out.losses = [];
    for (let s = 0; s < file.steps; s++) {
      const before = evaluations();
      out.losses.push(await stepWithClosure(opt as never, closure));
      counts.push(evaluations() - before);
      out.trajectory.push(flatValues(params));
    }
    out.evaluations = counts;
  } else if (f.optimizer === 'ASGD') {
    out.ax = [];
    for (let s = 0; s < file.steps; s++) {
      setGrads(be, f.problem, params);
      opt.step();
      out.trajectory.push(flatValues(params));
      out.ax.push(averaged(opt, params));
    }
  } else {
    out.trajectory = run(be, f.problem, params, opt, file.steps);
  }
  opt.dispose();
  params.forEach((p) => p.dispose());
  return out;
}

describe('torch group: reference trajectories', () => {
  it('cover ASGD, Rprop, LBFGS, Adafactor and SAM, each fixture naming its code path', () => {
    expect(file.steps).toBe(30);
    expect([...new Set(file.fixtures.map((f) => f.optimizer))].sort()).toEqual(
      ['ASGD', 'Adafactor', 'LBFGS', 'Rprop', 'SAM'].sort(),
    );
    for (const f of file.fixtures) {
      expect(f.codePath).toMatch(
        /^(torch 1\.13\S* (ASGD|Rprop)\(foreach=False\)|torch 1\.13\S* LBFGS|NumPy reference from (pytorch\/pytorch torch\/optim\/_adafactor\.py|davda54\/sam sam\.py))/,
      );
      expect(f.trajectory).toHaveLength(30);
    }
    // strong_wolfe and the history wrap-around are exercised: some steps take many evaluations.
    const lbfgs = file.fixtures.filter((f) => f.optimizer === 'LBFGS');
    expect(lbfgs.some((f) => f.options.lineSearchFn === 'strong_wolfe')).toBe(true);
    expect(Math.max(...lbfgs.flatMap((f) => f.evaluations!))).toBe(25);
    expect(file.fixtures.filter((f) => f.float32 === 'endpoint').map(fixtureName)).toEqual([
      'LBFGS {"lineSearchFn":"strong_wolfe"} on rosenbrock',
    ]);
  });

  for (const [dtype, tol] of [
    ['float64', 1e-10],
    ['float32', 1e-4],
  ] as const) {
    describe(`cpu ${dtype}: whole trajectory within ${tol}`, () => {
      it.each(file.fixtures.map((f) => [fixtureName(f), f] as const))('%s', async (_, f) => {
        const got = await replay(dtype, f);
        if (dtype === 'float32' && f.float32 === 'endpoint') {
          // L-BFGS on Rosenbrock: float32 rounding flips line-search branches on the way (the
          // same code in float64 agrees with torch to 1e-15), so only the minimum reached is compared.
          expect(worstError([got.trajectory[29]], [f.trajectory[29]])).toBeLessThanOrEqual(tol);
          return;
        }
        expect(worstError(got.trajectory, f.trajectory)).toBeLessThanOrEqual(tol);
        if (f.ax) expect(worstError(got.ax!, f.ax)).toBeLessThanOrEqual(tol);
        if (f.losses) {
          expect(worstError([got.losses!], [f.losses])).toBeLessThanOrEqual(tol);
          // Branches on float64 follow torch's exactly; float32 may stop an iteration earlier.
          if (dtype === 'float64') expect(got.evaluations).toEqual(f.evaluations);
        }
      });
    });
  }
});

const be = cpu({ dtype: 'float64' });
const param = (values = [1, -2, 0.5]) => new Parameter(be.tensor(values, [values.length]));

describe('closures', () => {
  it('LBFGS and SAM need one; the error names the optimizer and the closure', () => {
    const lbfgs = new LBFGS([param()]);
    expect(() => lbfgs.step()).toThrow(
      'LBFGS: step() needs a closure that computes the loss and the gradients',
    );
    const sam = new SAM([param()], { base: 'SGD', lr: 0.1 });
    expect(() => sam.step()).toThrow('SAM: step() needs a closure');
    expect(isClosureOptimizer(lbfgs as never)).toBe(true);
    expect(isClosureOptimizer(new SGD([param()]) as never)).toBe(false);
  });

  it('a closure that returns no number is refused', async () => {
    const opt = new LBFGS([param()]);
    await expect(opt.step((() => undefined) as never)).rejects.toThrow(
      'LBFGS: the closure must return the loss as a number, got undefined',
    );
  });

  it('stepWithClosure evaluates once for a plain optimizer, then steps', async () => {
    const p = param([3]);
    const opt = new SGD([p], { lr: 0.25 });
    let calls = 0;
    const loss = await stepWithClosure(opt as never, () => {
      calls += 1;
      p.grad = be.tensor([2 * p.value.dataSync()[0]], [1]);
      return p.value.dataSync()[0] ** 2;
    });
    expect(loss).toBe(9);
    expect(calls).toBe(1);
    expect(p.value.dataSync()[0]).toBe(1.5);
  });

  it('counts evaluations: SAM two per step, LBFGS its line search', async () => {
    const f64 = cpu({ dtype: 'float64' });
    const { params, opt } = setUp(f64, {
      optimizer: 'SAM',
      options: { base: 'Adam', lr: 0.05 },
      problem: 'quadratic',
      groups: null,
    });
    await runWithClosure(f64, 'quadratic', params, opt, 3);
    expect((opt as unknown as SAM).evaluations).toBe(6);
    const l = setUp(f64, {
      optimizer: 'LBFGS',
      options: { lineSearchFn: 'strong_wolfe' },
      problem: 'rosenbrock',
      groups: null,
    });
    await runWithClosure(f64, 'rosenbrock', l.params, l.opt, 1);
    const evals = (l.opt as unknown as LBFGS).evaluations;
    expect(evals).toBe(25);
    expect(l.opt.stateDict().state['0'].values.funcEvals).toBe(25);
  });

  it('LBFGS reports every evaluation, at the evaluated point', async () => {
    const f64 = cpu({ dtype: 'float64' });
    const { params, opt } = setUp(f64, {
      optimizer: 'LBFGS',
      options: { lineSearchFn: 'strong_wolfe', maxIter: 3 },
      problem: 'rosenbrock',
      groups: null,
    });
    const seen: Array<LBFGSEvaluation & { at: number[] }> = [];
    (opt as unknown as LBFGS).onEvaluation = (e) => {
      seen.push({ ...e, at: flatValues(params) });
    };
    await runWithClosure(f64, 'rosenbrock', params, opt, 1);
    expect(seen[0]).toMatchObject({ kind: 'initial', t: 0, directionalDerivative: null });
    expect(seen[0].at).toEqual([-1.5, 2]);
    const trials = seen.filter((e) => e.kind === 'lineSearch');
    expect(trials.length).toBe(seen.length - 1);
    expect(seen.length).toBe((opt as unknown as LBFGS).evaluations);
    for (const e of trials) {
      expect(e.loss).toBeCloseTo((1 - e.at[0]) ** 2 + 100 * (e.at[1] - e.at[0] ** 2) ** 2, 12);
      expect(typeof e.directionalDerivative).toBe('number');
    }
  });

  it('LBFGS: a reloaded state dict continues bit for bit', async () => {
    const f64 = cpu({ dtype: 'float64' });
    const spec = {
      optimizer: 'LBFGS',
      options: { maxIter: 3, historySize: 2 },
      problem: 'lstsq',
      groups: null,
    };
    const a = setUp(f64, spec);
    await runWithClosure(f64, 'lstsq', a.params, a.opt, 2);
    const saved = JSON.parse(JSON.stringify(a.opt.stateDict()));
    expect(saved.state['0'].values.historyLength).toBe(2);
    const b = setUp(f64, spec);
    b.params.forEach((p, i) => (p.value = f64.tensor(a.params[i].value.dataSync(), p.shape)));
    b.opt.loadStateDict(saved);
    const ra = await runWithClosure(f64, 'lstsq', a.params, a.opt, 3);
    const rb = await runWithClosure(f64, 'lstsq', b.params, b.opt, 3);
    expect(rb.trajectory).toEqual(ra.trajectory);
  });
});

describe('LBFGS options', () => {
  it('takes one parameter group, as torch', () => {
    expect(() => new LBFGS([{ params: [param()] }, { params: [param()] }])).toThrow(
      "LBFGS doesn't support per-parameter options (parameter groups): got 2 groups, it takes one",
    );
    expect(new LBFGS([{ params: [param()], lr: 0.5 }]).paramGroups[0].lr).toBe(0.5);
  });

  it('validates lineSearchFn, maxIter and maxEval', () => {
    expect(() => new LBFGS([param()], { lineSearchFn: 'wolfe' as never })).toThrow(
      'LBFGS: option "lineSearchFn" must be one of null, "strong_wolfe", got "wolfe"',
    );
    expect(() => new LBFGS([param()], { maxIter: 0 })).toThrow('LBFGS: Invalid maxIter value: 0');
    expect(() => new LBFGS([param()], { maxEval: 2.5 })).toThrow(
      'LBFGS: Invalid maxEval value: 2.5',
    );
    expect(new LBFGS([param()]).paramGroups[0]).toMatchObject({
      lr: 1,
      maxIter: 20,
      maxEval: null,
      toleranceGrad: 1e-7,
      toleranceChange: 1e-9,
      historySize: 100,
      lineSearchFn: null,
    });
  });
});

describe('SAM options', () => {
  it('needs a base, known and closure-free', () => {
    expect(() => new SAM([param()], { lr: 0.1 })).toThrow(
      'SAM: option "base" is required: the optimizer SAM wraps, one of SGD,',
    );
    expect(() => new SAM([param()], { base: 'Adamm' })).toThrow(
      'SAM: unknown base optimizer "Adamm"; known: SGD,',
    );
    expect(() => new SAM([param()], { base: 'LBFGS' })).toThrow(
      'SAM: base must be an optimizer that steps without a closure, got LBFGS',
    );
    expect(() => new SAM([param()], { base: 'SGD', rho: -1 })).toThrow(
      'SAM: Invalid rho, should be non-negative: -1',
    );
    expect(() => new SAM([param()], { base: 'SGD', momentum: -1 })).toThrow(
      'SGD: Invalid momentum value: -1',
    );
  });

  it('shares the base optimizer’s groups, with rho and adaptive beside its options', () => {
    const sam = createOptimizer('SAM', [param()], { base: 'Adam', lr: 0.01, rho: 0.1 });
    expect(sam.paramGroups).toBe((sam as unknown as SAM).inner.paramGroups);
    expect(sam.paramGroups[0]).toMatchObject({
      lr: 0.01,
      betas: [0.9, 0.999],
      rho: 0.1,
      adaptive: false,
    });
    expect(OPTIMIZERS.SAM.options.map((o) => o.name)).toEqual(['base', 'rho', 'adaptive']);
    expect(OPTIMIZERS.SAM.options[0].choices).toContain('Adam');
    expect(OPTIMIZERS.SAM.options[0].choices).not.toContain('LBFGS');
  });
});

describe('Adafactor (torch) and AdafactorHF', () => {
  it('refuses Hugging Face options and points to AdafactorHF', () => {
    for (const key of [
      'relativeStep',
      'scaleParameter',
      'warmupInit',
      'clipThreshold',
      'decayRate',
      'beta1',
    ]) {
      expect(() => new Adafactor([param()], { [key]: true } as never)).toThrow(
        `Adafactor: "${key}" is an AdafactorHF option; use type AdafactorHF`,
      );
    }
    expect(() => createOptimizer('Adafactor', [{ params: [param()], beta1: 0.9 }])).toThrow(
      'Adafactor in parameter group 0: "beta1" is an AdafactorHF option; use type AdafactorHF',
    );
    expect(new AdafactorHF([param()], { beta1: 0.9 }).name).toBe('AdafactorHF');
  });

  it.each([
    ['float64', 1e-20, 2 ** -52],
    ['float32', 1e-10, 2 ** -23],
  ] as const)('eps[0] = null is the machine epsilon of the dtype (%s)', (dtype, g, eps) => {
    // V̂ = g² < ε₁², so U = g/ε₁ everywhere; RMS(U) < 1 (no clipping), αₜ = max(ε₂, 1)·0.01.
    const b = cpu({ dtype });
    const p = new Parameter(b.tensor([1, 1], [2]));
    const opt = new Adafactor([p]);
    p.grad = b.tensor([g, g], [2]);
    opt.step();
    const expected = 1 - 0.01 * (g / eps);
    expect(expected).toBeLessThan(1);
    for (const v of p.value.dataSync())
      expect(v).toBeCloseTo(expected, dtype === 'float64' ? 15 : 7);
  });

  it('takes torch ≥ 2.5’s defaults; eps[0] may be null, eps[1] may not', () => {
    expect(new Adafactor([param()]).paramGroups[0]).toMatchObject({
      lr: 1e-2,
      beta2Decay: -0.8,
      eps: [null, 1e-3],
      d: 1,
      weightDecay: 0,
      maximize: false,
    });
    expect(() => new Adafactor([param()], { eps: [1e-30, null as never] })).toThrow(
      'Adafactor: Invalid epsilon value at index 1: null',
    );
    expect(() => new Adafactor([param()], { d: 0.5 })).toThrow('Adafactor: Invalid d value: 0.5');
    expect(() => new Adafactor([param()], { beta2Decay: 0.1 })).toThrow(
      'Adafactor: Invalid beta2Decay value: 0.1',
    );
  });
});

describe('ASGD and Rprop options', () => {
  it('Rprop checks 0 < η₋ < 1 < η₊ and the step-size bounds', () => {
    expect(() => new Rprop([param()], { etas: [1.2, 0.5] })).toThrow(
      'Rprop: Invalid eta values: 1.2, 0.5',
    );
    expect(() => new Rprop([param()], { stepSizes: [1, 0.5] })).toThrow(
      'Rprop: Invalid stepSizes value: [1, 0.5]',
    );
  });

  it('ASGD keeps η and μ as host numbers and ax as a tensor', () => {
    const p = param([1, 2]);
    const opt = new ASGD([p], { lr: 0.1, t0: 0 });
    p.grad = be.tensor([1, 1], [2]);
    opt.step();
    const s = opt.stateDict().state['0'];
    expect(s.values.eta).toBeCloseTo(0.1 / (1 + 1e-4 * 0.1) ** 0.75, 15);
    expect(s.values.mu).toBe(1);
    expect(s.tensors.ax.values).toEqual(Array.from(p.value.dataSync()));
  });
});

describe('passes per step (kernels on the CPU backend)', () => {
  /** Kernels of the second step (the first one also creates the state). */
  const kernels = (opt: Optimizer, params: Parameter[]) => {
    params.forEach((p) => (p.grad = be.ones(p.shape)));
    opt.step();
    params.forEach((p) => (p.grad = be.ones(p.shape)));
    const before = be.stats().kernels;
    opt.step();
    return be.stats().kernels - before;
  };

  it('ASGD and Rprop: one fused pass per parameter', () => {
    const mk = () => [param(), param([1, 2])];
    let ps = mk();
    expect(kernels(new ASGD(ps), ps)).toBe(2);
    ps = mk();
    expect(kernels(new Rprop(ps), ps)).toBe(2);
  });

  it('Adafactor: 7 full passes over a matrix (+4 over its factors), 4 over a vector', () => {
    const w = new Parameter(be.ones([3, 4]));
    // squares, row sum, col sum, row lerp, col lerp, mean(R), direction, ‖θ‖², ‖U‖², update.
    expect(kernels(new Adafactor([w]), [w])).toBe(10);
    const v = param();
    // V with U, U², θ²; ‖θ‖²; ‖U‖²; update.
    expect(kernels(new Adafactor([v]), [v])).toBe(4);
  });

  it('LBFGS without line search: the passes of one iteration after the first', async () => {
    const f64 = cpu({ dtype: 'float64' });
    const { params, opt } = setUp(f64, {
      optimizer: 'LBFGS',
      options: { maxIter: 1, historySize: 5 },
      problem: 'lstsq',
      groups: null,
    });
    const closure = problemClosure(f64, 'lstsq', params);
    const counts: number[] = [];
    for (let s = 0; s < 8; s++) {
      const before = f64.stats().kernels;
      await (opt as unknown as LBFGS).step(closure);
      counts.push(f64.stats().kernels - before);
    }
    // The closure uploads gradients (no kernels). Per step with h pairs (2 parameters):
    // gather 2 reshapes + 1 concat, max|g| 2, y 1, s 1, y·s 1, y·y 1, −g 1, h × (dot + axpy),
    // H·q 1, h × (dot + axpy), g_prev copy 1, g·d 1, 2 × (slice, reshape, add).
    const expected = (h: number) => 3 + 2 + 4 + 1 + 4 * h + 1 + 1 + 1 + 6;
    expect(counts.slice(1)).toEqual([1, 2, 3, 4, 5, 5, 5].map(expected));
  });
});
