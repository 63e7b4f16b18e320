import { cpu, Parameter } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import {
  AdamW,
  CombinedOptimizer,
  isClosureOptimizer,
  LBFGS,
  Lookahead,
  OPTIMIZERS,
  Muon,
  SGD,
  StepLR,
  stepWithClosure,
} from '../../src/index.js';

const be = cpu({ dtype: 'float64' });

/** A 3×2 matrix and a bias, with fixed gradients. */
function model() {
  const w = new Parameter(be.tensor([0.1, -0.2, 0.3, 0.4, -0.5, 0.6], [3, 2]), 'layer1.W');
  const b = new Parameter(be.tensor([0.5, -0.5], [2]), 'layer1.b');
  return { w, b };
}

function setGrads(w: Parameter, b: Parameter, s: number) {
  w.grad = be.tensor([1, 2, -3, 0.5, s, -1], [3, 2]);
  b.grad = be.tensor([s, -2 * s], [2]);
}

describe('CombinedOptimizer', () => {
  it('steps every part exactly as the parts stepped on their own', () => {
    const a = model();
    const combined = new CombinedOptimizer([
      new Muon([a.w], { lr: 0.02 }),
      new AdamW([a.b], { lr: 0.01 }),
    ]);
    const b = model();
    const muon = new Muon([b.w], { lr: 0.02 });
    const adamw = new AdamW([b.b], { lr: 0.01 });
    for (let s = 1; s <= 3; s++) {
      setGrads(a.w, a.b, s);
      setGrads(b.w, b.b, s);
      combined.step();
      muon.step();
      adamw.step();
    }
    expect(combined.name).toBe('Muon+AdamW');
    expect(Array.from(a.w.value.dataSync())).toEqual(Array.from(b.w.value.dataSync()));
    expect(Array.from(a.b.value.dataSync())).toEqual(Array.from(b.b.value.dataSync()));
    combined.zeroGrad();
    expect([a.w.grad, a.b.grad]).toEqual([null, null]);
  });

  it('shares the parts’ groups, so one schedule drives every part’s lr', () => {
    const { w, b } = model();
    const muon = new Muon([w], { lr: 0.02 });
    const adamw = new AdamW([b], { lr: 0.001 });
    const combined = new CombinedOptimizer([muon, adamw]);
    expect(combined.paramGroups[0]).toBe(muon.paramGroups[0]);
    expect(combined.paramGroups[1]).toBe(adamw.paramGroups[0]);
    const schedule = new StepLR(combined, { stepSize: 1, gamma: 0.5 });
    setGrads(w, b, 1);
    combined.step();
    schedule.step();
    expect(muon.paramGroups[0].lr).toBe(0.01);
    expect(adamw.paramGroups[0].lr).toBe(0.0005);
  });

  it('keeps each part’s state in its state dict and restores it', () => {
    const { w, b } = model();
    const make = () =>
      new CombinedOptimizer([new Muon([w], { lr: 0.02 }), new AdamW([b], { lr: 0.01 })]);
    const opt = make();
    setGrads(w, b, 1);
    opt.step();
    const saved = JSON.parse(JSON.stringify(opt.stateDict()));
    expect(saved.parts.map((p: { optimizer: string }) => p.optimizer)).toEqual(['Muon', 'AdamW']);
    expect(saved.paramGroups.map((g: { params: number[] }) => g.params)).toEqual([[0], [1]]);
    const again = make();
    again.loadStateDict(saved);
    expect(again.stateDict()).toEqual(opt.stateDict());
    expect(() => again.loadStateDict({ ...saved, parts: [saved.parts[0]] })).toThrow(
      'Muon+AdamW: loadStateDict needs a state dict with 2 parts, got 1',
    );
  });

  it('refuses closure optimizers, shared parameters and an empty list', () => {
    const { w, b } = model();
    expect(() => new CombinedOptimizer([new SGD([w]), new LBFGS([b])])).toThrow(
      'CombinedOptimizer: part 1 (LBFGS) steps with a closure; only optimizers that step without one can be combined',
    );
    expect(() => new CombinedOptimizer([new SGD([w, b]), new AdamW([b])])).toThrow(
      'CombinedOptimizer: a parameter ("layer1.b") belongs to more than one part',
    );
    expect(() => new CombinedOptimizer([])).toThrow(
      'CombinedOptimizer: needs at least one optimizer',
    );
  });
});

describe('Lookahead around a closure optimizer', () => {
  it('takes the inner closure step, then synchronises every k steps', async () => {
    // LBFGS with lr 0.5, one iteration and no line search on ½x² from 1 takes x ← x − 0.5·x
    // (its first direction is −g scaled by min(1, 1/Σ|g|)·lr = 0.5): fast 0.5, 0.25 → slow
    // 1 + 0.5(0.25 − 1) = 0.625.
    const p = new Parameter(be.tensor([1], [1]));
    const opt = new Lookahead(new LBFGS([p], { lr: 0.5, maxIter: 1 }), { k: 2, alpha: 0.5 });
    expect(isClosureOptimizer(opt)).toBe(true);
    const closure = () => {
      const x = p.value.dataSync()[0];
      p.grad = be.tensor([x], [1]);
      return 0.5 * x * x;
    };
    const got: number[] = [];
    for (let s = 0; s < 2; s++) {
      await stepWithClosure(opt, closure);
      got.push(p.value.dataSync()[0]);
    }
    expect(got).toEqual([0.5, 0.625]);
    expect(opt.evaluations).toBe(2);
    expect(() => opt.step()).toThrow('LBFGS: step() needs a closure');
  });

  it('stays an ordinary optimizer around one that needs no closure', () => {
    const p = new Parameter(be.tensor([1], [1]));
    const opt = new Lookahead(new SGD([p], { lr: 0.1 }));
    expect(isClosureOptimizer(opt)).toBe(false);
  });
});

describe('the registry says which optimizers need a closure and which take matrices only', () => {
  it('requiresClosure: LBFGS and SAM, as their instances say', () => {
    const flagged = Object.values(OPTIMIZERS).filter((o) => o.requiresClosure);
    expect(flagged.map((o) => o.name)).toEqual(['LBFGS', 'SAM']);
    for (const o of Object.values(OPTIMIZERS)) {
      const p = new Parameter(be.zeros([2, 2]));
      const opt = o.create([p], o.name === 'SAM' ? { base: 'SGD', lr: 0.1 } : {});
      expect([o.name, isClosureOptimizer(opt)]).toEqual([o.name, o.requiresClosure === true]);
      opt.dispose();
    }
  });

  it("parameterShapes: 'matrices' for Muon only", () => {
    const flagged = Object.values(OPTIMIZERS).filter((o) => o.parameterShapes === 'matrices');
    expect(flagged.map((o) => o.name)).toEqual(['Muon']);
  });
});
