import { describe, expect, it } from 'vitest';
import { optlab } from './capture.js';

describe('optlab list optimizers: update rules and papers', () => {
  it("prints each optimizer's rule and paper under its options", async () => {
    const r = await optlab(['list', 'optimizers']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        '      update: g ← ∇f(θ) + λθ',
        '              if μ ≠ 0: b ← μ·b + (1 − τ)·g   (b ← g at t = 1)',
      ].join('\n'),
    );
    expect(r.stdout).toContain(
      '      paper: Kingma & Ba 2015, Adam: a method for stochastic optimization — https://arxiv.org/abs/1412.6980',
    );
    expect(r.stdout.match(/^ {6}paper: /gm)).toHaveLength(25);
  });
});
