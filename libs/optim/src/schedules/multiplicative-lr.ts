import type { OptionProblem } from '@optlab/tensor';
import { ScheduleError, formatValue } from './errors.js';
import { LAST_EPOCH_OPTION, readOptions, type ScheduleOptionInfo } from './option-reader.js';
import { Scheduler, checkStep } from './scheduler.js';
import type { SchedulableOptimizer } from './types.js';

/** The factor applied at step `t` (t ≥ 1): PyTorch's MultiplicativeLR `lr_lambda`. */
export type LrFactor = (step: number) => number;

export interface MultiplicativeLROptions {
  /** PyTorch's `lr_lambda`: one function for all groups, or one per group. Programmatic only. */
  lrLambda?: LrFactor | LrFactor[];
  /** The JSON form of a constant `lr_lambda`: the lr is multiplied by it at every step. */
  factor?: number;
  /**
   * The JSON form of a varying `lr_lambda`: `factors[i]` multiplies the lr at step i + 1 (the
   * (i + 1)-th `step()`), the last one held after the list ends.
   */
  factors?: number[];
  lastEpoch?: number;
}

/**
 * PyTorch's MultiplicativeLR: `lr_0 = base`, `lr_t = lr_(t−1) · λ(t)` for t ≥ 1, so
 * `lr_t = base · λ(1) · … · λ(t)` (PyTorch calls `lr_lambda` with `last_epoch` ≥ 1 only). A spec
 * gives `factor` (a constant λ) or `factors` (λ(t) = factors[min(t − 1, length − 1)]) where
 * PyTorch takes a function; the closed form multiplies the factors in the same order as the
 * steps do, so `lrAt` and `step()` agree to the last bit. `lrAt(t)` costs O(t); `lrCurve` is one
 * pass.
 */
export class MultiplicativeLR extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    {
      name: 'factor',
      kind: 'number',
      default: null,
      min: 0,
      unit: '×lr',
      doc: 'Multiply the lr by this factor at every step (or give factors; programmatic use may pass lrLambda).',
    },
    {
      name: 'factors',
      kind: 'numbers',
      default: null,
      min: 0,
      minItems: 1,
      unit: '×lr',
      doc: 'Factors applied at steps 1, 2, 3, ...; the last one is held (or give factor).',
    },
    LAST_EPOCH_OPTION,
  ];
  private readonly lambdas: readonly LrFactor[];

  constructor(optimizer: SchedulableOptimizer, options: MultiplicativeLROptions) {
    const o = readOptions('MultiplicativeLR', MultiplicativeLR.options, options, ['lrLambda']);
    super('MultiplicativeLR', optimizer, { lastEpoch: o.number('lastEpoch') });
    this.lambdas = MultiplicativeLR.lambdasOf(
      o.raw('lrLambda'),
      o.numberOrNull('factor'),
      o.has('factors') ? o.numbers('factors') : null,
      optimizer.paramGroups.length,
    );
    this.start();
  }

  /** The rule the descriptions cannot state: exactly one of lrLambda, factor and factors. */
  static check(values: Readonly<Record<string, unknown>>): OptionProblem | undefined {
    return MultiplicativeLR.sourceProblem(values.lrLambda, values.factor, values.factors);
  }

  private static sourceProblem(
    lrLambda: unknown,
    factor: unknown,
    factors: unknown,
  ): OptionProblem | undefined {
    const given = [
      lrLambda !== undefined && lrLambda !== null ? 'lrLambda' : null,
      factor !== undefined && factor !== null ? 'factor' : null,
      factors !== undefined && factors !== null ? 'factors' : null,
    ].filter((g): g is string => g !== null);
    if (given.length === 1) return undefined;
    return {
      path: [given.length === 0 ? 'factor' : given[1]],
      message:
        given.length === 0
          ? 'Give one of factor (a number) and factors (a list of numbers)'
          : `Give only one of lrLambda, factor and factors (got ${given.join(' and ')})`,
    };
  }

  private static lambdasOf(
    lrLambda: unknown,
    factor: number | null,
    factors: number[] | null,
    groups: number,
  ): LrFactor[] {
    const problem = MultiplicativeLR.sourceProblem(lrLambda, factor, factors);
    if (problem) {
      throw new ScheduleError('MultiplicativeLR', String(problem.path[0]), problem.message);
    }
    if (factor !== null) return new Array<LrFactor>(groups).fill(() => factor);
    if (factors !== null) {
      const fromList: LrFactor = (t) => factors[Math.min(t - 1, factors.length - 1)];
      return new Array<LrFactor>(groups).fill(fromList);
    }
    const list = Array.isArray(lrLambda) ? lrLambda : new Array<unknown>(groups).fill(lrLambda);
    if (list.length !== groups) {
      throw new ScheduleError(
        'MultiplicativeLR',
        'lrLambda',
        `Expected ${groups} lrLambdas, but got ${list.length}`,
      );
    }
    list.forEach((f, i) => {
      if (typeof f !== 'function') {
        throw new ScheduleError(
          'MultiplicativeLR',
          'lrLambda',
          `Invalid lrLambda${Array.isArray(lrLambda) ? `[${i}]` : ''}: ${formatValue(f)} (expected a function)`,
        );
      }
    });
    return list as LrFactor[];
  }

  closedLr(step: number, baseLr: number, group: number): number {
    let lr = baseLr;
    for (let s = 1; s <= step; s++) lr *= this.lambdas[group](s);
    return lr;
  }

  override chainLr(step: number, prevLr: number, _baseLr: number, group: number): number {
    return step > 0 ? prevLr * this.lambdas[group](step) : prevLr;
  }

  override lrCurve(steps: number, baseLr: number = this.baseLrs[0]): number[] {
    checkStep(this.name, steps, 'number of steps');
    const curve: number[] = [];
    let lr = baseLr;
    for (let t = 0; t < steps; t++) {
      if (t > 0) lr *= this.lambdas[0](t);
      curve.push(lr);
    }
    return curve;
  }
}
