import { describe, expect, it } from 'vitest';
import {
  checkFunctionOptions,
  createFunction,
  expressionEngineLoaded,
  loadExpressionEngine,
  parseExpression,
} from '../src/index.js';

// vitest isolates modules per test file, so this file starts with a fresh engine. The cases run
// in order: the first ones must not load mathjs, the later ones do.
describe('the expression engine (mathjs) loads on first use only', () => {
  it('is not loaded by importing the library or by the other functions', () => {
    // Before: `create(all)` ran at import, so every process and worker thread that imported
    // @optlab/models paid for mathjs (about 0.7–2 s of CPU), expressions or not.
    const fn = createFunction({ kind: 'rosenbrock' });
    expect(fn.f([1, 1])).toBe(0);
    expect(checkFunctionOptions('quadratic', { coefficients: [1, 4] })).toEqual([]);
    expect(expressionEngineLoaded()).toBe(false);
  });

  it('loads synchronously in Node on the first expression', () => {
    expect(parseExpression('x^2 + y').variables).toEqual(['x', 'y']);
    expect(expressionEngineLoaded()).toBe(true);
    const fn = createFunction({ kind: 'expression', expr: 'x^2 + 3*y' });
    expect(Array.from(fn.grad([2, 1]))).toEqual([4, 3]);
  });

  it('loadExpressionEngine resolves at once once it is loaded', async () => {
    await expect(loadExpressionEngine()).resolves.toBeUndefined();
    expect(expressionEngineLoaded()).toBe(true);
  });
});
