import { describe, expect, it } from 'vitest';
import { verdictSummary } from '../src/index.js';

describe('the verdicts above the leaderboard', () => {
  const withOutcomes = (outcomes: string[]) =>
    ({
      protocol: { alpha: 0.05 },
      comparisons: outcomes.map((outcome) => ({ verdict: { outcome } })),
    }) as unknown as Parameters<typeof verdictSummary>[0];

  it('say when no pair differs that the order is not a verdict', () => {
    expect(verdictSummary(withOutcomes(['no-difference', 'undecidable']))).toBe(
      'No pair differs significantly at α = 0.05 (2 compared): the order of the leaderboard is not a verdict on these seeds.',
    );
  });

  it('count the pairs that differ, in either direction', () => {
    expect(verdictSummary(withOutcomes(['a-better', 'b-better', 'no-difference']))).toBe(
      '2 of the 3 pairs differ significantly at α = 0.05; for the others the order of the leaderboard is not a verdict.',
    );
    expect(verdictSummary(withOutcomes(['a-better', 'undecidable']))).toContain(
      '1 of the 2 pairs differs significantly',
    );
    expect(verdictSummary(withOutcomes(['b-better']))).toBe(
      'The pair differs significantly at α = 0.05.',
    );
    expect(verdictSummary(withOutcomes(['a-better', 'b-better']))).toBe(
      'All 2 pairs differ significantly at α = 0.05.',
    );
  });
});
