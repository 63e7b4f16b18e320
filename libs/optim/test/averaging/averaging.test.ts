import { readFileSync } from 'node:fs';
import { cpu, Parameter, type Backend } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import {
  AVERAGING,
  AveragedModel,
  EMA,
  checkAveragingOptions,
  createOptimizer,
  type WeightAverage,
} from '../../src/index.js';
import { flatValues, setGrads, worstError } from '../optimizers/harness.js';
import { PROBLEMS } from '../optimizers/problems.js';

interface AveragingFixture {
  averaging: { type: 'ema' | 'swa'; start?: number } & Record<string, unknown>;
  problem: string;
  optimizer: { type: string; lr: number; momentum: number };
  trajectory: number[][];
  averages: (number[] | null)[];
  nAveraged: number[];
}

const file = JSON.parse(
  readFileSync(new URL('../fixtures/averaging.json', import.meta.url), 'utf8'),
) as { torch: string; steps: number; fixtures: AveragingFixture[] };

function makeAverage(f: AveragingFixture, params: Parameter[]): WeightAverage {
  const { type, start: _start, ...options } = f.averaging;
  return type === 'ema' ? new EMA(params, options) : new AveragedModel(params);
}

function setUp(be: Backend, f: AveragingFixture) {
  const problem = PROBLEMS[f.problem];
  const params = problem.init().map((v, i) => new Parameter(be.tensor(v, problem.shapes[i])));
  const { type, ...options } = f.optimizer;
  const opt = createOptimizer(type, params, options);
  return { params, opt, average: makeAverage(f, params) };
}

/** The fixture's loop: step, then average when past start; the raw and averaged values after each. */
function replay(be: Backend, f: AveragingFixture) {
  const { params, opt, average } = setUp(be, f);
  const raw: number[][] = [];
  const averaged: (number[] | null)[] = [];
  const counts: number[] = [];
  for (let s = 1; s <= file.steps; s++) {
    setGrads(be, f.problem, params);
    opt.step();
    if (s > (f.averaging.start ?? 0)) average.update();
    raw.push(flatValues(params));
    averaged.push(
      average.nAveraged > 0 ? average.averages.flatMap((t) => Array.from(t.dataSync())) : null,
    );
    counts.push(average.nAveraged);
  }
  return { raw, averaged, counts, params, opt, average };
}

const name = (f: AveragingFixture) => `${JSON.stringify(f.averaging)} on ${f.problem}`;

describe(`weight averages against torch ${file.torch}'s AveragedModel (SWA and timm's EMA as avg_fn)`, () => {
  it('covers SWA and EMA, with and without warmup, on the three problems', () => {
    expect(file.fixtures).toHaveLength(15);
    expect(new Set(file.fixtures.map((f) => f.averaging.type))).toEqual(new Set(['ema', 'swa']));
    expect(file.fixtures.some((f) => f.averaging.useWarmup === true)).toBe(true);
  });

  for (const [dtype, tol] of [
    ['float64', 1e-10],
    ['float32', 1e-4],
  ] as const) {
    describe(`cpu ${dtype}: raw and averaged weights after every step within ${tol}`, () => {
      it.each(file.fixtures.map((f) => [name(f), f] as const))('%s', (_, f) => {
        const be = cpu({ dtype });
        const { raw, averaged, counts, params, opt, average } = replay(be, f);
        expect(counts).toEqual(f.nAveraged);
        expect(worstError(raw, f.trajectory)).toBeLessThanOrEqual(tol);
        averaged.forEach((row, s) => {
          const ref = f.averages[s];
          if (ref === null) expect(row, `step ${s + 1}`).toBeNull();
          else expect(worstError([row!], [ref]), `step ${s + 1}`).toBeLessThanOrEqual(tol);
        });
        average.dispose();
        opt.dispose();
        params.forEach((p) => p.dispose());
      });
    });
  }

  it('a broken EMA (decay applied to the new weights) fails the replay', () => {
    const f = file.fixtures.find((x) => x.averaging.type === 'ema' && x.problem === 'quadratic')!;
    const be = cpu({ dtype: 'float64' });
    const broken = {
      ...f,
      averaging: { ...f.averaging, decay: 1 - (f.averaging.decay as number) },
    };
    const { averaged } = replay(be, broken);
    const last = f.averages.length - 1;
    expect(worstError([averaged[last]!], [f.averages[last]!])).toBeGreaterThan(1e-3);
  });
});

describe('WeightAverage on the backend', () => {
  const make = () => {
    const be = cpu({ dtype: 'float64' });
    const p = new Parameter(be.tensor([1, 2, 3], [3]));
    return { be, p };
  };

  it('updates and swaps with one fused pass per tensor and no readback', () => {
    const { be, p } = make();
    const ema = new EMA([p], { decay: 0.5 });
    const before = be.stats();
    ema.update(); // copy
    p.value = be.tensor([3, 4, 5], [3]);
    const mid = be.stats();
    ema.update(); // 0.5·[1,2,3] + 0.5·[3,4,5]
    ema.swap();
    const after = be.stats();
    expect(after.readbacks - before.readbacks).toBe(0);
    expect(mid.kernels - before.kernels).toBe(1);
    expect(after.kernels - mid.kernels).toBe(2);
    expect(Array.from(p.value.dataSync())).toEqual([2, 3, 4]);
    expect(Array.from(ema.averages[0].dataSync())).toEqual([3, 4, 5]);
    ema.swap();
    expect(Array.from(p.value.dataSync())).toEqual([3, 4, 5]);
    expect(Array.from(ema.averages[0].dataSync())).toEqual([2, 3, 4]);
  });

  it('refuses to update while swapped in', () => {
    const { p } = make();
    const swa = new AveragedModel([p]);
    swa.swap();
    expect(() => swa.update()).toThrow(
      'AveragedModel: update() while the averages are swapped in; swap() back first',
    );
  });

  it('round-trips its state dict, and an average continued from it matches', () => {
    const { be, p } = make();
    const ema = new EMA([p], { decay: 0.9, useWarmup: true });
    ema.update();
    p.value = be.tensor([2, 2, 2], [3]);
    ema.update();
    const saved = JSON.parse(JSON.stringify(ema.stateDict()));
    expect(saved).toMatchObject({
      type: 'EMA',
      nAveraged: 2,
      options: { decay: 0.9, useWarmup: true },
    });
    const q = new Parameter(be.tensor([2, 2, 2], [3]));
    const copy = new EMA([q], { decay: 0.9, useWarmup: true });
    copy.loadStateDict(saved);
    p.value = be.tensor([5, 5, 5], [3]);
    q.value = be.tensor([5, 5, 5], [3]);
    ema.update();
    copy.update();
    expect(Array.from(copy.averages[0].dataSync())).toEqual(Array.from(ema.averages[0].dataSync()));
  });

  it('refuses a state of another class, other options or other shapes, naming what differs', () => {
    const { p } = make();
    const ema = new EMA([p], { decay: 0.9 });
    const state = ema.stateDict();
    expect(() => new AveragedModel([p]).loadStateDict(state)).toThrow(
      'AveragedModel: loadStateDict: got the state of "EMA"',
    );
    expect(() => new EMA([p], { decay: 0.99 }).loadStateDict(state)).toThrow(
      'EMA: loadStateDict: the state has decay 0.9, this average 0.99',
    );
    expect(() =>
      ema.loadStateDict({ ...state, averages: [{ shape: [2], values: [1, 2] }] }),
    ).toThrow('EMA: loadStateDict: average 0 must have shape [3] and 3 values');
  });

  it('refuses bad options, naming them', () => {
    const { p } = make();
    expect(() => new EMA([p], { decay: 1.5 })).toThrow('EMA: decay must be ≤ 1, got 1.5');
    expect(() => new EMA([p], { decy: 0.9 } as never)).toThrow('EMA: decy unknown option "decy"');
    expect(() => new EMA([], {})).toThrow('EMA: expected a non-empty list of parameters');
  });

  it("EMA's warmup decay is timm's get_decay", () => {
    const { p } = make();
    const ema = new EMA([p], { decay: 0.999, useWarmup: true, warmupPower: 0.75, minDecay: 0.1 });
    expect(ema.decayAt(1)).toBeCloseTo(1 - 2 ** -0.75, 15);
    expect(ema.decayAt(1e9)).toBe(0.999);
    expect(new EMA([p], { decay: 0.9 }).decayAt(1)).toBe(0.9);
  });
});

describe('the averaging registry', () => {
  it('lists ema and swa with their options', () => {
    expect(Object.keys(AVERAGING)).toEqual(['ema', 'swa']);
    expect(AVERAGING.ema.options.map((o) => o.name)).toEqual([
      'decay',
      'minDecay',
      'useWarmup',
      'warmupGamma',
      'warmupPower',
      'start',
    ]);
    expect(AVERAGING.swa.options.map((o) => o.name)).toEqual([
      'start',
      'swaLr',
      'annealEpochs',
      'annealStrategy',
    ]);
  });

  it('checks options with paths: unknown type, bad values, required start, SWALR options without swaLr', () => {
    expect(checkAveragingOptions('polyak', {})).toEqual([
      { path: ['type'], message: 'unknown averaging "polyak"; known: ema, swa' },
    ]);
    expect(checkAveragingOptions('ema', { decay: 2 })).toEqual([
      { path: ['decay'], message: 'must be ≤ 1, got 2' },
    ]);
    expect(checkAveragingOptions('swa', {})).toEqual([{ path: ['start'], message: 'is required' }]);
    expect(checkAveragingOptions('swa', { start: 5, annealEpochs: 3 })).toEqual([
      { path: ['annealEpochs'], message: 'applies only with swaLr (the SWALR schedule)' },
    ]);
    expect(checkAveragingOptions('swa', { start: 5, swaLr: 0.01, annealEpochs: 3 })).toEqual([]);
  });
});
