import { describe, expect, it } from 'vitest';
import { Rng } from '@optlab/tensor';
import {
  ExpressionError,
  MAX_EXPRESSION_LENGTH,
  checkFunctionOptions,
  createFunction,
  expressionFunction,
  functionDimension,
  parseExpression,
  rosenbrock,
} from '../src/index.js';
import { expectAllClose, numericGrad } from './helpers.js';

/** Expressions over the whole language, with points away from their kinks and poles. */
const smooth = [
  '(1 - x)^2 + 100*(y - x^2)^2',
  'sin(x) * cos(2*y) + exp(-x^2 - y^2)',
  'log(1 + x^2 + y^2) + sqrt(2 + x*y) - tanh(3*x - y)',
  'x1^2 + 3*x2^2 - x3/(1 + x1^2) + pi*e*x4',
  '-x^3 + +y/4 - 2x',
  'abs(x - y) + max(x, y^2, 0.5) - min(x*y, 1)',
];

function points(seed: number, dim: number, count: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: dim }, () => rng.uniform() * 3 - 1.5),
  );
}

describe('expression functions', () => {
  it.each(smooth)('%s: the gradient matches central differences at 30 points', (text) => {
    const fn = expressionFunction(text);
    for (const x of points(7, fn.dim, 30)) {
      expectAllClose(
        fn.grad(x),
        numericGrad((v) => fn.f(v), x, 1e-6),
        1e-5,
        1e-5,
      );
    }
  });

  it('a typed Rosenbrock equals the built-in: f bit for bit, the gradient to 1e-13', () => {
    const typed = expressionFunction('(1 - x)^2 + 100*(y - x^2)^2');
    const builtIn = rosenbrock();
    for (const x of points(3, 2, 50)) {
      expect(typed.f(x)).toBeCloseTo(builtIn.f(x), 12);
      expectAllClose(typed.grad(x), builtIn.grad(x), 1e-13, 1e-12);
    }
  });

  it('dimension: x, y → 2; x1 … xn → n (the largest index); from the spec too', () => {
    expect(expressionFunction('x^2').dim).toBe(2);
    expect(expressionFunction('x1 + x5').dim).toBe(5);
    expect(functionDimension('expression', { expr: 'x3*x1' })).toBe(3);
    expect(functionDimension('expression', { expr: 'x + y' })).toBe(2);
    const fn = createFunction({ kind: 'expression', expr: 'x^2 + y^2', box: [-4, 4] });
    expect(fn.domain).toEqual([
      [-4, 4],
      [-4, 4],
    ]);
    expect(fn.start).toEqual([-2, -2]);
  });

  it('abs, min and max: the subgradient at a kink is the average of the sides (0 for abs)', () => {
    expect(Array.from(expressionFunction('abs(x) + y').grad([0, 1]))).toEqual([0, 1]);
    expect(Array.from(expressionFunction('abs(x*y)').grad([0, 0]))).toEqual([0, 0]);
    // max(x, y) at x = y: ½(∇x + ∇y).
    expect(Array.from(expressionFunction('max(x, y)').grad([1, 1]))).toEqual([0.5, 0.5]);
    expect(Array.from(expressionFunction('min(x, 2*y)').grad([3, 1]))).toEqual([0, 2]);
    expect(Array.from(expressionFunction('max(x, 2*y)').grad([3, 1]))).toEqual([1, 0]);
  });

  it('a pole or a negative root is non-finite, not an exception', () => {
    const fn = expressionFunction('1/x + sqrt(y)');
    expect(fn.f([0, 1])).toBe(Infinity);
    expect(fn.f([1, -1])).toBeNaN();
    expect(Number.isFinite(fn.grad([0, 1])[0])).toBe(false);
  });
});

function errorOf(text: string): ExpressionError {
  try {
    parseExpression(text);
  } catch (err) {
    if (err instanceof ExpressionError) return err;
    throw err;
  }
  throw new Error(`no error for ${text}`);
}

describe('bad expressions are refused with the position', () => {
  it.each([
    ['x + z', 'unknown symbol "z"', 4],
    ['x^2 + foo(y)', 'unknown function "foo"', 6],
    ['sin(x) + gamma(y)', 'unknown function "gamma"', 9],
    ['x + * 2', 'syntax error: Value expected', 4],
    ['sin(x', 'syntax error: Parenthesis ) expected', 5],
    ['x % 2', '"%" is not allowed', 2],
    ['x == y', '"=" is not allowed', 2],
    ['[x, y]', '"[" is not allowed', 0],
    ['x + y + x3', 'use either x, y or x1 … xn, not both ("x3")', 8],
    ['sin(x, y)', 'sin takes 1 argument, got 2', 0],
    ['max(x)', 'max takes 2 or more arguments, got 1', 0],
    ['x + sin', 'function "sin" needs arguments in parentheses', 4],
    ['x0 + x1', 'unknown symbol "x0"', 0],
    ['x101', 'unknown symbol "x101"', 0],
    ['   ', 'the expression is empty', 0],
    ['0x1F', 'unknown symbol "x1F"', 1],
  ])('%s → %s at %d', (text, reason, position) => {
    const err = errorOf(text);
    expect(err.message).toBe(`${err.reason} at character ${position + 1}`);
    expect(err.reason.startsWith(reason)).toBe(true);
    expect(err.position).toBe(position);
  });

  it(`refuses more than ${MAX_EXPRESSION_LENGTH} characters and deep nesting`, () => {
    const long = 'x' + ' + x'.repeat(MAX_EXPRESSION_LENGTH / 4);
    expect(errorOf(long).reason).toBe(
      `the expression is ${long.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`,
    );
    expect(errorOf('('.repeat(65) + 'x' + ')'.repeat(65)).reason).toBe(
      'parentheses nest deeper than 64 levels',
    );
    expect(() => parseExpression('('.repeat(64) + 'x' + ')'.repeat(64))).not.toThrow();
  });

  it('the spec check names the option and the position; create refuses the same', () => {
    expect(checkFunctionOptions('expression', { expr: 'x + z' })).toEqual([
      {
        path: ['expr'],
        message:
          'unknown symbol "z" (allowed: x, y or x1 … x100; pi, e; sin, cos, exp, log, sqrt, abs, tanh, min, max) at character 5',
      },
    ]);
    expect(checkFunctionOptions('expression', {})).toEqual([
      { path: ['expr'], message: 'is required' },
    ]);
    expect(checkFunctionOptions('expression', { expr: 'x', box: [1, -1] })).toEqual([
      { path: ['box'], message: 'must be [min, max] with min < max, got [1,-1]' },
    ]);
    expect(() => createFunction({ kind: 'expression', expr: 'x +' })).toThrow(
      'function "expression": option "expr" syntax error: Unexpected end of expression at character 4',
    );
  });
});
