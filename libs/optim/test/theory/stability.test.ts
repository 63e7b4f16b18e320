import { cpu, Parameter } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import { SGD, sgdStabilityThreshold } from '../../src/index.js';

/**
 * The thresholds against the project's SGD itself: on f(x) = ½·λ·x², 400 updates from x = 1 with
 * λ 2 % below the threshold must shrink |x|, and 2 % above it must grow it. (Near the edge the
 * rate is within a few per cent of 1, so 400 steps separate the two by orders of magnitude.)
 */
async function finalDistance(lambda: number, options: ConstructorParameters<typeof SGD>[1]) {
  const be = cpu({ dtype: 'float64' });
  const w = new Parameter(be.tensor([1], [1]));
  const opt = new SGD([w], options);
  for (let k = 0; k < 400; k++) {
    const [x] = await w.value.data();
    w.grad = be.tensor([lambda * x], [1]);
    opt.step();
  }
  const [x] = await w.value.data();
  return Math.abs(x);
}

describe('sgdStabilityThreshold: the largest eigenvalue at which SGD still converges', () => {
  const cases = [
    { lr: 0.1, rule: '2/η', value: 20 },
    { lr: 0.05, momentum: 0.9, rule: '(2+2β)/η', value: 3.8 / 0.05 },
    { lr: 0.05, momentum: 0.5, dampening: 0.5, rule: '(2+2β)/(η(1−τ))', value: 3 / 0.025 },
    {
      lr: 0.02,
      momentum: 0.9,
      nesterov: true,
      rule: '(2+2β)/(η(1+2β))',
      value: 3.8 / (0.02 * 2.8),
    },
  ];

  it.each(cases)(
    '$rule at lr $lr: the formula, and the project SGD converges below it and diverges above',
    async (c) => {
      const { rule, value, ...options } = c;
      const t = sgdStabilityThreshold(options)!;
      expect(t.rule).toBe(rule);
      expect(t.value).toBeCloseTo(value, 12);
      expect(await finalDistance(t.value * 0.98, options)).toBeLessThan(1e-2);
      expect(await finalDistance(t.value * 1.02, options)).toBeGreaterThan(1e2);
    },
  );

  it('has none for a step that is not a positive size', () => {
    expect(sgdStabilityThreshold({ lr: 0 })).toBeNull();
    expect(sgdStabilityThreshold({ lr: -0.1, momentum: 0.9 })).toBeNull();
    expect(sgdStabilityThreshold({ lr: 0.1, momentum: 0.9, dampening: 1 })).toBeNull();
  });
});
