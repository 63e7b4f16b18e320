import { cpu, Parameter, tidy, type Backend } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import {
  Adam,
  createOptimizer,
  Lookahead,
  SGD,
  type Optimizer,
  type OptimizerStateDict,
} from '../../src/index.js';
import { flatValues, run, setGrads, setUp } from './harness.js';
import { PROBLEMS } from './problems.js';

/** Option sets that switch on every kind of state. */
const STATEFUL: [string, Record<string, unknown>][] = [
  ['SGD', { lr: 0.05, momentum: 0.9, nesterov: true }],
  ['Adagrad', { lr: 0.1, lrDecay: 0.01 }],
  ['RMSprop', { centered: true, momentum: 0.5 }],
  ['Adadelta', {}],
  ['Adam', { lr: 0.05, amsgrad: true }],
  ['AdamW', { lr: 0.05 }],
  ['Adamax', { lr: 0.05 }],
  ['NAdam', { lr: 0.05 }],
  ['RAdam', { lr: 0.05 }],
  ['AdafactorHF', { beta1: 0.9 }],
  ['Lion', { lr: 0.01, weightDecay: 0.1 }],
];

function make(be: Backend, name: string, options: Record<string, unknown>, lookahead = false) {
  const { params, opt } = setUp(be, { optimizer: name, options, problem: 'lstsq', groups: null });
  return { params, opt: lookahead ? new Lookahead(opt, { k: 3 }) : opt };
}

describe('stateDict / loadStateDict', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it.each([
      ...STATEFUL.map(([n, o]) => [n, o, false] as const),
      ['Adam', { lr: 0.05 }, true] as const,
    ])(
      `${dtype} %s %j (Lookahead: %s): a JSON round trip mid-run continues bit for bit`,
      (name, options, lookahead) => {
        const be = cpu({ dtype });
        const a = make(be, name, options, lookahead);
        run(be, 'lstsq', a.params, a.opt, 7);
        const saved = JSON.parse(JSON.stringify(a.opt.stateDict())) as OptimizerStateDict;
        expect(JSON.parse(JSON.stringify(saved))).toEqual(a.opt.stateDict());

        // A fresh optimizer over copies of the parameters, then the saved state.
        const b = make(be, name, options, lookahead);
        b.params.forEach((p, i) => {
          p.value = be.tensor(a.params[i].value.dataSync(), p.shape);
        });
        b.opt.loadStateDict(saved);
        expect(b.opt.stateDict()).toEqual(a.opt.stateDict());
        const continuedA = run(be, 'lstsq', a.params, a.opt, 5);
        const continuedB = run(be, 'lstsq', b.params, b.opt, 5);
        expect(continuedB).toEqual(continuedA);
      },
    );
  }

  it('saves PyTorch’s layout: state by parameter index, groups with options and indices', () => {
    const be = cpu({ dtype: 'float64' });
    const [w, b] = [new Parameter(be.tensor([1, 2], [2])), new Parameter(be.tensor([3], [1]))];
    const opt = new SGD([{ params: [w] }, { params: [b], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
    w.grad = be.tensor([1, 1], [2]);
    opt.step();
    expect(opt.stateDict()).toEqual({
      optimizer: 'SGD',
      state: {
        0: { step: 1, values: {}, tensors: { momentumBuffer: { shape: [2], values: [1, 1] } } },
      },
      paramGroups: [
        {
          lr: 0.1,
          momentum: 0.9,
          dampening: 0,
          weightDecay: 0,
          nesterov: false,
          maximize: false,
          params: [0],
        },
        {
          lr: 0.5,
          momentum: 0.9,
          dampening: 0,
          weightDecay: 0,
          nesterov: false,
          maximize: false,
          params: [1],
        },
      ],
    });
  });

  it('refuses a state dict of another optimizer, layout or with bad options', () => {
    const be = cpu({ dtype: 'float64' });
    const p = new Parameter(be.tensor([1], [1]));
    const adam = new Adam([p]);
    const saved = adam.stateDict();
    expect(() => new SGD([p]).loadStateDict(saved)).toThrow(
      'SGD: loadStateDict got a state dict of Adam',
    );
    expect(() => adam.loadStateDict({ ...saved, paramGroups: [] })).toThrow(
      'Adam: loadStateDict: the state dict has 0 parameter groups, the optimizer 1',
    );
    const bad = JSON.parse(JSON.stringify(saved)) as OptimizerStateDict;
    bad.paramGroups[0].lr = -1;
    expect(() => adam.loadStateDict(bad)).toThrow('Adam: Invalid learning rate: -1');
    expect(adam.paramGroups[0].lr).toBe(1e-3);
  });

  it('stateDictAsync gives the same data', async () => {
    const be = cpu({ dtype: 'float32' });
    const { params, opt } = make(be, 'Adam', { amsgrad: true }, true);
    run(be, 'lstsq', params, opt, 4);
    expect(await opt.stateDictAsync()).toEqual(opt.stateDict());
  });
});

describe('steps', () => {
  it.each([...STATEFUL, ['AdafactorHF', {}] as [string, Record<string, unknown>]])(
    '%s %j: step() reads nothing back and frees its temporaries',
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
    },
  );

  it.each(STATEFUL.filter(([n]) => n !== 'AdafactorHF'))(
    '%s %j: one fused pass per parameter tensor',
    (name, options) => {
      const be = cpu({ dtype: 'float32' });
      const { params, opt } = make(be, name, options);
      run(be, 'lstsq', params, opt, 2);
      setGrads(be, 'lstsq', params);
      const before = be.stats().kernels;
      opt.step();
      expect(be.stats().kernels - before).toBe(params.length);
    },
  );

  it('AdafactorHF: 7 passes over a matrix, 5 over a vector, plus O(n + m) work', () => {
    const be = cpu({ dtype: 'float32' });
    const count = (shape: number[]) => {
      const p = new Parameter(be.normal(shape, { seed: 3 }));
      p.grad = be.normal(shape, { seed: 4 });
      const opt = createOptimizer('AdafactorHF', [p]);
      opt.step();
      const before = be.stats().kernels;
      opt.step();
      return be.stats().kernels - before;
    };
    // matrix: prep, mean θ², row mean, col mean, 2 row/col EMAs, mean(R), direction, mean U², final
    expect(count([3, 4])).toBe(10);
    // vector: direction (with V), θ², mean θ², mean U², final
    expect(count([5])).toBe(5);
  });

  it('skips parameters without a gradient (no state, no step count, no change)', () => {
    const be = cpu({ dtype: 'float64' });
    const [a, b] = [new Parameter(be.tensor([1], [1])), new Parameter(be.tensor([2], [1]))];
    const opt = new Adam([a, b], { lr: 0.1 });
    a.grad = be.tensor([1], [1]);
    opt.step();
    opt.step();
    expect(b.value.dataSync()[0]).toBe(2);
    expect(opt.state.has(b)).toBe(false);
    expect(opt.state.get(a)!.step).toBe(2);
  });

  it('reads group options at every step (schedules write lr, OneCycleLR writes betas[0])', () => {
    const be = cpu({ dtype: 'float64' });
    const p = new Parameter(be.tensor([0], [1]));
    const sgd = new SGD([p], { lr: 0.1 });
    p.grad = be.tensor([1], [1]);
    sgd.step();
    sgd.paramGroups[0].lr = 0.25;
    sgd.step();
    expect(p.value.dataSync()[0]).toBe(-0.35);

    const [x, y] = [new Parameter(be.tensor([1], [1])), new Parameter(be.tensor([1], [1]))];
    const ref = new Adam([x], { betas: [0.8, 0.999] });
    const changed = new Adam([y], { betas: [0.9, 0.999] });
    changed.paramGroups[0].betas = [0.8, 0.999];
    for (let s = 0; s < 3; s++) {
      x.grad = be.tensor([s + 1], [1]);
      y.grad = be.tensor([s + 1], [1]);
      ref.step();
      changed.step();
    }
    expect(y.value.dataSync()[0]).toBe(x.value.dataSync()[0]);
  });

  it('maximize equals minimizing the negated objective', () => {
    const be = cpu({ dtype: 'float64' });
    for (const name of [
      'SGD',
      'Adagrad',
      'RMSprop',
      'Adadelta',
      'Adam',
      'AdamW',
      'Adamax',
      'NAdam',
      'RAdam',
      'Lion',
    ]) {
      const [a, b] = [
        new Parameter(be.tensor([0.5, -1], [2])),
        new Parameter(be.tensor([0.5, -1], [2])),
      ];
      const max = createOptimizer(name, [a], { maximize: true, lr: 0.01, weightDecay: 0.1 });
      const min = createOptimizer(name, [b], { lr: 0.01, weightDecay: 0.1 });
      for (let s = 0; s < 4; s++) {
        a.grad = be.tensor([s + 1, -2 * s], [2]);
        b.grad = be.tensor([-(s + 1), 2 * s], [2]);
        max.step();
        min.step();
      }
      expect(Array.from(a.value.dataSync()), name).toEqual(Array.from(b.value.dataSync()));
    }
  });

  it('keeps its state across an enclosing tidy, and dispose() frees it', () => {
    const be = cpu({ dtype: 'float64' });
    const { params, opt } = make(be, 'Adam', { amsgrad: true });
    setGrads(be, 'lstsq', params);
    const live = be.stats().liveTensors;
    tidy(() => opt.step());
    expect(be.stats().liveTensors).toBe(live + 3 * params.length);
    setGrads(be, 'lstsq', params);
    opt.step();
    opt.dispose();
    expect(be.stats().liveTensors).toBe(live);
    expect(opt.state.size).toBe(0);
  });

  it('zeroGrad drops every gradient', () => {
    const be = cpu({ dtype: 'float64' });
    const { params, opt } = make(be, 'SGD', {});
    setGrads(be, 'lstsq', params);
    opt.zeroGrad();
    expect(params.map((p) => p.grad)).toEqual([null, null]);
  });

  it('a Lookahead over parameter groups keeps one slow copy per parameter', () => {
    const be = cpu({ dtype: 'float64' });
    const { params, opt } = setUp(be, {
      optimizer: 'Adam',
      options: { lr: 0.05 },
      problem: 'lstsq',
      groups: [{ lr: 0.1 }, {}],
    });
    const la: Optimizer = new Lookahead(opt, { k: 2 });
    expect(la.state.size).toBe(2);
    const start = flatValues(params);
    const traj = run(be, 'lstsq', params, la, 2);
    expect(traj[1]).not.toEqual(start);
    expect(PROBLEMS.lstsq.shapes.map((s) => s.length)).toEqual([2, 1]);
  });
});
