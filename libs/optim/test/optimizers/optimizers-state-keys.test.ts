import { cpu } from '@optlab/tensor';
import { describe, expect, it } from 'vitest';
import { OPTIMIZERS, isClosureOptimizer } from '../../src/index.js';
import { run, runWithClosure, setUp } from './harness.js';

/**
 * The exact per-parameter state of every optimizer, as its state dict saves it: tensor names
 * (PyTorch's, in camelCase) with their shapes, and scalar values. A renamed key breaks every
 * saved checkpoint, and a tensor allocated for an option that is off (plain Adam's
 * `maxExpAvgSq`) costs a parameter's worth of memory: both must fail a test.
 *
 * Parameters: the `lstsq` problem's [3, 4] matrix and [3] vector, after two steps.
 */
interface ExpectedState {
  /** Tensor name → shape, for the matrix and for the vector. */
  readonly matrix: Readonly<Record<string, readonly number[]>>;
  readonly vector: Readonly<Record<string, readonly number[]>>;
  /** Names of the scalar state values. */
  readonly values?: readonly string[];
}

/** Every tensor has the parameter's shape. */
const sameShape = (...names: string[]): Pick<ExpectedState, 'matrix' | 'vector'> => ({
  matrix: Object.fromEntries(names.map((n) => [n, [3, 4]])),
  vector: Object.fromEntries(names.map((n) => [n, [3]])),
});

const TABLE: [string, Record<string, unknown>, ExpectedState][] = [
  ['SGD', {}, sameShape()],
  ['SGD', { momentum: 0.9 }, sameShape('momentumBuffer')],
  ['Adagrad', {}, sameShape('sum')],
  ['RMSprop', {}, sameShape('squareAvg')],
  ['RMSprop', { momentum: 0.5 }, sameShape('squareAvg', 'momentumBuffer')],
  ['RMSprop', { centered: true }, sameShape('squareAvg', 'gradAvg')],
  ['Adadelta', {}, sameShape('squareAvg', 'accDelta')],
  ['Adam', {}, sameShape('expAvg', 'expAvgSq')],
  ['Adam', { amsgrad: true }, sameShape('expAvg', 'expAvgSq', 'maxExpAvgSq')],
  ['AdamW', {}, sameShape('expAvg', 'expAvgSq')],
  ['AdamW', { amsgrad: true }, sameShape('expAvg', 'expAvgSq', 'maxExpAvgSq')],
  ['Adamax', {}, sameShape('expAvg', 'expInf')],
  ['NAdam', {}, { ...sameShape('expAvg', 'expAvgSq'), values: ['muProduct'] }],
  [
    'NAdam',
    { decoupledWeightDecay: true, weightDecay: 0.1 },
    { ...sameShape('expAvg', 'expAvgSq'), values: ['muProduct'] },
  ],
  ['RAdam', {}, sameShape('expAvg', 'expAvgSq')],
  // Factored second moment for a matrix (a row and a column statistic), a full one for a vector.
  ['Adafactor', {}, { matrix: { rowVar: [3, 1], colVar: [1, 4] }, vector: { variance: [3] } }],
  [
    'AdafactorHF',
    {},
    { matrix: { expAvgSqRow: [3, 1], expAvgSqCol: [1, 4] }, vector: { expAvgSq: [3] } },
  ],
  [
    'AdafactorHF',
    { beta1: 0.9 },
    {
      matrix: { expAvgSqRow: [3, 1], expAvgSqCol: [1, 4], expAvg: [3, 4] },
      vector: { expAvgSq: [3], expAvg: [3] },
    },
  ],
  ['Lion', {}, sameShape('expAvg')],
  ['ASGD', {}, { ...sameShape('ax'), values: ['eta', 'mu'] }],
  ['Rprop', {}, sameShape('prev', 'stepSize')],
  // SAM keeps w before its ascent; the base optimizer's state is saved under `inner`.
  ['SAM', { base: 'SGD', momentum: 0.9 }, sameShape('oldParam')],
  ['AdamWScheduleFree', {}, sameShape('z', 'expAvgSq')],
  ['SGDScheduleFree', {}, sameShape('z')],
  ['Prodigy', {}, sameShape('drift', 'expAvgSq', 's', 'expAvg')],
  ['LAMB', {}, sameShape('expAvg', 'expAvgSq')],
  ['LARS', {}, sameShape('trace')],
  ['AdaBelief', {}, sameShape('expAvg', 'expAvgVar')],
  ['Adan', {}, sameShape('expAvg', 'expAvgDiff', 'expAvgSq', 'prevGrad')],
  ['AdEMAMix', {}, sameShape('expAvgSlow', 'expAvgSq', 'expAvgFast')],
];

/**
 * Optimizers whose state does not fit the table, each tested in its own file: LBFGS keeps one
 * flattened history for all parameters (optimizers-torch.test.ts), Muon takes matrices only,
 * so not this problem's vector (optimizers-modern.test.ts).
 */
const TESTED_ELSEWHERE = ['LBFGS', 'Muon'];

describe('state dict keys', () => {
  it('the table covers every registered optimizer', () => {
    expect(new Set([...TABLE.map(([name]) => name), ...TESTED_ELSEWHERE])).toEqual(
      new Set(Object.keys(OPTIMIZERS)),
    );
  });

  it.each(TABLE)(
    '%s %j: exactly these state tensors and values',
    async (name, options, expected) => {
      const be = cpu({ dtype: 'float64' });
      const { params, opt } = setUp(be, {
        optimizer: name,
        options,
        problem: 'lstsq',
        groups: null,
      });
      if (isClosureOptimizer(opt)) await runWithClosure(be, 'lstsq', params, opt, 2);
      else run(be, 'lstsq', params, opt, 2);
      const { state } = opt.stateDict();
      const layout = (s: (typeof state)[string]) => ({
        step: s.step,
        values: Object.keys(s.values).sort(),
        tensors: Object.fromEntries(Object.entries(s.tensors).map(([k, t]) => [k, t.shape])),
      });
      const values = [...(expected.values ?? [])].sort();
      expect(Object.keys(state)).toEqual(['0', '1']);
      expect(layout(state['0'])).toEqual({ step: 2, values, tensors: expected.matrix });
      expect(layout(state['1'])).toEqual({ step: 2, values, tensors: expected.vector });
    },
  );
});
