import { describe, expect, it } from 'vitest';
import { stepToUnit } from '../src/renderer/src/lib/chart-data.js';
import { fromSpec } from '../src/renderer/src/lib/draft.js';
import { appendPoints, emptyResult, type RunResult } from '../src/renderer/src/lib/series.js';
import { resultRow } from '../src/renderer/src/lib/table.js';

const draft = fromSpec({
  version: 1,
  name: 'Iris',
  task: { kind: 'classification', dataset: { type: 'iris' }, model: { type: 'mlp' } },
  training: { epochs: 60, batchSize: 16 },
  runs: [{ name: 'Too fast', optimizer: { type: 'SGD', lr: 1000 }, backend: 'cpu64', seed: 0 }],
});

/** What the runner reports for SGD at lr 100 on linear regression: it diverged at step 2. */
function diverged(): RunResult {
  const result: RunResult = { ...emptyResult(), status: 'diverged', divergedAt: 2 };
  appendPoints(result, [{ step: 0, epoch: 0, time: 0, loss: 55.64, trainAccuracy: Number.NaN }]);
  result.metrics = {
    status: 'diverged',
    initialLoss: 55.64,
    finalLoss: 2.25e12,
    bestLoss: 1.1064e7,
    epochsToConverge: 0,
    trainAccuracy: 0,
    testAccuracy: 0,
  };
  return result;
}

describe('a diverged run’s row', () => {
  it('shows no accuracy or epochs to converge, and its best loss includes step 0', () => {
    const row = resultRow(draft.runs[0], diverged());
    expect(row.bestLoss).toBe(55.64);
    expect(row.trainAccuracy).toBeNaN();
    expect(row.testAccuracy).toBeNaN();
    expect(row.epochsToConverge).toBeNaN();
    expect(row.finalLoss).toBe(2.25e12);
  });

  it('keeps the runner’s numbers for a run that finished', () => {
    const done = { ...diverged(), status: 'done' as const, divergedAt: undefined };
    done.metrics = { ...done.metrics, status: 'done', bestLoss: 0.1, trainAccuracy: 0.9 };
    expect(resultRow(draft.runs[0], done)).toMatchObject({
      bestLoss: 0.1,
      trainAccuracy: 0.9,
      epochsToConverge: 0,
    });
  });
});

describe('a divergence step in epochs', () => {
  it('is read off the runs that have (step, epoch) points', () => {
    const early = { step: [0], x: [0] };
    const steady = { step: [0, 10, 20, 30], x: [0, 1, 2, 3] };
    expect(stepToUnit(2, [early, steady])).toBeCloseTo(0.2, 12);
    expect(stepToUnit(45, [early, steady])).toBeCloseTo(4.5, 12);
    expect(stepToUnit(0, [early])).toBe(0);
    expect(stepToUnit(2, [early])).toBeNull();
  });
});
