import { describe, expect, it } from 'vitest';
import { defaultTolerance, firstMismatch } from '../src/conformance/index.js';

/** The suite's comparator: if it were lax, every conformance test would pass vacuously. */
describe('firstMismatch', () => {
  const tight = { rtol: 1e-12, atol: 0 };

  it('accepts values within atol + rtol·|expected| and reports the first one outside', () => {
    expect(firstMismatch([1, 2, 3], [1, 2, 3], tight)).toBeNull();
    expect(firstMismatch([1 + 1e-13], [1], tight)).toBeNull();
    expect(firstMismatch([1, 2 + 1e-9, 3 + 1], [1, 2, 3], tight)).toMatch(/^element 1: got 2\.0*1/);
    expect(firstMismatch([0.5], [0], { rtol: 1, atol: 0.5 })).toBeNull();
    expect(firstMismatch([0.50001], [0], { rtol: 1, atol: 0.5 })).toMatch(/element 0/);
  });

  it('widens the tolerance by the per-element scale', () => {
    // A sum of large cancelling terms: 1e-3 off on a result of 0, terms of magnitude 1e3.
    expect(firstMismatch([1e-3], [0], { rtol: 1e-5, atol: 0 }, [1e3])).toBeNull();
    expect(firstMismatch([1e-1], [0], { rtol: 1e-5, atol: 0 }, [1e3])).toMatch(/element 0/);
  });

  it('matches NaN only with NaN and infinities only with themselves', () => {
    expect(firstMismatch([NaN, Infinity, -Infinity], [NaN, Infinity, -Infinity], tight)).toBeNull();
    expect(firstMismatch([0], [NaN], tight)).toMatch(/expected NaN/);
    expect(firstMismatch([NaN], [0], tight)).toMatch(/got NaN/);
    expect(firstMismatch([Infinity], [-Infinity], tight)).toMatch(/element 0/);
    expect(firstMismatch([1e308], [Infinity], { rtol: 1, atol: 1 })).toMatch(/element 0/);
  });

  it('reports a length mismatch', () => {
    expect(firstMismatch([1, 2], [1, 2, 3], tight)).toBe('got 2 values, expected 3');
  });

  it('defaults: tight for float64, float32 rounding allowed', () => {
    expect(defaultTolerance('float64')).toEqual({ rtol: 1e-12, atol: 1e-12 });
    expect(defaultTolerance('float32')).toEqual({ rtol: 1e-5, atol: 1e-6 });
  });
});
