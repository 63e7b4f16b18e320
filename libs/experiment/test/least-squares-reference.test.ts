import { describe, expect, it } from 'vitest';
import { assertSpec, defaultCatalog, runToSummary } from '../src/index.js';

/**
 * A regression whose data has no unique least-squares solution still trains, and its summary
 * says why the reference is missing instead of crashing (issue 9: `leastSquares` threw on
 * collinear columns and on fewer rows than weights).
 */
function regression(text: string) {
  return assertSpec(
    {
      version: 1,
      name: 'collinear',
      task: {
        kind: 'regression',
        dataset: { type: 'csv', text, labelColumn: 'y' },
        model: { type: 'linear-regression' },
      },
      training: { epochs: 3, batchSize: 'full' },
      runs: [{ name: 'sgd', optimizer: { type: 'SGD', lr: 0.01 }, backend: 'cpu64' }],
    },
    defaultCatalog(),
  );
}

describe('the least-squares reference of a linear regression', () => {
  it('is left empty, with the reason, when two columns are collinear', async () => {
    const rows = [1, 2, 3, 4, 5, 6].map((x) => `${x},${2 * x},${3 * x + 1}`);
    const { summary } = await runToSummary(regression(['a,b,y', ...rows].join('\n')));
    const lr = summary!.runs[0].linearRegression!;
    expect(summary!.runs[0].status).toBe('done');
    expect(lr.weights).toHaveLength(3);
    expect(lr.leastSquares).toBeNull();
    expect(lr.maxAbsDifference).toBeNull();
    expect(lr.leastSquaresUnavailable).toMatch(/rank|collinear|linear combination/i);
  });

  it('is computed when the columns are independent', async () => {
    const rows = [1, 2, 3, 4, 5, 6].map((x) => `${x},${x * x},${3 * x + 1}`);
    const { summary } = await runToSummary(regression(['a,b,y', ...rows].join('\n')));
    const lr = summary!.runs[0].linearRegression!;
    expect(lr.leastSquaresUnavailable).toBeNull();
    expect(lr.leastSquares![0]).toBeCloseTo(1, 8);
    expect(lr.leastSquares![1]).toBeCloseTo(3, 8);
    expect(lr.leastSquares![2]).toBeCloseTo(0, 8);
  });
});
