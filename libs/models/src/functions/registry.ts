import {
  checkOptionValues,
  lookup,
  optionValue,
  registry,
  type OptionProblem,
} from '@optlab/tensor';
import { ModelsError, resolveOptions, type OptionInfo } from '../options.js';
import {
  ackley,
  beale,
  booth,
  himmelblau,
  quadratic,
  rastrigin,
  rosenbrock,
  saddle,
  xSquared,
} from './catalog.js';
import {
  ExpressionError,
  MAX_EXPRESSION_LENGTH,
  expressionFunction,
  parseExpression,
} from './expression.js';
import { ROTATED_QUADRATIC_MAX_DIM, rotatedQuadratic } from './rotated-quadratic.js';
import type { TestFunction } from './test-function.js';

/** A test function as a spec names it: `kind` plus its options, and optionally `start`. */
export interface FunctionSpec {
  kind: string;
  /** Overrides the default start; its length must be the function's dimension. */
  start?: readonly number[];
  [option: string]: unknown;
}

export interface FunctionInfo {
  readonly kind: string;
  readonly summary: string;
  /** Dimension: fixed, or `any` (set by an option). */
  readonly dim: number | 'any';
  readonly options: readonly OptionInfo[];
  create(options: Record<string, unknown>): TestFunction;
  /**
   * Problems the option descriptions cannot state (rules across options, an expression's
   * syntax), for options that each fit their description. Pure; `create` refuses the same.
   */
  check?(options: Readonly<Record<string, unknown>>): OptionProblem[];
  /** The dimension, where options set it in a way `dim`/`coefficients` do not say. */
  dimension?(options: Readonly<Record<string, unknown>>): number | undefined;
}

const DIM: OptionInfo = {
  name: 'dim',
  kind: 'integer',
  default: 2,
  min: 1,
  max: 10_000,
  doc: 'Number of coordinates',
};

/** Every test function a spec can name, keyed by kind (a null-prototype object: look up with `lookup`). */
export const FUNCTIONS: Readonly<Record<string, FunctionInfo>> = registry({
  rosenbrock: {
    kind: 'rosenbrock',
    summary: '(a − x)² + b(y − x²)²: a curved valley, minimum 0 at (a, a²)',
    dim: 2,
    options: [
      { name: 'a', kind: 'number', default: 1, doc: 'Position of the minimum (a, a²)' },
      { name: 'b', kind: 'number', default: 100, min: 0, doc: 'Steepness of the valley walls' },
    ],
    create: (o) => rosenbrock(o.a as number, o.b as number),
  },
  beale: {
    kind: 'beale',
    summary: 'Beale: flat plateaus and sharp ridges, minimum 0 at (3, 0.5)',
    dim: 2,
    options: [],
    create: () => beale(),
  },
  himmelblau: {
    kind: 'himmelblau',
    summary: '(x² + y − 11)² + (x + y² − 7)²: four minima, all 0',
    dim: 2,
    options: [],
    create: () => himmelblau(),
  },
  rastrigin: {
    kind: 'rastrigin',
    summary: 'A·n + Σ(xᵢ² − A·cos 2πxᵢ): a grid of local minima, global 0 at the origin',
    dim: 'any',
    options: [
      DIM,
      { name: 'A', kind: 'number', default: 10, min: 0, doc: 'Amplitude of the ripples' },
    ],
    create: (o) => rastrigin(o.dim as number, o.A as number),
  },
  ackley: {
    kind: 'ackley',
    summary: 'Ackley: nearly flat outer region, many ripples, global 0 at the origin',
    dim: 'any',
    options: [DIM],
    create: (o) => ackley(o.dim as number),
  },
  booth: {
    kind: 'booth',
    summary: '(x + 2y − 7)² + (2x + y − 5)²: convex, minimum 0 at (1, 3)',
    dim: 2,
    options: [],
    create: () => booth(),
  },
  saddle: {
    kind: 'saddle',
    summary: 'x² − y²: a saddle at the origin, unbounded below (no minimum)',
    dim: 2,
    options: [],
    create: () => saddle(),
  },
  'x-squared': {
    kind: 'x-squared',
    summary: "The tutorial's quadratic_function x² (1-D), from x = 2.0",
    dim: 1,
    options: [],
    create: () => xSquared(),
  },
  quadratic: {
    kind: 'quadratic',
    summary: '½·Σ cᵢ·xᵢ² in any dimension; the coefficients are the curvatures',
    dim: 'any',
    options: [
      {
        name: 'coefficients',
        kind: 'numbers',
        default: [1, 10],
        minItems: 1,
        doc: 'Curvature per coordinate (its length is the dimension)',
      },
    ],
    create: (o) => quadratic(o.coefficients as number[]),
  },
  'rotated-quadratic': {
    kind: 'rotated-quadratic',
    summary:
      '½·xᵀHx with chosen eigenvalues in a rotated basis (an angle in 2-D, a seeded random orthogonal matrix in n-D), optional gradient noise',
    dim: 'any',
    options: [
      {
        name: 'eigenvalues',
        kind: 'numbers',
        default: null,
        minItems: 1,
        min: 0,
        exclusiveMin: true,
        doc: `The Hessian's eigenvalues (their count is the dimension, at most ${ROTATED_QUADRATIC_MAX_DIM}); instead of condition and dim`,
      },
      {
        name: 'condition',
        kind: 'number',
        default: 10,
        min: 1,
        max: 1e12,
        doc: 'Condition number κ: eigenvalues spaced geometrically from 1 to κ',
      },
      {
        name: 'dim',
        kind: 'integer',
        default: 2,
        min: 1,
        max: ROTATED_QUADRATIC_MAX_DIM,
        doc: 'Number of coordinates (with condition)',
      },
      {
        name: 'angle',
        kind: 'number',
        default: 30,
        unit: '°',
        doc: 'In 2-D: angle of the first eigenvector from the x axis',
      },
      {
        name: 'seed',
        kind: 'integer',
        default: 0,
        min: 0,
        max: 2 ** 31 - 1,
        doc: 'Seed of the random orthogonal basis (n > 2) and of the gradient noise',
      },
      {
        name: 'noise',
        kind: 'number',
        default: 0,
        min: 0,
        doc: 'σ of the Gaussian noise added to each gradient coordinate',
      },
    ],
    check: (o) => {
      if (o.eigenvalues === undefined || o.eigenvalues === null) return [];
      const problems: OptionProblem[] = [];
      for (const name of ['condition', 'dim']) {
        if (o[name] !== undefined) {
          problems.push({
            path: [name],
            message: `give either "eigenvalues" or "condition" and "dim", not both`,
          });
        }
      }
      const count = (o.eigenvalues as unknown[]).length;
      if (count > ROTATED_QUADRATIC_MAX_DIM) {
        problems.push({
          path: ['eigenvalues'],
          message: `lists ${count} eigenvalues; the limit is ${ROTATED_QUADRATIC_MAX_DIM} (the Hessian is dense)`,
        });
      }
      return problems;
    },
    dimension: (o) =>
      Array.isArray(o.eigenvalues) ? o.eigenvalues.length : ((o.dim as number | undefined) ?? 2),
    create: (o) =>
      rotatedQuadratic({
        eigenvalues: o.eigenvalues as number[] | null,
        condition: o.condition as number,
        dim: o.dim as number,
        angle: o.angle as number,
        seed: o.seed as number,
        noise: o.noise as number,
      }),
  },
  expression: {
    kind: 'expression',
    summary:
      'Your own function f(x, y) or f(x1, …, xn): + − * / ^, sin, cos, exp, log, sqrt, abs, tanh, min, max; gradient by symbolic differentiation (mathjs)',
    dim: 'any',
    options: [
      {
        name: 'expr',
        kind: 'string',
        default: null,
        required: true,
        doc: `The expression, at most ${MAX_EXPRESSION_LENGTH} characters, e.g. (1 - x)^2 + 100*(y - x^2)^2`,
      },
      {
        name: 'box',
        kind: 'pair',
        default: [-2, 2],
        doc: 'Plotting range [min, max] of every coordinate; the default start is a quarter into it',
      },
    ],
    check: (o) => {
      const problems: OptionProblem[] = [];
      try {
        parseExpression(o.expr as string);
      } catch (err) {
        if (!(err instanceof ExpressionError)) throw err;
        problems.push({ path: ['expr'], message: err.message });
      }
      const box = o.box as [number, number] | undefined;
      if (box && !(box[0] < box[1])) {
        problems.push({
          path: ['box'],
          message: `must be [min, max] with min < max, got ${JSON.stringify(box)}`,
        });
      }
      return problems;
    },
    dimension: (o) => {
      try {
        return parseExpression(o.expr as string).variables.length;
      } catch {
        return undefined;
      }
    },
    create: (o) => expressionFunction(o.expr as string, o.box as [number, number]),
  },
});

function unknownFunction(kind: unknown): string {
  return `unknown function ${JSON.stringify(String(kind))}; known: ${Object.keys(FUNCTIONS).join(', ')}`;
}

/**
 * Every problem with a test function named `type` and its `options` (without `kind` and
 * `start`), without building it: an unknown name (path `['type']`), unknown options, values that
 * do not fit. Pure.
 */
export function checkFunctionOptions(
  type: string,
  options: Readonly<Record<string, unknown>> = {},
): OptionProblem[] {
  const info = lookup(FUNCTIONS, type);
  if (!info) return [{ path: ['type'], message: unknownFunction(type) }];
  const problems = checkOptionValues(info.options, options, [], `function ${info.kind}`);
  if (problems.length > 0 || !info.check) return problems;
  return info.check(options);
}

/**
 * The number of coordinates of the test function `type` with (valid) `options`, without
 * building it: fixed, its `dim` option, or the length of a quadratic's coefficients.
 */
export function functionDimension(
  type: string,
  options: Readonly<Record<string, unknown>> = {},
): number | undefined {
  const info = lookup(FUNCTIONS, type);
  if (!info) return undefined;
  if (info.dim !== 'any') return info.dim;
  if (info.dimension) return info.dimension(options);
  const dim = info.options.find((o) => o.name === 'dim');
  if (dim) return optionValue(dim, options) as number;
  const coefficients = info.options.find((o) => o.name === 'coefficients');
  return coefficients ? (optionValue(coefficients, options) as number[]).length : undefined;
}

/** Builds the test function a spec names; `start`, if given, replaces the default start. */
export function createFunction(spec: FunctionSpec): TestFunction {
  const info = lookup(FUNCTIONS, spec?.kind);
  if (!info) throw new ModelsError(unknownFunction(spec?.kind));
  const owner = `function "${info.kind}"`;
  const resolved = resolveOptions(owner, info.options, spec, ['kind', 'start']);
  const given: Record<string, unknown> = { ...spec };
  delete given.kind;
  delete given.start;
  const [problem] = info.check?.(given) ?? [];
  if (problem)
    throw new ModelsError(`${owner}: option "${String(problem.path[0])}" ${problem.message}`);
  const fn = info.create(resolved);
  if (spec.start === undefined) return fn;
  const start = spec.start;
  if (
    !Array.isArray(start) ||
    start.length !== fn.dim ||
    !start.every((v) => typeof v === 'number' && Number.isFinite(v))
  ) {
    throw new ModelsError(
      `${owner}: option "start" must be ${fn.dim} finite numbers, got ${JSON.stringify(start)}`,
    );
  }
  return { ...fn, start: [...start] };
}
