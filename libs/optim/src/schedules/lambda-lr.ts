import type { OptionProblem } from '@optlab/tensor';
import { ScheduleError, formatValue } from './errors.js';
import { LAST_EPOCH_OPTION, readOptions, type ScheduleOptionInfo } from './option-reader.js';
import { Scheduler } from './scheduler.js';
import type { SchedulableOptimizer } from './types.js';

/** A multiplier of the base lr as a function of the step. */
export type LrLambda = (step: number) => number;

export interface LambdaLROptions {
  /** PyTorch's `lr_lambda`: one function for all groups, or one per group. Programmatic only. */
  lrLambda?: LrLambda | LrLambda[];
  /**
   * The JSON form: the multiplier at each step, the last one held after the list ends
   * (`factors[min(t, factors.length − 1)]`).
   */
  factors?: number[];
  lastEpoch?: number;
}

/**
 * PyTorch's LambdaLR: `lr_t = base · λ(t)`. The function must be pure for `lrAt` to mean
 * anything; a spec file (JSON) gives `factors` instead. Functions are not saved in the state
 * dict (as PyTorch skips plain functions).
 */
export class LambdaLR extends Scheduler {
  static readonly options: readonly ScheduleOptionInfo[] = [
    {
      name: 'factors',
      kind: 'numbers',
      default: null,
      min: 0,
      unit: '×lr',
      doc: 'Multiplier of the base lr at steps 0, 1, 2, ...; the last one is held (programmatic use may pass lrLambda instead).',
    },
    LAST_EPOCH_OPTION,
  ];
  private readonly lambdas: readonly LrLambda[];

  constructor(optimizer: SchedulableOptimizer, options: LambdaLROptions) {
    const o = readOptions('LambdaLR', LambdaLR.options, options, ['lrLambda']);
    super('LambdaLR', optimizer, { lastEpoch: o.number('lastEpoch') });
    this.lambdas = LambdaLR.lambdasOf(
      o.raw('lrLambda'),
      o.has('factors') ? o.numbers('factors') : null,
      optimizer.paramGroups.length,
    );
    this.start();
  }

  /**
   * The rule of the JSON form that the descriptions cannot state (a spec cannot pass lrLambda):
   * factors must be given, and list at least one number.
   */
  static check(values: Readonly<Record<string, unknown>>): OptionProblem | undefined {
    return LambdaLR.factorsProblem(values.lrLambda, (values.factors ?? null) as number[] | null);
  }

  private static factorsProblem(
    lrLambda: unknown,
    factors: readonly number[] | null,
  ): OptionProblem | undefined {
    if ((lrLambda === undefined) === (factors === null)) {
      return {
        path: [factors === null ? 'factors' : 'lrLambda'],
        message: 'Give exactly one of lrLambda (a function) and factors (a list of numbers)',
      };
    }
    if (factors !== null && factors.length === 0) {
      return { path: ['factors'], message: 'Invalid factors: [] (expected at least one number)' };
    }
    return undefined;
  }

  private static lambdasOf(
    lrLambda: unknown,
    factors: number[] | null,
    groups: number,
  ): LrLambda[] {
    const problem = LambdaLR.factorsProblem(lrLambda, factors);
    if (problem) throw new ScheduleError('LambdaLR', String(problem.path[0]), problem.message);
    if (factors !== null) {
      const fromList: LrLambda = (t) => factors[Math.min(t, factors.length - 1)];
      return new Array<LrLambda>(groups).fill(fromList);
    }
    const list = Array.isArray(lrLambda) ? lrLambda : new Array<unknown>(groups).fill(lrLambda);
    if (list.length !== groups) {
      throw new ScheduleError(
        'LambdaLR',
        'lrLambda',
        `Expected ${groups} lrLambdas, but got ${list.length}`,
      );
    }
    list.forEach((f, i) => {
      if (typeof f !== 'function') {
        throw new ScheduleError(
          'LambdaLR',
          'lrLambda',
          `Invalid lrLambda${Array.isArray(lrLambda) ? `[${i}]` : ''}: ${formatValue(f)} (expected a function)`,
        );
      }
    });
    return list as LrLambda[];
  }

  closedLr(step: number, baseLr: number, group: number): number {
    return baseLr * this.lambdas[group](step);
  }
}
