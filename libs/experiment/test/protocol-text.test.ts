import { describe, expect, it } from 'vitest';
import { assertSpec, defaultCatalog, resolveProtocol } from '../src/index.js';

/** The protocol as written into summary.json and results.csv, in words a reader can follow. */
const fn = (extra: Record<string, unknown> = {}) =>
  assertSpec(
    {
      version: 1,
      name: 'p',
      task: { kind: 'function', function: { type: 'x-squared' }, start: [2] },
      training: { steps: 3 },
      runs: [{ name: 'sgd', optimizer: { type: 'SGD', lr: 0.1 } }],
      ...extra,
    },
    defaultCatalog(),
  );

describe('the protocol in words', () => {
  it('names the selection metric once ("final loss", not "final final loss")', () => {
    expect(resolveProtocol(fn()).text).toBe(
      "single phase: each configuration on its run's seeds; the best by final loss (median over its seeds), final loss reported on the same runs",
    );
  });

  it('says "best" when the best value over training selects', () => {
    const spec = fn({
      protocol: {
        select: { metric: 'final-loss', reduce: 'best' },
        tuneSeeds: [0],
        rerunSeeds: [1, 2],
      },
    });
    expect(resolveProtocol(spec).text).toBe(
      'each configuration trained on seed 0; the best by best loss (median over those seeds) rerun on 2 other seeds (1, 2); final loss reported',
    );
  });
});
