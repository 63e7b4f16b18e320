/**
 * The loss landscape's options, their bounds and grids. Each grid point costs one evaluation of
 * the full training loss, so the grid is bounded: at most `LANDSCAPE_LIMITS.steps1d` points on a
 * 1-D line and `LANDSCAPE_LIMITS.steps2d` × `steps2d` on a 2-D slice.
 */
export const LANDSCAPE_LIMITS = {
  /** Points of a 1-D interpolation. */
  steps1d: 1001,
  /** Points per side of a 2-D slice (101 × 101 = 10,201 loss evaluations). */
  steps2d: 101,
  /** Fewest points per side. */
  minSteps: 3,
  /** Largest span (2-D: ±span along each direction; 1-D: α from −span to 1 + span). */
  span: 100,
  /** Parameters of a model a landscape is computed for (each trajectory point is a copy). */
  parameters: 1_000_000,
} as const;

export const LANDSCAPE_DEFAULTS = {
  dim: 2 as 1 | 2,
  steps1d: 51,
  steps2d: 25,
  span1d: 0.5,
  span2d: 1,
  seed: 0,
  /** Trajectory points kept (the weights every ⌈steps/this⌉ updates, plus the first and last). */
  trajectoryPoints: 50,
} as const;

export interface LandscapeOptions {
  readonly dim: 1 | 2;
  /** Points along the line (1-D) or per side (2-D). */
  readonly steps: number;
  /** 1-D: α from −span to 1 + span; 2-D: each coordinate from −span to span. */
  readonly span: number;
  /** Seed of the random directions (2-D). */
  readonly seed: number;
}

/** A landscape request that cannot be computed; `field` names the option (the CLI's flag). */
export class LandscapeError extends Error {
  constructor(
    readonly field: 'run' | 'task' | 'dim' | 'steps' | 'span' | 'seed' | 'model',
    message: string,
  ) {
    super(message);
    this.name = 'LandscapeError';
  }
}

/** The options with defaults filled in, or a `LandscapeError` naming the one out of bounds. */
export function resolveLandscapeOptions(asked: Partial<LandscapeOptions> = {}): LandscapeOptions {
  const dim = asked.dim ?? LANDSCAPE_DEFAULTS.dim;
  if (dim !== 1 && dim !== 2) {
    throw new LandscapeError('dim', `dim must be 1 or 2, got ${String(dim)}`);
  }
  const max = dim === 1 ? LANDSCAPE_LIMITS.steps1d : LANDSCAPE_LIMITS.steps2d;
  const steps =
    asked.steps ?? (dim === 1 ? LANDSCAPE_DEFAULTS.steps1d : LANDSCAPE_DEFAULTS.steps2d);
  if (!Number.isInteger(steps) || steps < LANDSCAPE_LIMITS.minSteps || steps > max) {
    const what =
      dim === 1
        ? `a 1-D landscape has ${LANDSCAPE_LIMITS.minSteps} to ${max} points`
        : `a 2-D landscape has ${LANDSCAPE_LIMITS.minSteps} to ${max} points per side (at most ${max * max} loss evaluations)`;
    throw new LandscapeError('steps', `steps: ${what}, got ${steps}`);
  }
  const span = asked.span ?? (dim === 1 ? LANDSCAPE_DEFAULTS.span1d : LANDSCAPE_DEFAULTS.span2d);
  const spanOk = dim === 1 ? span >= 0 : span > 0;
  if (!Number.isFinite(span) || !spanOk || span > LANDSCAPE_LIMITS.span) {
    throw new LandscapeError(
      'span',
      `span: must be ${dim === 1 ? 'at least 0' : 'above 0'} and at most ${LANDSCAPE_LIMITS.span}, got ${span}`,
    );
  }
  const seed = asked.seed ?? LANDSCAPE_DEFAULTS.seed;
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) {
    throw new LandscapeError(
      'seed',
      `seed: must be an integer from 0 to ${2 ** 32 - 1}, got ${seed}`,
    );
  }
  return { dim, steps, span, seed };
}

/** `count` evenly spaced numbers from `from` to `to`, both included. */
export function linspace(from: number, to: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) =>
    i === count - 1 ? to : from + ((to - from) * i) / (count - 1),
  );
}

/**
 * The α of a 1-D interpolation θ(α) = (1 − α)·θ₀ + α·θ₁: `steps` evenly spaced from −span to
 * 1 + span, with 0 and 1 themselves always among them (replacing the nearest point), so the
 * line's ends are the initial and the final weights exactly.
 */
export function interpolationAlphas(steps: number, span: number): number[] {
  const alphas = linspace(-span, 1 + span, steps);
  for (const exact of [0, 1]) {
    let nearest = 0;
    for (let i = 1; i < alphas.length; i++) {
      if (Math.abs(alphas[i] - exact) < Math.abs(alphas[nearest] - exact)) nearest = i;
    }
    alphas[nearest] = exact;
  }
  if (!alphas.includes(0) || !alphas.includes(1)) {
    throw new LandscapeError(
      'steps',
      `steps: ${steps} points over α from ${-span} to ${1 + span} cannot hold both ends (α = 0 and α = 1); use more points or a smaller span`,
    );
  }
  return alphas;
}

/** The coordinates of a 2-D slice along each direction: `steps` from −span to span. */
export function sliceCoordinates(steps: number, span: number): number[] {
  const xs = linspace(-span, span, steps);
  if (steps % 2 === 1) xs[(steps - 1) / 2] = 0; // the centre is the final weights exactly
  return xs;
}
