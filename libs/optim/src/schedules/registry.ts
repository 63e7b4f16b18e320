import { lookup, registry, type OptionInfo, type OptionProblem } from '@optlab/tensor';
import { ChainedScheduler, SequentialLR } from './composite.js';
import { ConstantLR, LinearLR } from './constant-linear-lr.js';
import { CosineAnnealingLR, CosineAnnealingWarmRestarts } from './cosine-annealing.js';
import { CosineDecayRestarts } from './cosine-decay-restarts.js';
import { CyclicLR } from './cyclic-lr.js';
import { ScheduleError, formatValue } from './errors.js';
import { ExponentialLR, PolynomialLR } from './exponential-lr.js';
import { probeOptimizer } from './join.js';
import { LambdaLR } from './lambda-lr.js';
import { MultiplicativeLR } from './multiplicative-lr.js';
import { OneCycleLR } from './one-cycle-lr.js';
import { checkStep } from './scheduler.js';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';
import { MultiStepLR, StepLR } from './step-lr.js';
import { SWALR } from './swa-lr.js';
import { CosineDecay, ExponentialDecay, LinearWarmup, StepDecay } from './tutorial-schedules.js';
import type { LRScheduler, SchedulableOptimizer } from './types.js';
import { WSD } from './wsd.js';

/** What the experiment runner, the CLI and the lab's forms know about a schedule. */
export interface ScheduleInfo {
  name: string;
  summary: string;
  /** 'paper': no library reference; the formula of the papers its class comment cites (WSD). */
  source: 'pytorch' | 'tutorial' | 'tensorflow' | 'paper';
  options: readonly OptionInfo[];
  create(optimizer: SchedulableOptimizer, options?: Record<string, unknown>): LRScheduler;
  /** False only for ReduceLROnPlateau: its lr follows a metric, so it has no curve before a run. */
  pure: boolean;
  /** SequentialLR and ChainedScheduler: `schedulers` holds child schedules `[{ type, options }]`. */
  composite?: boolean;
  /**
   * Rules across options that their descriptions cannot state (OneCycleLR's cycle length,
   * SequentialLR's milestone count), on the options with defaults filled in. Pure.
   */
  check?: (values: Readonly<Record<string, unknown>>) => OptionProblem | undefined;
}

type Ctor = new (optimizer: SchedulableOptimizer, options: never) => LRScheduler;

function info(
  name: string,
  ctor: Ctor & {
    options: readonly OptionInfo[];
    check?: (values: Readonly<Record<string, unknown>>) => OptionProblem | undefined;
  },
  source: ScheduleInfo['source'],
  summary: string,
  pure = true,
): ScheduleInfo {
  return {
    name,
    summary,
    source,
    options: ctor.options,
    create: (optimizer, options = {}) => new ctor(optimizer, options as never),
    pure,
    check: ctor.check,
  };
}

/** The keys a child of a composite may have in JSON. */
export const CHILD_KEYS: readonly string[] = ['type', 'options'];

/**
 * A composite's children in JSON: `schedulers: [{ type, options }, ...]`, each built on the same
 * optimizer, in order (as PyTorch builds them before the composite).
 */
function buildChildren(
  schedule: string,
  optimizer: SchedulableOptimizer,
  options: Record<string, unknown>,
): Record<string, unknown> {
  const specs = options.schedulers;
  if (!Array.isArray(specs) || specs.length === 0) {
    throw new ScheduleError(
      schedule,
      'schedulers',
      `Invalid schedulers: ${formatValue(specs)} (expected a non-empty list of { type, options })`,
    );
  }
  const schedulers = specs.map((spec: unknown, i) => {
    if (spec instanceof Object && 'step' in spec) return spec; // already a scheduler (programmatic use)
    const s = spec as { type?: unknown; options?: unknown } | null;
    const stray =
      s !== null && typeof s === 'object'
        ? Object.keys(s).find((k) => !CHILD_KEYS.includes(k))
        : undefined;
    if (stray !== undefined) {
      throw new ScheduleError(
        schedule,
        'schedulers',
        `Invalid schedulers[${i}]: unknown key "${stray}" (expected { type: string, options?: object })`,
      );
    }
    if (
      typeof s?.type !== 'string' ||
      Array.isArray(s.options) ||
      (s.options !== undefined && (typeof s.options !== 'object' || s.options === null))
    ) {
      throw new ScheduleError(
        schedule,
        'schedulers',
        `Invalid schedulers[${i}]: ${formatValue(spec)} (expected { type: string, options?: object })`,
      );
    }
    return createSchedule(s.type, optimizer, (s.options ?? {}) as Record<string, unknown>);
  });
  return { ...options, schedulers };
}

function compositeInfo(
  name: 'SequentialLR' | 'ChainedScheduler',
  ctor: typeof SequentialLR | typeof ChainedScheduler,
  summary: string,
): ScheduleInfo {
  return {
    name,
    summary,
    source: 'pytorch',
    options: ctor.options,
    create: (optimizer, options = {}) =>
      new ctor(optimizer, buildChildren(name, optimizer, options) as never),
    pure: true,
    composite: true,
    check:
      name === 'SequentialLR'
        ? (values) =>
            Array.isArray(values.schedulers) && Array.isArray(values.milestones)
              ? SequentialLR.checkMilestones(
                  values.milestones as number[],
                  values.schedulers.length,
                )
              : undefined
        : undefined,
  };
}

/** Every schedule, keyed by class name (a null-prototype object: look up with `lookup`). */
export const SCHEDULES: Readonly<Record<string, ScheduleInfo>> = registry({
  StepLR: info('StepLR', StepLR, 'pytorch', 'Multiply the lr by gamma every stepSize steps.'),
  MultiStepLR: info(
    'MultiStepLR',
    MultiStepLR,
    'pytorch',
    'Multiply the lr by gamma at each milestone.',
  ),
  ConstantLR: info(
    'ConstantLR',
    ConstantLR,
    'pytorch',
    'Scale the lr by factor for the first totalIters steps.',
  ),
  LinearLR: info(
    'LinearLR',
    LinearLR,
    'pytorch',
    'Move the lr factor linearly from startFactor to endFactor over totalIters steps.',
  ),
  ExponentialLR: info(
    'ExponentialLR',
    ExponentialLR,
    'pytorch',
    'Multiply the lr by gamma every step.',
  ),
  PolynomialLR: info(
    'PolynomialLR',
    PolynomialLR,
    'pytorch',
    'Decay the lr to 0 over totalIters steps as (1 − t/T)^power.',
  ),
  CosineAnnealingLR: info(
    'CosineAnnealingLR',
    CosineAnnealingLR,
    'pytorch',
    'Half a cosine from the lr down to etaMin over TMax steps.',
  ),
  CosineAnnealingWarmRestarts: info(
    'CosineAnnealingWarmRestarts',
    CosineAnnealingWarmRestarts,
    'pytorch',
    'SGDR: cosine periods of T0, T0·TMult, ... steps, restarting at the lr.',
  ),
  CyclicLR: info(
    'CyclicLR',
    CyclicLR,
    'pytorch',
    'Cycle the lr between baseLr and maxLr (triangular, triangular2, exp_range), momentum inversely.',
  ),
  OneCycleLR: info(
    'OneCycleLR',
    OneCycleLR,
    'pytorch',
    '1cycle: up to maxLr, then down far below the start, momentum inversely.',
  ),
  LambdaLR: info(
    'LambdaLR',
    LambdaLR,
    'pytorch',
    'The lr times a factor per step: factors (JSON) or lrLambda (a function, programmatic).',
  ),
  MultiplicativeLR: info(
    'MultiplicativeLR',
    MultiplicativeLR,
    'pytorch',
    'Multiply the lr by a factor every step: factor or factors (JSON), lrLambda (programmatic).',
  ),
  SWALR: info(
    'SWALR',
    SWALR,
    'pytorch',
    "SWA's schedule (torch.optim.swa_utils): anneal to swaLr over annealEpochs steps, then hold.",
  ),
  SequentialLR: compositeInfo(
    'SequentialLR',
    SequentialLR,
    'Run schedulers ([{ type, options }, ...]) one after another, switching at milestones.',
  ),
  ChainedScheduler: compositeInfo(
    'ChainedScheduler',
    ChainedScheduler,
    'Apply schedulers ([{ type, options }, ...]) together, each on the lr the previous left.',
  ),
  ReduceLROnPlateau: info(
    'ReduceLROnPlateau',
    ReduceLROnPlateau,
    'pytorch',
    'Multiply the lr by factor when a metric (step(metric)) stops improving.',
    false,
  ),
  StepDecay: info(
    'StepDecay',
    StepDecay,
    'tutorial',
    "The tutorial's step decay: initialLr · drop^⌊(1 + t) / epochsDrop⌋.",
  ),
  ExponentialDecay: info(
    'ExponentialDecay',
    ExponentialDecay,
    'tutorial',
    "The tutorial's exponential decay: initialLr · e^(−k t).",
  ),
  CosineDecay: info(
    'CosineDecay',
    CosineDecay,
    'tutorial',
    "The tutorial's cosine decay to 0 over totalEpochs steps.",
  ),
  LinearWarmup: info(
    'LinearWarmup',
    LinearWarmup,
    'tutorial',
    "The tutorial's linear warmup from 0 to initialLr over warmupSteps steps.",
  ),
  CosineDecayRestarts: info(
    'CosineDecayRestarts',
    CosineDecayRestarts,
    'tensorflow',
    "TensorFlow's cosine decay with warm restarts (firstDecaySteps, tMul, mMul, alpha).",
  ),
  WSD: info(
    'WSD',
    WSD,
    'paper',
    'Warmup–stable–decay (LLM training): linear warmup, a plateau, a linear, cosine or 1−√ decay.',
  ),
});

/** Builds a schedule by class name; an unknown name is refused with the known ones listed. */
export function createSchedule(
  name: string,
  optimizer: SchedulableOptimizer,
  options: Record<string, unknown> = {},
): LRScheduler {
  const entry = lookup(SCHEDULES, name);
  if (!entry) {
    throw new ScheduleError(
      String(name),
      null,
      `Unknown schedule. Known schedules: ${Object.keys(SCHEDULES).join(', ')}`,
    );
  }
  return entry.create(optimizer, options);
}

/**
 * The lr at steps 0 … steps − 1 of a schedule on an optimizer whose lr is `baseLr`, for plotting
 * before a run. Schedules that set their own range (CyclicLR's baseLr, OneCycleLR's maxLr, a
 * tutorial schedule's initialLr) ignore `baseLr` as they ignore the optimizer's lr.
 */
export function scheduleCurve(
  name: string,
  options: Record<string, unknown>,
  baseLr: number,
  steps: number,
): number[] {
  checkStep(name, steps, 'number of steps');
  if (typeof baseLr !== 'number' || !Number.isFinite(baseLr) || baseLr < 0) {
    throw new ScheduleError(name, null, `Invalid base learning rate: ${formatValue(baseLr)}`);
  }
  const scheduler = createSchedule(name, probeOptimizer(baseLr), options);
  return scheduler.lrCurve(steps);
}
