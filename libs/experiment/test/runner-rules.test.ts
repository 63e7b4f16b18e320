import { describe, expect, it } from 'vitest';
import {
  DIVERGENCE_FACTOR,
  TRAJECTORY_FULL_LIMIT,
  divergenceLimit,
  logParams,
  stepSizeOf,
} from './helpers.js';
import { allFinite, lossDivergence } from '../src/runner/divergence.js';

/**
 * The runner's small rules on their own, at their edges (docs/mutation-testing.md): the
 * divergence limit and its wording, the step size events report, and how a trajectory point is
 * logged.
 */

describe('divergence', () => {
  it('the limit is 1e6 × max(|initial loss|, 1)', () => {
    expect(DIVERGENCE_FACTOR).toBe(1e6);
    expect(divergenceLimit(3)).toBe(3e6);
    expect(divergenceLimit(-5)).toBe(5e6);
    expect(divergenceLimit(0.5)).toBe(1e6);
    expect(divergenceLimit(-0.5)).toBe(1e6);
    expect(divergenceLimit(0)).toBe(1e6);
    expect(divergenceLimit(Infinity)).toBe(Infinity);
  });

  it('a loss at the limit is not divergence; above it, or not finite, it is', () => {
    expect(lossDivergence('the loss', 4e6, 4e6)).toBeNull();
    expect(lossDivergence('the loss', -1e12, 4e6)).toBeNull();
    expect(lossDivergence('the loss', 4000001, 4e6)).toBe(
      'the loss 4000001 exceeded 4000000 (1000000 × max(|initial loss|, 1))',
    );
    expect(lossDivergence('the training loss', NaN, 4e6)).toBe('the training loss became NaN');
    expect(lossDivergence('the loss', -Infinity, Infinity)).toBe('the loss became -Infinity');
    // A non-finite initial loss makes every finite loss acceptable.
    expect(lossDivergence('the loss', 1e300, Infinity)).toBeNull();
  });

  it('allFinite looks at every value', () => {
    expect(allFinite([])).toBe(true);
    expect(allFinite([1, -2, 0])).toBe(true);
    expect(allFinite([1, 2, Infinity])).toBe(false);
    expect(allFinite(Float32Array.from([NaN, 1]))).toBe(false);
    expect(allFinite([1, -Infinity, 3])).toBe(false);
  });
});

describe('stepSizeOf', () => {
  const group = (g: Record<string, unknown>) => ({ paramGroups: [g as never] });

  it("a schedule's last lr, else the optimizer's own, with no mode", () => {
    const schedule = { getLastLr: () => [0.25, 0.5] };
    expect(stepSizeOf(group({ lr: 0.1 }), schedule, 3)).toEqual({ lr: 0.25 });
    expect(stepSizeOf(group({ lr: 0.1, relativeStep: true }), null, 3)).toEqual({ lr: 0.1 });
    expect(stepSizeOf(group({ lr: 0 }), null, 1)).toEqual({ lr: 0 });
  });

  it("Adafactor's relative step: min(1e-2, 1/√t), or min(1e-6·t, 1/√t) with warm-up", () => {
    const relative = group({ lr: null, relativeStep: true });
    expect(stepSizeOf(relative, null, 1)).toEqual({ lr: 0.01, lrMode: 'relative-step' });
    expect(stepSizeOf(relative, null, 40_000)).toEqual({ lr: 0.005, lrMode: 'relative-step' });
    const warm = group({ lr: null, relativeStep: true, warmupInit: true });
    expect(stepSizeOf(warm, null, 5)).toEqual({ lr: 1e-6 * 5, lrMode: 'relative-step' });
    expect(stepSizeOf(warm, null, 40_000)).toEqual({ lr: 0.005, lrMode: 'relative-step' });
  });

  it('neither an lr nor a relative step is an error naming both', () => {
    expect(() => stepSizeOf(group({ lr: null, relativeStep: false }), null, 1)).toThrow(
      'paramGroups[0] (lr null, relativeStep false): the optimizer has neither an lr nor a relative step',
    );
    expect(() => stepSizeOf(group({ lr: undefined, relativeStep: 'yes' }), null, 1)).toThrow(
      'paramGroups[0] (lr undefined, relativeStep yes): the optimizer has neither an lr nor a relative step',
    );
  });
});

describe('logParams', () => {
  it('in full at exactly the limit, sampled one past it', () => {
    expect(TRAJECTORY_FULL_LIMIT).toBe(64);
    const point = Array.from({ length: 65 }, (_, i) => i);
    expect(logParams(point.slice(0, 64))).toEqual({
      params: point.slice(0, 64),
      paramsMode: 'full',
    });
    const sampled = logParams(point);
    // ceil(65 / 64) = 2: coordinates 0, 2, …, 64.
    expect(sampled.params).toEqual(Array.from({ length: 33 }, (_, k) => 2 * k));
    expect(sampled.paramsSample).toEqual({
      dimension: 65,
      stride: 2,
      norm: Math.sqrt(point.reduce((s, v) => s + v * v, 0)),
    });
  });

  it('a dimension that the stride divides: the last sample is the last coordinate before it', () => {
    const point = Array.from({ length: 128 }, (_, i) => i + 1);
    const { params, paramsSample } = logParams(point);
    expect(params).toEqual(Array.from({ length: 64 }, (_, k) => 2 * k + 1));
    expect(paramsSample).toMatchObject({ dimension: 128, stride: 2 });
  });

  it('the norm is scaled by the largest magnitude wherever it is', () => {
    const v = new Float64Array(100).fill(1);
    v[0] = 1e300;
    expect(logParams(v).paramsSample!.norm).toBe(1e300);
  });

  it('the norm of a zero vector, of an infinite coordinate, of a NaN after an infinity', () => {
    const v = new Float64Array(100);
    expect(logParams(v).paramsSample!.norm).toBe(0);
    v[7] = -Infinity;
    expect(logParams(v).paramsSample!.norm).toBe(Infinity);
    v[90] = NaN;
    expect(logParams(v).paramsSample!.norm).toBeNaN();
    const small = new Float64Array(100).fill(-3e-200);
    expect(logParams(small).paramsSample!.norm).toBeCloseTo(3e-199, 210);
  });
});
