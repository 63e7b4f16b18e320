import { readFileSync } from 'node:fs';
import { cpu, Parameter } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import {
  SGD,
  gradientDescentOptimum,
  heavyBallEigenRate,
  heavyBallFromSgd,
  heavyBallOptimum,
  heavyBallRate,
  measuredRate,
} from '../../src/index.js';

interface Fixture {
  eigenRates: { lambda: number; alpha: number; beta: number; rate: number }[];
  torchSgd: {
    eigenvalues: number[];
    angle: number;
    start: number[];
    runs: { lr: number; momentum: number; errors: number[] }[];
  };
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/heavy-ball.json', import.meta.url), 'utf8'),
) as Fixture;

describe('heavy-ball rate theory', () => {
  it('per-eigenvalue rate = numpy eigenvalues of the 2×2 iteration matrix (180 cases)', () => {
    expect(fixture.eigenRates).toHaveLength(180);
    for (const c of fixture.eigenRates) {
      // numpy's eigvals of a (nearly) defective matrix is only √ε accurate: 2e-7.
      expect(Math.abs(heavyBallEigenRate(c.lambda, c.alpha, c.beta) - c.rate)).toBeLessThan(2e-7);
    }
  });

  it('the optimum on [1, 100]: α* = (2/11)², β* = (9/11)², rate 9/11, the minimum of the rate', () => {
    const opt = heavyBallOptimum([1, 100, 30]);
    expect(opt.alpha).toBeCloseTo((2 / 11) ** 2, 15);
    expect(opt.beta).toBeCloseTo((9 / 11) ** 2, 15);
    expect(opt.rate).toBeCloseTo(9 / 11, 15);
    expect(opt.condition).toBe(100);
    // Both extreme eigenvalues sit on the boundary of the complex region: rate √β*.
    expect(heavyBallRate([1, 30, 100], opt.alpha, opt.beta)).toBeCloseTo(opt.rate, 6);
    for (const [da, db] of [
      [1.05, 1],
      [0.95, 1],
      [1, 1.05],
      [1, 0.95],
      [1.05, 1.05],
      [0.95, 0.95],
    ]) {
      expect(heavyBallRate([1, 100], opt.alpha * da, opt.beta * db)).toBeGreaterThan(opt.rate);
    }
    // Momentum's square-root speed-up over gradient descent's (κ − 1)/(κ + 1).
    expect(gradientDescentOptimum([1, 100])).toEqual({ alpha: 2 / 101, rate: 99 / 101 });
  });

  it('refuses a spectrum it has no theory for', () => {
    expect(() => heavyBallOptimum([0, 1])).toThrow(
      'heavy-ball theory needs positive finite eigenvalues, got [0, 1]',
    );
    expect(() => heavyBallOptimum([])).toThrow(RangeError);
  });

  it('PyTorch SGD → Polyak: α = lr·(1 − dampening), β = momentum', () => {
    expect(heavyBallFromSgd({ lr: 0.1, momentum: 0.9 })).toEqual({ alpha: 0.1, beta: 0.9 });
    expect(heavyBallFromSgd({ lr: 0.1, momentum: 0.9, dampening: 0.5 })).toEqual({
      alpha: 0.05,
      beta: 0.9,
    });
  });

  it('measuredRate: the tail geometric mean; NaN without an error, Infinity when it blew up', () => {
    expect(measuredRate([8, 4, 2, 1])).toBeCloseTo(0.5, 15);
    expect(measuredRate([1, 1, 0.25, 0.0625], 2)).toBeCloseTo(0.25, 15);
    // A geometric sequence is measured exactly whatever the window and block.
    const geometric = Array.from({ length: 61 }, (_, k) => 3 * 0.9 ** k);
    expect(measuredRate(geometric, 40, 10)).toBeCloseTo(0.9, 14);
    // A spiral (|cos| inside 0.9ᵏ) reads its envelope when a block spans a period (20 steps).
    const spiral = Array.from(
      { length: 201 },
      (_, k) => 0.9 ** k * Math.abs(Math.cos((k * Math.PI) / 10 + 0.3)),
    );
    expect(Math.abs(measuredRate(spiral, 150, 50) - 0.9)).toBeLessThan(2e-3);
    expect(measuredRate([0, 0, 0])).toBeNaN();
    expect(measuredRate([1, 2, Infinity])).toBe(Infinity);
    expect(measuredRate([1])).toBeNaN();
  });
});

describe("the project's SGD with momentum on a rotated quadratic measures the theory's rate", () => {
  const { eigenvalues, angle, start, runs } = fixture.torchSgd;
  const t = (angle * Math.PI) / 180;
  const q = [
    [Math.cos(t), Math.sin(t)],
    [-Math.sin(t), Math.cos(t)],
  ];
  // H = Qᵀ diag(λ) Q, written out independently of @optlab/models.
  const h = [0, 1].map((i) =>
    [0, 1].map((j) => eigenvalues[0] * q[0][i] * q[0][j] + eigenvalues[1] * q[1][i] * q[1][j]),
  );
  const be = cpu({ dtype: 'float64' });

  it.each(runs)('lr $lr, momentum $momentum', async ({ lr, momentum, errors }) => {
    const w = new Parameter(be.tensor(start, [2]));
    const opt = new SGD([w], { lr, momentum });
    const ours = [Math.hypot(start[0], start[1])];
    for (let k = 0; k < errors.length - 1; k++) {
      const [x, y] = await w.value.data();
      w.grad = be.tensor([h[0][0] * x + h[0][1] * y, h[1][0] * x + h[1][1] * y], [2]);
      opt.step();
      const [nx, ny] = await w.value.data();
      ours.push(Math.hypot(nx, ny));
    }
    // The same iterates as torch.optim.SGD (float64) to rounding.
    ours.forEach((e, k) =>
      expect(Math.abs(e - errors[k])).toBeLessThanOrEqual(1e-12 * Math.max(errors[k], 1)),
    );
    const { alpha, beta } = heavyBallFromSgd({ lr, momentum });
    const predicted = heavyBallRate(eigenvalues, alpha, beta);
    const measured = measuredRate(ours, 150, 50);
    // At the optimum the iteration matrix is defective (a double root): the error falls like
    // k·ρᵏ, which over steps 50…200 reads about 1 % slow. Elsewhere it is closer.
    expect(Math.abs(measured / predicted - 1)).toBeLessThan(0.015);
  });
});
