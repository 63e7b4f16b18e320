import type { OptionProblem } from '@optlab/tensor';
import { ScheduleError } from './errors.js';
import { momentumSlots, writeMomentum, type MomentumSlot } from './momentum.js';
import { LAST_EPOCH_OPTION, readOptions, type ScheduleOptionInfo } from './option-reader.js';
import { Scheduler, checkOptimizer, checkStep } from './scheduler.js';
import type { SchedulableOptimizer } from './types.js';

export interface OneCycleLROptions {
  /** Peak lr (one per group, or one for all). Required. */
  maxLr: number | number[];
  /** Length of the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number | null;
  epochs?: number | null;
  stepsPerEpoch?: number | null;
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
  lastEpoch?: number;
}

/** Where one phase of the cycle ends, and what it anneals between. */
interface Phase {
  readonly endStep: number;
  readonly startLr: 'initial' | 'max' | 'min';
  readonly endLr: 'initial' | 'max' | 'min';
  readonly startMomentum: 'base' | 'max';
  readonly endMomentum: 'base' | 'max';
}

/**
 * PyTorch's OneCycleLR (Smith & Topin 2017, Super-Convergence,
 * https://arxiv.org/abs/1708.07120): from `maxLr / divFactor` up to `maxLr` over the first
 * `pctStart · totalSteps − 1` steps, then down to `initial / finalDivFactor` at `totalSteps − 1`
 * (fastai's two phases), or with `threePhase` back to the initial lr symmetrically and then down
 * to the minimum (the paper's). Each phase anneals by half a cosine (`cos`) or linearly, and
 * momentum moves inversely between `maxMomentum` and `baseMomentum`. Like PyTorch it overwrites
 * each group's `initialLr` with `maxLr / divFactor`, allows one step past the end (extrapolating
 * the last phase) and refuses the step after that.
 */
export class OneCycleLR extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    {
      name: 'maxLr',
      kind: 'number',
      default: null,
      required: true,
      min: 0,
      perGroup: true,
      doc: 'Peak learning rate.',
    },
    {
      name: 'totalSteps',
      kind: 'integer',
      default: null,
      min: 1,
      unit: 'steps',
      doc: 'Length of the cycle (or give epochs and stepsPerEpoch).',
    },
    { name: 'epochs', kind: 'integer', default: null, min: 1, doc: 'Epochs, with stepsPerEpoch.' },
    {
      name: 'stepsPerEpoch',
      kind: 'integer',
      default: null,
      min: 1,
      unit: 'steps',
      doc: 'Steps per epoch, with epochs.',
    },
    {
      name: 'pctStart',
      kind: 'number',
      default: 0.3,
      min: 0,
      max: 1,
      doc: 'Fraction of the cycle spent increasing the lr.',
    },
    {
      name: 'annealStrategy',
      kind: 'choice',
      default: 'cos',
      choices: ['cos', 'linear'],
      doc: 'Shape of each phase.',
    },
    {
      name: 'cycleMomentum',
      kind: 'boolean',
      default: true,
      doc: 'Cycle momentum (or betas[0]) inversely to the lr.',
    },
    {
      name: 'baseMomentum',
      kind: 'number',
      default: 0.85,
      min: 0,
      max: 1,
      perGroup: true,
      doc: 'Momentum at the peak lr.',
    },
    {
      name: 'maxMomentum',
      kind: 'number',
      default: 0.95,
      min: 0,
      max: 1,
      perGroup: true,
      doc: 'Momentum at the start and end of the cycle.',
    },
    {
      name: 'divFactor',
      kind: 'number',
      default: 25,
      min: 0,
      exclusiveMin: true,
      doc: 'Initial lr = maxLr / divFactor.',
    },
    {
      name: 'finalDivFactor',
      kind: 'number',
      default: 1e4,
      min: 0,
      exclusiveMin: true,
      doc: 'Final lr = initial lr / finalDivFactor.',
    },
    {
      name: 'threePhase',
      kind: 'boolean',
      default: false,
      doc: "Use the paper's three phases instead of fastai's two.",
    },
    LAST_EPOCH_OPTION,
  ];
  readonly totalSteps: number;
  readonly maxLrs: readonly number[];
  readonly finalDivFactor: number;
  readonly annealStrategy: 'cos' | 'linear';
  readonly cycleMomentum: boolean;
  readonly baseMomentums: readonly number[];
  readonly maxMomentums: readonly number[];
  private readonly phases: readonly Phase[];
  private readonly slots: readonly MomentumSlot[];

  constructor(optimizer: SchedulableOptimizer, options: OneCycleLROptions) {
    const o = readOptions('OneCycleLR', OneCycleLR.options, options);
    checkOptimizer('OneCycleLR', optimizer);
    const problem = OneCycleLR.check({
      totalSteps: o.numberOrNull('totalSteps'),
      epochs: o.numberOrNull('epochs'),
      stepsPerEpoch: o.numberOrNull('stepsPerEpoch'),
      pctStart: o.number('pctStart'),
      threePhase: o.boolean('threePhase'),
    });
    if (problem) throw new ScheduleError('OneCycleLR', String(problem.path[0]), problem.message);
    const totalSteps =
      o.numberOrNull('totalSteps') ?? o.number('epochs') * o.number('stepsPerEpoch');
    const groups = optimizer.paramGroups.length;
    const maxLrs = o.perGroup('maxLr', groups);
    const divFactor = o.number('divFactor');
    super('OneCycleLR', optimizer, {
      lastEpoch: o.number('lastEpoch'),
      own: maxLrs.map((m) => m / divFactor),
      overwriteInitialLr: true,
    });
    this.totalSteps = totalSteps;
    this.maxLrs = maxLrs;
    this.finalDivFactor = o.number('finalDivFactor');
    this.annealStrategy = o.choice('annealStrategy');
    this.phases = OneCycleLR.phasesOf(o.number('pctStart'), totalSteps, o.boolean('threePhase'));
    this.cycleMomentum = o.boolean('cycleMomentum');
    this.slots = this.cycleMomentum ? momentumSlots('OneCycleLR', optimizer) : [];
    this.baseMomentums = o.perGroup('baseMomentum', groups);
    this.maxMomentums = o.perGroup('maxMomentum', groups);
    this.start();
  }

  /**
   * The rules across OneCycleLR's options that their descriptions cannot state: the cycle's
   * length (totalSteps, or epochs and stepsPerEpoch) and a pctStart that leaves every phase some
   * length. Pure: `checkScheduleOptions` calls it on a spec, the constructor before building.
   */
  static check(values: Readonly<Record<string, unknown>>): OptionProblem | undefined {
    const total = OneCycleLR.totalStepsOf(
      values.totalSteps as number | null,
      values.epochs as number | null,
      values.stepsPerEpoch as number | null,
    );
    if (typeof total !== 'number') return total;
    const pctStart = values.pctStart as number;
    const ends = OneCycleLR.phasesOf(pctStart, total, values.threePhase === true).map(
      (p) => p.endStep,
    );
    const empty = ends.findIndex((end, i) => end === (i === 0 ? 0 : ends[i - 1]));
    return empty < 0
      ? undefined
      : {
          path: ['pctStart'],
          message: `Invalid pctStart: ${pctStart} with totalSteps ${total}: phase ${empty + 1} of the cycle has no length`,
        };
  }

  /** The cycle's length, or which of its options is missing. */
  private static totalStepsOf(
    totalSteps: number | null,
    epochs: number | null,
    stepsPerEpoch: number | null,
  ): number | OptionProblem {
    if (totalSteps !== null) return totalSteps;
    if (epochs !== null && stepsPerEpoch !== null) return epochs * stepsPerEpoch;
    const missing =
      epochs !== null ? 'stepsPerEpoch' : stepsPerEpoch !== null ? 'epochs' : 'totalSteps';
    const why =
      missing === 'totalSteps'
        ? ''
        : `: ${missing} is missing (${missing === 'epochs' ? 'stepsPerEpoch' : 'epochs'} is given)`;
    return {
      path: [missing],
      message: `You must define either totalSteps OR (epochs AND stepsPerEpoch)${why}`,
    };
  }

  private static phasesOf(pctStart: number, total: number, threePhase: boolean): Phase[] {
    const up = pctStart * total - 1;
    const phases: Phase[] = threePhase
      ? [
          {
            endStep: up,
            startLr: 'initial',
            endLr: 'max',
            startMomentum: 'max',
            endMomentum: 'base',
          },
          {
            endStep: 2 * pctStart * total - 2,
            startLr: 'max',
            endLr: 'initial',
            startMomentum: 'base',
            endMomentum: 'max',
          },
          {
            endStep: total - 1,
            startLr: 'initial',
            endLr: 'min',
            startMomentum: 'max',
            endMomentum: 'max',
          },
        ]
      : [
          {
            endStep: up,
            startLr: 'initial',
            endLr: 'max',
            startMomentum: 'max',
            endMomentum: 'base',
          },
          {
            endStep: total - 1,
            startLr: 'max',
            endLr: 'min',
            startMomentum: 'base',
            endMomentum: 'max',
          },
        ];
    return phases;
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  /** The phase holding `step` and the fraction of it done. */
  private locate(step: number): [Phase, number] {
    if (step > this.totalSteps) {
      throw new ScheduleError(
        this.name,
        null,
        `Tried to step ${step + 1} times. The specified number of total steps is ${this.totalSteps}`,
      );
    }
    let start = 0;
    for (let i = 0; i < this.phases.length; i++) {
      const phase = this.phases[i];
      if (step <= phase.endStep || i === this.phases.length - 1) {
        return [phase, (step - start) / (phase.endStep - start)];
      }
      start = phase.endStep;
    }
    throw new Error('unreachable: OneCycleLR has at least two phases');
  }

  /** `baseLr` is the initial lr of the cycle (`maxLr / divFactor` by default). */
  closedLr(step: number, baseLr: number, group: number): number {
    const [phase, pct] = this.locate(step);
    const lrs = { initial: baseLr, max: this.maxLrs[group], min: baseLr / this.finalDivFactor };
    return this.anneal(lrs[phase.startLr], lrs[phase.endLr], pct);
  }

  /** The momentum (or beta1) the schedule sets at `step` for a group (pure). */
  momentumAt(step: number, group = 0): number {
    checkStep(this.name, step);
    const [phase, pct] = this.locate(step);
    const m = { base: this.baseMomentums[group], max: this.maxMomentums[group] };
    return this.anneal(m[phase.startMomentum], m[phase.endMomentum], pct);
  }

  protected override afterStep(): void {
    if (!this.cycleMomentum) return;
    this.optimizer.paramGroups.forEach((g, i) => {
      writeMomentum(g, this.slots[i], this.momentumAt(this.lastEpoch, i));
    });
  }
}
