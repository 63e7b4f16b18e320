import { cpu, Parameter } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import { clipGradNorm, clipGradValue } from '../../src/index.js';

const be = cpu({ dtype: 'float64' });

function params(): Parameter[] {
  const a = new Parameter(be.zeros([2]));
  const b = new Parameter(be.zeros([1]));
  const c = new Parameter(be.zeros([1]));
  a.grad = be.tensor([3, -4], [2]);
  b.grad = be.tensor([12], [1]);
  return [a, b, c]; // c has no gradient and is ignored
}

const grads = (ps: Parameter[]) => ps.flatMap((p) => (p.grad ? Array.from(p.grad.dataSync()) : []));

describe('clipGradNorm (torch.nn.utils.clip_grad_norm_)', () => {
  it('scales by maxNorm / (‖g‖ + 1e-6) when the 2-norm is above maxNorm, on the device', () => {
    const ps = params();
    const before = be.stats().readbacks;
    const norm = clipGradNorm(ps, 6.5);
    expect(be.stats().readbacks).toBe(before);
    expect(norm.shape).toEqual([]);
    expect(norm.dataSync()[0]).toBe(13); // √(9 + 16 + 144)
    const coef = 6.5 / (13 + 1e-6);
    expect(grads(ps)).toEqual([3 * coef, -4 * coef, 12 * coef]);
  });

  it('leaves gradients alone below maxNorm (the coefficient is clamped to 1)', () => {
    const ps = params();
    expect(clipGradNorm(ps, 20).dataSync()[0]).toBe(13);
    expect(grads(ps)).toEqual([3, -4, 12]);
  });

  it('supports the 1-norm, p-norms and the infinity norm', () => {
    expect(clipGradNorm(params(), 100, 1).dataSync()[0]).toBe(19);
    expect(clipGradNorm(params(), 100, 3).dataSync()[0]).toBeCloseTo(
      (27 + 64 + 1728) ** (1 / 3),
      12,
    );
    const ps = params();
    expect(clipGradNorm(ps, 6, Infinity).dataSync()[0]).toBe(12);
    const coef = 6 / (12 + 1e-6);
    expect(grads(ps)).toEqual([3 * coef, -4 * coef, 12 * coef]);
  });

  it('refuses bad arguments', () => {
    expect(() => clipGradNorm(params(), -1)).toThrow('clipGradNorm: Invalid maxNorm value: -1');
    expect(() => clipGradNorm(params(), 1, 0)).toThrow('clipGradNorm: Invalid normType value: 0');
  });
});

describe('clipGradValue (torch.nn.utils.clip_grad_value_)', () => {
  it('clamps every element to [−c, c] in place', () => {
    const ps = params();
    clipGradValue(ps, 3.5);
    expect(grads(ps)).toEqual([3, -3.5, 3.5]);
    expect(() => clipGradValue(ps, -1)).toThrow('clipGradValue: Invalid clipValue value: -1');
  });
});
