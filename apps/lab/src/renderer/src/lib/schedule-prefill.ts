/**
 * A schedule picked for a run starts from values that fit that run: its peak lr is the run's lr
 * and its lengths follow the training length (in the schedule's own steps: epochs, or steps when
 * the task counts steps or the schedule steps per minibatch), so OneCycleLR's maxLr is the lr and
 * its totalSteps the length, cosine's TMax the length, and so on. The rest keep the registry's
 * defaults. Only options the schedule has are set; the result is still checked like any edit.
 */

export interface RunLength {
  /** The run's learning rate (the optimizer's lr). */
  readonly lr: number;
  /** How many times the schedule steps over the run. */
  readonly length: number;
}

/** A number rounded to 4 significant digits, so the field reads `0.9772`, not `0.977237220955810`. */
function tidy(x: number): number {
  return Number(x.toPrecision(4));
}

/** Values by option name, from the run's lr and length (a fraction of the length is at least 1). */
function fitted({ lr, length }: RunLength): Record<string, unknown> {
  const part = (fraction: number) => Math.max(1, Math.round(length * fraction));
  const warmup = part(0.1);
  const stable = part(0.7);
  return {
    // The peak or starting lr.
    maxLr: lr,
    swaLr: lr,
    baseLr: tidy(lr / 10),
    // Lengths.
    TMax: length,
    totalSteps: length,
    totalIters: length,
    totalEpochs: length,
    stepSize: part(1 / 3),
    milestones: [part(0.5), part(0.75)],
    T0: part(0.25),
    firstDecaySteps: part(0.25),
    stepSizeUp: part(0.25),
    warmupSteps: warmup,
    stableSteps: stable,
    decaySteps: Math.max(1, length - warmup - stable),
    // A decay to 1 % of the lr over the run.
    gamma: tidy(0.01 ** (1 / Math.max(1, length))),
  };
}

/**
 * Which options follow the run for each schedule: the others (LinearLR's short warmup over
 * `totalIters`, StepLR's `gamma`) are a shape choice, not a length, and keep their defaults.
 */
const FOLLOW: Record<string, readonly string[]> = {
  StepLR: ['stepSize'],
  MultiStepLR: ['milestones'],
  ExponentialLR: ['gamma'],
  PolynomialLR: ['totalIters'],
  CosineAnnealingLR: ['TMax'],
  CosineAnnealingWarmRestarts: ['T0'],
  CyclicLR: ['baseLr', 'maxLr', 'stepSizeUp'],
  OneCycleLR: ['maxLr', 'totalSteps'],
  SWALR: ['swaLr'],
  CosineDecay: ['totalEpochs'],
  CosineDecayRestarts: ['firstDecaySteps'],
  LinearWarmup: ['warmupSteps'],
  WSD: ['warmupSteps', 'stableSteps', 'decaySteps'],
};

/** The schedule's config (its defaults, from `defaultsOf`) with the options that follow the run filled in. */
export function prefillSchedule(
  config: { type: string } & Record<string, unknown>,
  optionNames: readonly string[],
  run: RunLength,
): { type: string } & Record<string, unknown> {
  if (!(run.lr > 0) || !Number.isInteger(run.length) || run.length < 1) return config;
  const values = fitted(run);
  const next = { ...config };
  for (const name of FOLLOW[config.type] ?? []) {
    if (optionNames.includes(name)) next[name] = values[name];
  }
  return next;
}
