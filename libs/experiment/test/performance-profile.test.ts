import { describe, expect, it } from 'vitest';
import {
  assertSpec,
  defaultCatalog,
  performanceProfile,
  performanceRatios,
  runComparison,
  suiteProfile,
  targetCosts,
  type ExperimentSummary,
  type ProfileTask,
} from './helpers.js';

describe('performanceProfile (Dolan & Moré)', () => {
  // Ratios by hand, best cost per task first:
  //   t1 best 10: A 10/10 = 1, B 20/10 = 2, C ∞
  //   t2 best 15: A 30/15 = 2, B 1, C 60/15 = 4
  //   t3 nobody:  ∞ for all (unsolved, still in the denominator)
  //   t4 best 5:  A 1, B 6/5 = 1.2, C ∞
  const tasks: ProfileTask[] = [
    { name: 't1', costs: { A: 10, B: 20, C: Infinity } },
    { name: 't2', costs: { A: 30, B: 15, C: 60 } },
    { name: 't3', costs: { A: Infinity, B: Infinity, C: Infinity } },
    { name: 't4', costs: { A: 5, B: 6 } },
  ];

  it('gives each optimizer the share of tasks within τ × the best', () => {
    const profile = performanceProfile(tasks, 'steps', [1, 1.5, 2, 4]);
    expect(profile.tasks).toEqual(['t1', 't2', 't3', 't4']);
    expect(profile.unsolved).toEqual(['t3']);
    expect(profile.optimizers).toEqual([
      { name: 'A', fractions: [0.5, 0.5, 0.75, 0.75], solved: 3 },
      { name: 'B', fractions: [0.25, 0.5, 0.75, 0.75], solved: 3 },
      // C did not run t4: it counts as not reaching it.
      { name: 'C', fractions: [0, 0, 0, 0.25], solved: 1 },
    ]);
  });

  it('computes the ratios to the best cost, a best cost of 0 only matched by 0', () => {
    expect(performanceRatios(tasks[1], ['A', 'B', 'C'])).toEqual({ A: 2, B: 1, C: 4 });
    expect(performanceRatios({ name: 'x', costs: { A: 0, B: 3 } }, ['A', 'B'])).toEqual({
      A: 1,
      B: Infinity,
    });
    const zero = performanceProfile([{ name: 'x', costs: { A: 0, B: 3 } }], 'ms', [1, 16]);
    expect(zero.optimizers).toEqual([
      { name: 'A', fractions: [1, 1], solved: 1 },
      { name: 'B', fractions: [0, 0], solved: 1 },
    ]);
  });

  it('refuses a τ below 1 and gives zeros without tasks', () => {
    expect(() => performanceProfile(tasks, 'steps', [0.5])).toThrow(
      'τ must be a number ≥ 1, got 0.5',
    );
    expect(performanceProfile([], 'steps', [1, 2])).toEqual({
      measure: 'steps',
      taus: [1, 2],
      tasks: [],
      unsolved: [],
      optimizers: [],
    });
  });
});

describe('targetCosts and suiteProfile from comparison summaries', () => {
  // ½·x² from x₀ = 1 under SGD: xₖ = (1 − lr)ᵏ; target 0.13 needs |xₖ| ≤ 0.5099:
  // lr 0.5 after 1 step (0.5), lr 0.25 after 3 (0.75³ = 0.42; 0.75² = 0.5625 is not),
  // lr 0.01 not within 5 steps (0.99⁵ = 0.95).
  async function summaryOf(runs: unknown[], targetLoss?: number): Promise<ExperimentSummary> {
    const spec = assertSpec(
      {
        version: 1,
        name: 'half-square',
        task: { kind: 'function', function: { type: 'quadratic', coefficients: [1] }, start: [1] },
        training: { steps: 5, ...(targetLoss === undefined ? {} : { targetLoss }) },
        runs,
        protocol: { tuneSeeds: [0], rerunSeeds: 2 },
      },
      defaultCatalog(),
    );
    let summary: ExperimentSummary | null = null;
    for await (const e of runComparison(spec)) if (e.type === 'summary') summary = e.summary;
    return summary!;
  }
  const runs = [
    {
      name: 'SGD',
      optimizer: { type: 'SGD' },
      backend: 'cpu64',
      sweep: { 'optimizer.lr': [0.01, 0.25] },
    },
    { name: 'Half', optimizer: { type: 'SGD', lr: 0.5 }, backend: 'cpu64' },
    { name: 'Slow', optimizer: { type: 'SGD', lr: 0.01 }, backend: 'cpu64' },
  ];

  it("takes each run's chosen configuration and the median over its reported seeds", async () => {
    const summary = await summaryOf(runs, 0.13);
    expect(targetCosts(summary, 'steps')).toEqual({
      name: 'half-square',
      costs: { SGD: 3, Half: 1, Slow: Infinity },
    });
    const profile = suiteProfile([summary], 'steps', [1, 3]);
    expect(profile.optimizers).toEqual([
      { name: 'SGD', fractions: [0, 1], solved: 1 },
      { name: 'Half', fractions: [1, 1], solved: 1 },
      { name: 'Slow', fractions: [0, 0], solved: 0 },
    ]);
  });

  it('leaves out an experiment without a target loss', async () => {
    const summary = await summaryOf(runs);
    expect(targetCosts(summary, 'ms')).toBeNull();
    expect(suiteProfile([summary], 'ms').tasks).toEqual([]);
  });
});
