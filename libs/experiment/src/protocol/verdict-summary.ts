import type { ComparisonAnalysis } from './analysis.js';

/**
 * What a comparison's verdicts add up to, in one sentence above them (CLI and lab): a leaderboard
 * ranks every run, but a rank is a verdict only where the rank test finds a difference.
 */
export function verdictSummary(analysis: ComparisonAnalysis): string {
  const pairs = analysis.comparisons;
  const decided = pairs.filter(
    (c) => c.verdict.outcome === 'a-better' || c.verdict.outcome === 'b-better',
  ).length;
  const alpha = analysis.protocol.alpha;
  const n = pairs.length;
  if (decided === 0) {
    return `No pair differs significantly at α = ${alpha} (${n} compared): the order of the leaderboard is not a verdict on these seeds.`;
  }
  if (decided === n) {
    return n === 1
      ? `The pair differs significantly at α = ${alpha}.`
      : `All ${n} pairs differ significantly at α = ${alpha}.`;
  }
  return `${decided} of the ${n} pairs differ${decided === 1 ? 's' : ''} significantly at α = ${alpha}; for the others the order of the leaderboard is not a verdict.`;
}
