import { cpu, Parameter } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import {
  AdafactorHF,
  Adam,
  Lookahead,
  NAdam,
  RAdam,
  SGD,
  type Optimizer,
} from '../../src/index.js';

/**
 * Hand-derived first steps: each would fail if a bias correction, the place of ε or the step
 * count were off by one.
 */
const be = cpu({ dtype: 'float64' });

function stepWith(opt: Optimizer, p: Parameter, grads: number[]): number[] {
  return grads.map((g) => {
    p.grad = be.tensor([g], [1]);
    opt.step();
    return p.value.dataSync()[0];
  });
}

describe('Adam: ε after the bias-corrected square root', () => {
  // lr 0.1, β = (0.9, 0.999), ε = 0.1 (large, so that its place shows), θ₀ = 1, g = 0.5 then 0.25.
  // t=1: m = 0.05, v = 0.00025, m̂ = 0.5, √v̂ = 0.5 → θ₁ = 1 − 0.1·0.5/(0.5 + 0.1) = 11/12.
  // t=2: m = 0.07, v = 0.00031225; 1−β₁² = 0.19, 1−β₂² = 0.001999
  //      → θ₂ = 11/12 − (0.1/0.19)·0.07/(√(0.00031225/0.001999) + 0.1) = 0.8422720441395303.
  it('matches the two hand-computed steps', () => {
    const p = new Parameter(be.tensor([1], [1]));
    const got = stepWith(new Adam([p], { lr: 0.1, eps: 0.1 }), p, [0.5, 0.25]);
    expect(got[0]).toBeCloseTo(11 / 12, 15);
    expect(got[1]).toBeCloseTo(0.8422720441395303, 15);
    // What the common mistakes would give instead, far outside the tolerance:
    expect(Math.abs(got[0] - (1 - 0.05 / Math.sqrt(0.25 + 0.1)))).toBeGreaterThan(1e-3); // ε inside √
    expect(Math.abs(got[0] - (1 - (0.1 * 0.05) / (Math.sqrt(0.00025) + 0.1)))).toBeGreaterThan(
      1e-2,
    ); // no bias correction
  });

  it('AMSGrad keeps the max of the raw second moment (PyTorch code), not of v̂', () => {
    // g = 1 then 0: v₁ = 0.001, v₂ = 0.000999 → max is v₁ = 0.001 (raw); v̂ would be 1 then 0.49975.
    const p = new Parameter(be.tensor([0], [1]));
    const got = stepWith(new Adam([p], { lr: 1, eps: 1e-8, amsgrad: true }), p, [1, 0]);
    const m2 = 0.09;
    const expected2 = got[0] - (1 / 0.19) * (m2 / (Math.sqrt(0.001) / Math.sqrt(0.001999) + 1e-8));
    expect(got[1]).toBeCloseTo(expected2, 14);
  });
});

describe('SGD momentum', () => {
  it('starts the buffer at g (no dampening at the first step), then b ← μb + (1 − τ)g', () => {
    const p = new Parameter(be.tensor([0], [1]));
    const got = stepWith(new SGD([p], { lr: 1, momentum: 0.9, dampening: 0.5 }), p, [1, 1]);
    expect(got[0]).toBe(-1); // b₁ = 1
    expect(got[1]).toBe(-1 - (0.9 + 0.5)); // b₂ = 0.9·1 + 0.5·1
  });

  it('Nesterov steps along g + μb', () => {
    const p = new Parameter(be.tensor([0], [1]));
    const got = stepWith(new SGD([p], { lr: 1, momentum: 0.5, nesterov: true }), p, [1, 1]);
    expect(got[0]).toBe(-1.5); // b₁ = 1, g + μb = 1.5
    expect(got[1]).toBe(-1.5 - 1.75); // b₂ = 1.5, g + μb = 1.75
  });
});

describe('NAdam: μ-product updated once per step (PyTorch ≥ 2.0)', () => {
  it('saves Πₜ = μ₁·…·μₜ in the state', () => {
    const p = new Parameter(be.tensor([0], [1]));
    const opt = new NAdam([p], { momentumDecay: 0.004 });
    stepWith(opt, p, [1, 1, 1]);
    const mu = (t: number) => 0.9 * (1 - 0.5 * 0.96 ** (t * 0.004));
    expect(opt.state.get(p)!.values.muProduct).toBe(mu(1) * mu(2) * mu(3));
  });
});

describe('RAdam rectification threshold', () => {
  it('takes SGD-with-momentum steps while ρₜ ≤ 5, adaptive ones after', () => {
    // β₂ = 0.999: ρ∞ = 1999, ρ₅ ≈ 4.99 (not rectified), ρ₆ ≈ 5.99 (rectified).
    const p = new Parameter(be.tensor([0], [1]));
    const got = stepWith(new RAdam([p], { lr: 1 }), p, [1, 1, 1, 1, 1, 1]);
    // With g ≡ 1, m̂ₜ = 1, so each unrectified step moves by exactly lr.
    expect(got.slice(0, 5)).toEqual([-1, -2, -3, -4, -5]);
    const t = 6;
    const rhoInf = 2 / (1 - 0.999) - 1;
    const rhoT = rhoInf - (2 * t * 0.999 ** t) / (1 - 0.999 ** t);
    const rect = Math.sqrt(
      ((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT),
    );
    const v = 1 - 0.999 ** t; // v with g ≡ 1
    const adaptive = Math.sqrt(1 - 0.999 ** t) / (Math.sqrt(v) + 1e-8);
    expect(got[5]).toBeCloseTo(-5 - rect * adaptive, 12);
  });
});

describe('AdafactorHF', () => {
  it('first step of a vector: α₁ = 10⁻²·max(ε₂, RMS(θ)), U clipped to RMS 1', () => {
    // β̂₂₁ = 1 − 1^−0.8 = 0, so V = g² + ε₁ and U = g/|g| = sign(g): RMS(U) = 1, no clipping.
    const p = new Parameter(be.tensor([3, -4], [2]));
    p.grad = be.tensor([0.5, 2], [2]);
    new AdafactorHF([p]).step();
    const rms = Math.sqrt((9 + 16) / 2);
    const alpha = 1e-2 * rms;
    const got = p.value.dataSync();
    expect(got[0]).toBeCloseTo(3 - alpha, 14);
    expect(got[1]).toBeCloseTo(-4 - alpha, 14);
  });

  it('factors over the last two axes of higher-rank parameters (leading axes batch the factors)', () => {
    const p = new Parameter(be.normal([2, 3, 4], { seed: 5 }));
    p.grad = be.normal([2, 3, 4], { seed: 6 });
    const opt = new AdafactorHF([p]);
    const before = Array.from(p.value.dataSync());
    opt.step();
    const shapes = Object.values(opt.state.get(p)!.tensors).map((t) => t.shape);
    expect(shapes).toEqual([
      [2, 3, 1],
      [2, 1, 4],
    ]);
    const after = Array.from(p.value.dataSync());
    expect(after.every((v, i) => Number.isFinite(v) && v !== before[i])).toBe(true);
  });

  it('keeps n + m numbers of state for a 1024×1024 matrix, not n·m', () => {
    const f32 = cpu({ dtype: 'float32' });
    const w = new Parameter(f32.normal([1024, 1024], { seed: 1, std: 0.02 }));
    w.grad = f32.normal([1024, 1024], { seed: 2 });
    const opt = new AdafactorHF([w]);
    opt.step();
    const state = opt.state.get(w)!;
    const sizes = Object.fromEntries(Object.entries(state.tensors).map(([k, t]) => [k, t.shape]));
    expect(sizes).toEqual({ expAvgSqRow: [1024, 1], expAvgSqCol: [1, 1024] });
    const numbers = Object.values(state.tensors).reduce((n, t) => n + t.size, 0);
    expect(numbers).toBe(2048);
    opt.dispose();
    w.dispose();
  });
});

describe('Lookahead', () => {
  it('pulls the slow weights α of the way every k steps and restarts the fast ones there', () => {
    // SGD lr 0.1 on ½x² (g = x) from 1: fast 0.9, 0.81 → slow 1 + 0.5(0.81 − 1) = 0.905;
    // fast 0.8145, 0.73305 → slow 0.905 + 0.5(0.73305 − 0.905) = 0.819025.
    const p = new Parameter(be.tensor([1], [1]));
    const opt = new Lookahead(new SGD([p], { lr: 0.1 }), { k: 2, alpha: 0.5 });
    const got: number[] = [];
    for (let s = 0; s < 4; s++) {
      p.grad = be.tensor([p.value.dataSync()[0]], [1]);
      opt.step();
      got.push(p.value.dataSync()[0]);
    }
    expect(got[0]).toBeCloseTo(0.9, 15);
    expect(got[1]).toBeCloseTo(0.905, 15);
    expect(got[2]).toBeCloseTo(0.8145, 15);
    expect(got[3]).toBeCloseTo(0.819025, 15);
  });

  it('shares the inner optimizer’s groups, so a schedule writing lr drives the inner one', () => {
    const p = new Parameter(be.tensor([1], [1]));
    const inner = new SGD([p], { lr: 0.1 });
    const opt = new Lookahead(inner, { k: 10 });
    expect(opt.paramGroups).toBe(inner.paramGroups);
    opt.paramGroups[0].lr = 0.5;
    p.grad = be.tensor([1], [1]);
    opt.step();
    expect(p.value.dataSync()[0]).toBe(0.5);
  });
});
