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
}

const DIM: OptionInfo = {
  name: 'dim',
  kind: 'integer',
  default: 2,
  min: 1,
  max: 10_000,
  doc: 'Number of coordinates',
};

/** Every test function a spec can name, keyed by kind. */
export const FUNCTIONS: Readonly<Record<string, FunctionInfo>> = {
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
        doc: 'Curvature per coordinate (its length is the dimension)',
      },
    ],
    create: (o) => quadratic(o.coefficients as number[]),
  },
};

/** Builds the test function a spec names; `start`, if given, replaces the default start. */
export function createFunction(spec: FunctionSpec): TestFunction {
  const info = Object.hasOwn(FUNCTIONS, spec?.kind) ? FUNCTIONS[spec.kind] : undefined;
  if (!info) {
    throw new ModelsError(
      `unknown function "${String(spec?.kind)}"; known: ${Object.keys(FUNCTIONS).join(', ')}`,
    );
  }
  const owner = `function "${info.kind}"`;
  const fn = info.create(resolveOptions(owner, info.options, spec, ['kind', 'start']));
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
