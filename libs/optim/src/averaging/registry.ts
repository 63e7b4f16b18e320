import {
  checkOptionValues,
  lookup,
  registry,
  showOptionValue,
  type OptionInfo,
  type OptionProblem,
} from '@optlab/tensor';
import { SWALR } from '../schedules/swa-lr.js';
import { EMA_OPTIONS } from './ema.js';

/**
 * The weight averages a run may ask for (`averaging: { type: 'ema' | 'swa', ... }`): what the
 * experiment spec's validation, `optlab list` and the lab's forms know about each. The options
 * are the class's plus the recipe's: when averaging starts and, for SWA, the SWALR schedule.
 */
export interface AveragingInfo {
  /** The spec's `type`. */
  readonly type: string;
  /** The class that averages. */
  readonly className: string;
  readonly summary: string;
  /** Where the semantics come from. */
  readonly source: string;
  readonly options: readonly OptionInfo[];
  /** Rules across options, on the options as given. Pure. */
  check?(given: Readonly<Record<string, unknown>>): OptionProblem | undefined;
}

const START: OptionInfo = {
  name: 'start',
  kind: 'integer',
  default: 0,
  min: 0,
  unit: 'steps',
  doc: 'Optimizer steps before averaging begins: the weights after step start + 1 are averaged first.',
};

const swaLrInfo = SWALR.options.find((o) => o.name === 'swaLr')!;
const SWA_OPTIONS: readonly OptionInfo[] = [
  { ...START, default: null, required: true },
  {
    ...swaLrInfo,
    required: false,
    perGroup: false,
    doc: 'With it, SWALR replaces the run’s schedule from start: anneal to swaLr, then hold.',
  },
  {
    ...SWALR.options.find((o) => o.name === 'annealEpochs')!,
    unit: 'ticks',
    doc: 'Schedule ticks (epochs or steps, as training.scheduleInterval says) of the anneal to swaLr.',
  },
  SWALR.options.find((o) => o.name === 'annealStrategy')!,
];

/** Every averaging, keyed by the spec's `type` (a null-prototype object: look up with `lookup`). */
export const AVERAGING: Readonly<Record<string, AveragingInfo>> = registry({
  ema: {
    type: 'ema',
    className: 'EMA',
    summary: 'Exponential moving average of the weights (optionally with a decay warmup).',
    source: "timm's ModelEmaV3 (timm/utils/model_ema.py)",
    options: [...EMA_OPTIONS, START],
  },
  swa: {
    type: 'swa',
    className: 'AveragedModel',
    summary:
      'Stochastic Weight Averaging: the equal average of the weights from start, SWALR optional.',
    source: 'PyTorch torch.optim.swa_utils (AveragedModel, SWALR)',
    options: SWA_OPTIONS,
    check: (given) => {
      const stray = ['annealEpochs', 'annealStrategy'].find(
        (k) => Object.hasOwn(given, k) && given[k] !== undefined,
      );
      const swaLr = Object.hasOwn(given, 'swaLr') ? given.swaLr : undefined;
      if (stray !== undefined && (swaLr === undefined || swaLr === null)) {
        return { path: [stray], message: 'applies only with swaLr (the SWALR schedule)' };
      }
      return undefined;
    },
  },
});

/** Every problem with an averaging `type` and its options (without `type`), with paths. Pure. */
export function checkAveragingOptions(
  type: unknown,
  options: Readonly<Record<string, unknown>>,
): OptionProblem[] {
  const info = lookup(AVERAGING, type);
  if (!info) {
    return [
      {
        path: ['type'],
        message: `unknown averaging ${showOptionValue(type)}; known: ${Object.keys(AVERAGING).join(', ')}`,
      },
    ];
  }
  const problems = checkOptionValues(info.options, options, [], `averaging ${info.type}`);
  if (problems.length > 0) return problems;
  const cross = info.check?.(options);
  return cross ? [cross] : [];
}
