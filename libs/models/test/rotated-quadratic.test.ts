import { describe, expect, it } from 'vitest';
import { Rng } from '@optlab/tensor';
import {
  checkFunctionOptions,
  createFunction,
  eigenComponents,
  functionDimension,
  geometricSpectrum,
  randomOrthogonal,
  rotatedQuadratic,
  type RotatedQuadratic,
} from '../src/index.js';
import { expectAllClose, numericGrad } from './helpers.js';

describe('randomOrthogonal', () => {
  it('gives orthonormal rows (QᵀQ = I to 1e-14) and repeats for a seed', () => {
    for (const n of [3, 7, 40]) {
      const q = randomOrthogonal(n, new Rng(5));
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let d = 0;
          for (let k = 0; k < n; k++) d += q[i][k] * q[j][k];
          expect(Math.abs(d - (i === j ? 1 : 0))).toBeLessThan(1e-14);
        }
      }
      expect(randomOrthogonal(n, new Rng(5))).toEqual(q);
      expect(randomOrthogonal(n, new Rng(6))).not.toEqual(q);
    }
  });
});

describe('rotatedQuadratic', () => {
  it('2-D: the eigenvectors are the rotation by the angle, and H·qᵢ = λᵢ·qᵢ', () => {
    const fn = rotatedQuadratic({ condition: 100, angle: 30 });
    expect(fn.eigenvalues).toEqual([1, 100]);
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    expectAllClose(fn.eigenvectors[0], [c, s], 0, 1e-15);
    expectAllClose(fn.eigenvectors[1], [-s, c], 0, 1e-15);
    fn.eigenvectors.forEach((q, i) => {
      expectAllClose(
        fn.grad(q),
        q.map((v) => v * fn.eigenvalues[i]),
        0,
        1e-12,
      );
      // f along an eigenvector is ½λ.
      expect(fn.f(q)).toBeCloseTo(fn.eigenvalues[i] / 2, 12);
    });
  });

  it('n-D: H·qᵢ = λᵢ·qᵢ for the seeded basis; eigenvalues sorted; f = ½Σλᵢcᵢ²', () => {
    const fn = rotatedQuadratic({ eigenvalues: [5, 0.5, 2, 9], seed: 3 });
    expect(fn.eigenvalues).toEqual([0.5, 2, 5, 9]);
    fn.eigenvectors.forEach((q, i) => {
      expectAllClose(
        fn.grad(q),
        q.map((v) => v * fn.eigenvalues[i]),
        0,
        1e-12,
      );
    });
    const x = [0.3, -1.2, 0.7, 2];
    const comp = eigenComponents(fn, x);
    const f = 0.5 * comp.reduce((s, ci, i) => s + fn.eigenvalues[i] * ci * ci, 0);
    expect(fn.f(x)).toBeCloseTo(f, 12);
  });

  it('the gradient matches central differences', () => {
    const fn = createFunction({ kind: 'rotated-quadratic', condition: 50, dim: 6, seed: 9 });
    const rng = new Rng(2);
    for (let t = 0; t < 5; t++) {
      const x = Array.from({ length: 6 }, () => rng.uniform() * 4 - 2);
      expectAllClose(
        fn.grad(x),
        numericGrad((v) => fn.f(v), x, 1e-6),
        1e-6,
        1e-6,
      );
    }
  });

  it('κ with n spaces the eigenvalues geometrically from 1 to κ', () => {
    expectAllClose(geometricSpectrum(1000, 4), [1, 10, 100, 1000], 1e-12, 0);
    expect(geometricSpectrum(7, 1)).toEqual([1]);
  });

  it('gradient noise: seeded, mean ≈ 0, standard deviation ≈ σ; f stays exact', () => {
    const spec = { kind: 'rotated-quadratic', condition: 10, noise: 0.5, seed: 4 };
    const a = createFunction(spec) as RotatedQuadratic;
    const b = createFunction(spec) as RotatedQuadratic;
    const exact = rotatedQuadratic({ condition: 10 });
    const x = [0.2, -0.4];
    const g0 = exact.grad(x);
    const draws: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const g = a.grad(x);
      expect(Array.from(g)).toEqual(Array.from(b.grad(x)));
      draws.push(g[0] - g0[0], g[1] - g0[1]);
    }
    const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((s, v) => s + (v - mean) ** 2, 0) / draws.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(sd).toBeGreaterThan(0.48);
    expect(sd).toBeLessThan(0.52);
    expect(a.f(x)).toBe(exact.f(x));
  });

  it('options: eigenvalues set the dimension; eigenvalues with condition/dim are refused', () => {
    expect(functionDimension('rotated-quadratic', { eigenvalues: [1, 2, 3] })).toBe(3);
    expect(functionDimension('rotated-quadratic', { dim: 5 })).toBe(5);
    expect(functionDimension('rotated-quadratic', {})).toBe(2);
    expect(checkFunctionOptions('rotated-quadratic', { eigenvalues: [1, 4], dim: 2 })).toEqual([
      { path: ['dim'], message: 'give either "eigenvalues" or "condition" and "dim", not both' },
    ]);
    expect(checkFunctionOptions('rotated-quadratic', { eigenvalues: [1, 0] })[0].path).toEqual([
      'eigenvalues',
    ]);
    expect(
      checkFunctionOptions('rotated-quadratic', { eigenvalues: new Array(1001).fill(1) }),
    ).toEqual([
      {
        path: ['eigenvalues'],
        message: 'lists 1001 eigenvalues; the limit is 1000 (the Hessian is dense)',
      },
    ]);
    expect(checkFunctionOptions('rotated-quadratic', { dim: 1001 })[0].path).toEqual(['dim']);
    expect(() =>
      createFunction({ kind: 'rotated-quadratic', eigenvalues: [1, 4], condition: 3 }),
    ).toThrow(
      'function "rotated-quadratic": option "condition" give either "eigenvalues" or "condition" and "dim", not both',
    );
  });

  it('keeps the axis-aligned quadratic as it was', () => {
    const q = createFunction({ kind: 'quadratic', coefficients: [1, 10] });
    expect(q.f([1, 1])).toBe(5.5);
    expect(Array.from(q.grad([1, 1]))).toEqual([1, 10]);
  });
});
