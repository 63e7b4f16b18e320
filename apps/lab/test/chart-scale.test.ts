import { describe, expect, it } from 'vitest';
import {
  finiteExtent,
  inlierExtent,
  linearTicks,
  logAxis,
  logRange,
  logScaleRange,
  logTicks,
  tickLabels,
} from '../src/renderer/src/lib/chart-scale.js';

describe('chart y axes', () => {
  it('fits the finite data, or the inliers: an exploding run is a far outlier on a log axis', () => {
    const converging = Array.from({ length: 101 }, (_, i) => 55.6 * Math.exp(-i / 20) + 1.09);
    const flat = Array.from({ length: 101 }, (_, i) => 55.6 - 0.25 * i);
    const exploding = [55.6, 1.1e7, 2.25e12, null, Number.NaN];
    expect(finiteExtent([converging, flat, exploding], true)).toEqual([
      Math.min(...converging),
      2.25e12,
    ]);
    const [lo, hi] = inlierExtent([converging, flat, exploding], true)!;
    expect(lo).toBeCloseTo(Math.min(...converging), 10);
    expect(hi).toBeCloseTo(Math.max(...converging), 10);
    // Zero and negative values have no place on a log axis; a linear one keeps them.
    expect(finiteExtent([[0, -1, 2, 4]], true)).toEqual([2, 4]);
    expect(finiteExtent([[0, -1, 2, 4]], false)).toEqual([-1, 4]);
    expect(finiteExtent([[null, Number.POSITIVE_INFINITY]], false)).toBeNull();
  });

  it('ticks a log axis at any range, never more than asked', () => {
    const [lo, hi] = logRange(1.08, 1.1);
    expect(lo).toBeLessThan(1.08);
    expect(hi).toBeGreaterThan(1.1);
    expect(hi / lo).toBeLessThan(1.1);
    expect(logTicks(1.079, 1.101, 4)).toEqual([1.08, 1.09, 1.1]);
    expect(logTicks(0.93, 64, 4)).toEqual([1, 3, 10, 30]);
    expect(logTicks(0.93, 64, 8)).toEqual([1, 2, 5, 10, 20, 50]);
    expect(logTicks(0.5, 2.2e12, 4)).toEqual([1, 1e4, 1e8, 1e12]);
    expect(logTicks(0.5, 2.2e12, 20)).toHaveLength(13);
    expect(logTicks(2, 9, 10)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('labels ticks so that neighbours differ', () => {
    expect(tickLabels([1.08, 1.085, 1.09])).toEqual(['1.08', '1.085', '1.09']);
    expect(tickLabels([1, 1e4, 1e8, 1e12])).toEqual(['1', '10000', '1e8', '1e12']);
    expect(tickLabels([0.0001, 0.5])).toEqual(['1e-4', '0.5']);
    expect(linearTicks(0, 1, 6)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(1.06, 1.11, 4)).toEqual([1.06, 1.08, 1.1]);
    expect(logTicks(1.06, 1.11, 4)).toEqual([1.06, 1.08, 1.1]);
    expect(logTicks(1.01, 1.99, 4)).toEqual([1.2, 1.4, 1.6, 1.8]);
  });

  it("gives uPlot a log axis that ticks any range, down to a sweep's 1e-113 losses", () => {
    const axis = logAxis(7);
    expect(axis.scale).toMatchObject({ distr: 3, log: 10 });
    const [lo, hi] = axis.scale.range(null, 4.149521756471496e-113, 4.5);
    expect(Math.log10(lo)).toBeCloseTo(-112.38 - 0.04 * (Math.log10(4.5) + 112.38), 1);
    expect(hi).toBeGreaterThan(4.5);
    const ticks = axis.splits(null, 1, lo, hi);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.length).toBeLessThanOrEqual(7);
    for (const t of ticks) expect(Number.isInteger(Math.log10(t))).toBe(true);
    // uPlot's own label filter would drop what is not a whole decade: every tick keeps its label.
    expect(axis.filter(null, ticks)).toEqual(ticks);
    // The tick count may follow the chart's height.
    let count = 3;
    const resized = logAxis(() => count);
    count = 12;
    expect(resized.splits(null, 1, 1e-23, 1).length).toBe(12);
  });

  it('falls back to a decade either side of 1 where a log scale has no positive extent', () => {
    expect(logScaleRange(null, null)).toEqual([0.1, 10]);
    expect(logScaleRange(0, 1)).toEqual([0.1, 10]);
    expect(logScaleRange(1, Number.POSITIVE_INFINITY)).toEqual([0.1, 10]);
    expect(logScaleRange(1e-30, 1e-10)).toEqual(logRange(1e-30, 1e-10));
  });
});
