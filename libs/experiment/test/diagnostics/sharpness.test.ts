import { readFileSync } from 'node:fs';
import { cpu, Rng, tidy } from '@optlab/tensor';
import { MLP } from '@optlab/models';
import { describe, expect, it } from 'vitest';
import {
  flatLayoutOf,
  hessianVectorProduct,
  machineEpsilon,
  readGradients,
  topHessianEigenvalue,
  writeWeights,
} from '../helpers.js';

/** A symmetric matrix Q·diag(λ)·Qᵀ with Q a seeded random orthogonal matrix (Gram–Schmidt). */
function rotatedQuadratic(eigenvalues: readonly number[], seed: number): Float64Array[] {
  const n = eigenvalues.length;
  const rng = new Rng(seed);
  const q: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    const v = Float64Array.from({ length: n }, () => rng.normal());
    for (const u of q) {
      const d = u.reduce((s, ui, i) => s + ui * v[i], 0);
      for (let i = 0; i < n; i++) v[i] -= d * u[i];
    }
    const s = Math.hypot(...v);
    q.push(v.map((x) => x / s));
  }
  return Array.from({ length: n }, (_, i) =>
    Float64Array.from({ length: n }, (_, j) =>
      eigenvalues.reduce((s, l, k) => s + q[k][i] * l * q[k][j], 0),
    ),
  );
}

const times = (a: Float64Array[], w: Float64Array) =>
  Float64Array.from(a, (row) => row.reduce((s, r, j) => s + r * w[j], 0));

describe('sharpness by power iteration on Hessian-vector products', () => {
  it('finds the top eigenvalue of a rotated quadratic, whose Hessian is known exactly', async () => {
    const eigenvalues = [10, 7, 3, 1, 0.5, -2];
    const a = rotatedQuadratic(eigenvalues, 5);
    const gradient = async (w: Float64Array) => times(a, w);
    const theta = Float64Array.from([0.3, -1, 2, 0.5, 4, -0.7]);
    const found = await topHessianEigenvalue(gradient, theta, {
      iterations: 200,
      tolerance: 1e-12,
      seed: 0,
      epsilon: machineEpsilon('float64'),
    });
    expect(found.converged).toBe(true);
    expect(found.value).toBeCloseTo(10, 9);
    // The vector is the top eigenvector: A·v = 10·v.
    const av = times(a, found.vector);
    for (let i = 0; i < 6; i++) expect(av[i]).toBeCloseTo(10 * found.vector[i], 4);
  });

  it('gives the exact product on a quadratic (a central difference is exact there)', async () => {
    const a = rotatedQuadratic([4, 2, 1], 1);
    const v = Float64Array.from([1, 2, -1]);
    const hv = await hessianVectorProduct(
      async (w) => times(a, w),
      Float64Array.of(3, 1, 2),
      v,
      1e-3,
    );
    const exact = times(a, v);
    for (let i = 0; i < 3; i++) expect(hv[i]).toBeCloseTo(exact[i], 10);
  });

  it('starts from the same seeded vector every time, and from a given one when asked', async () => {
    const a = rotatedQuadratic([3, 2.9, 1], 2);
    const gradient = async (w: Float64Array) => times(a, w);
    const theta = new Float64Array(3);
    const options = { iterations: 3, tolerance: 1e-15, seed: 7, epsilon: 2 ** -52 };
    const one = await topHessianEigenvalue(gradient, theta, options);
    const two = await topHessianEigenvalue(gradient, theta, options);
    expect(two.value).toBe(one.value);
    expect(two.converged).toBe(false);
    expect(two.iterations).toBe(3);
    const warm = await topHessianEigenvalue(gradient, theta, { ...options, start: one.vector });
    expect(Math.abs(warm.value - 3)).toBeLessThan(Math.abs(one.value - 3));
  });

  it("matches PyTorch's exact Hessian of a tiny MLP (fixture: tools/fixtures/experiment/mlp-hessian.py)", async () => {
    const fixture = JSON.parse(
      readFileSync(new URL('../fixtures/mlp-hessian.json', import.meta.url), 'utf8'),
    ) as {
      sizes: number[];
      x: number[][];
      y: number[];
      weights: number[];
      loss: number;
      topEigenvalue: number;
      eigenvalues: number[];
    };
    const be = cpu({ dtype: 'float64' });
    const model = new MLP(be, { sizes: fixture.sizes, activation: 'tanh' });
    const parameters = model.parameters();
    const layout = flatLayoutOf(parameters);
    expect(layout.names).toEqual(['layer1.W', 'layer1.b', 'layer2.W', 'layer2.b']);
    const x = be.tensor(fixture.x.flat(), [fixture.x.length, fixture.sizes[0]]);
    const y = be.tensor(fixture.y, [fixture.y.length]);
    const theta = Float64Array.from(fixture.weights);
    writeWeights(be, parameters, layout, theta);
    // The same model as the fixture's: the same loss to rounding.
    const loss = tidy(() => model.loss(x, y));
    expect(loss.dataSync()[0]).toBeCloseTo(fixture.loss, 13);
    loss.dispose();
    const gradient = async (w: Float64Array) => {
      writeWeights(be, parameters, layout, w);
      tidy(() => model.lossAndGrad(x, y)).dispose();
      return (await readGradients(parameters, layout))!;
    };
    const found = await topHessianEigenvalue(gradient, theta, {
      iterations: 300,
      tolerance: 1e-10,
      seed: 0,
      epsilon: machineEpsilon('float64'),
    });
    expect(found.converged).toBe(true);
    // Central differences at h = ∛ε·‖θ‖ are good to ~1e-10 relative here; the power iteration
    // then stops within its tolerance.
    expect(Math.abs(found.value - fixture.topEigenvalue) / fixture.topEigenvalue).toBeLessThan(
      1e-6,
    );
    model.dispose();
    x.dispose();
    y.dispose();
  });
});
