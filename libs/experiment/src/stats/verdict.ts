import { binomial } from './exact-u.js';
import type { GroupComparison } from './compare.js';

/**
 * Fewest seeds per group for which a verdict is attempted. Below it the rank test can never
 * reach the usual levels (two seeds each give p ≥ 1/3), and a median of two runs says little.
 */
export const MIN_SEEDS_PER_GROUP = 3;

/** Significance level used unless another is given. */
export const DEFAULT_ALPHA = 0.05;

export interface VerdictInput {
  /** The metric in words, as a reader should see it: "final loss", "test accuracy". */
  readonly metric: string;
  /** Display names of group a and group b: ["Adam", "SGD"]. */
  readonly names: readonly [string, string];
  /** The comparison of a against b (its direction says whether lower is better). */
  readonly comparison: GroupComparison;
  /** Significance level, strictly between 0 and 1 (default 0.05). */
  readonly alpha?: number;
}

export type VerdictOutcome = 'a-better' | 'b-better' | 'no-difference' | 'undecidable';

export interface Verdict {
  readonly outcome: VerdictOutcome;
  /** One plain sentence: "Adam has lower final loss than SGD (median 0.012 vs 0.034), p = 0.003, 10 seeds each". */
  readonly text: string;
  readonly alpha: number;
}

/**
 * The smallest two-sided p-value a Mann–Whitney test can give for samples of n1 and n2
 * distinct values: both orderings that separate the samples completely, 2 / C(n1+n2, n1).
 */
export function smallestPossibleP(n1: number, n2: number): number {
  return Math.min(1, 2 / binomial(n1 + n2, Math.min(n1, n2)));
}

/**
 * A plain verdict on a comparison:
 * - with fewer than {@link MIN_SEEDS_PER_GROUP} runs in a group, or sizes for which even two
 *   completely separated samples would give p above α, the test cannot decide, and the text says
 *   why and how many seeds would do;
 * - with p < α, which group is better, judged by the rank test's direction (U of a against its
 *   null mean n₁n₂/2), with both medians, p and the seeds;
 * - otherwise "no significant difference", with the seeds and p.
 *
 * Diverged runs count as the worst value (see ./diverged.ts); the text names how many there were.
 */
export function verdict(input: VerdictInput): Verdict {
  const { metric, names, comparison: c } = input;
  const alpha = input.alpha ?? DEFAULT_ALPHA;
  if (!(alpha > 0 && alpha < 1)) {
    throw new RangeError(`verdict: alpha must be strictly between 0 and 1, got ${alpha}`);
  }
  const [nameA, nameB] = names;
  const seeds = c.a.n === c.b.n ? `${c.a.n} seeds each` : `${c.a.n} vs ${c.b.n} seeds`;

  if (c.a.n < MIN_SEEDS_PER_GROUP || c.b.n < MIN_SEEDS_PER_GROUP) {
    const few = c.a.n < c.b.n ? [nameA, c.a.n] : [nameB, c.b.n];
    return {
      outcome: 'undecidable',
      alpha,
      text:
        `cannot decide on ${metric}: ${few[0]} has ${few[1]} seed${few[1] === 1 ? '' : 's'}, ` +
        `and the test needs at least ${MIN_SEEDS_PER_GROUP} per group`,
    };
  }
  const floor = smallestPossibleP(c.a.n, c.b.n);
  if (floor > alpha) {
    return {
      outcome: 'undecidable',
      alpha,
      text:
        `cannot decide on ${metric} at ${seeds}: the smallest p-value the test can give is ` +
        `${formatNumber(floor)}, above α = ${alpha}; use at least ${seedsNeeded(alpha)} seeds each`,
    };
  }

  const p = c.test.p;
  if (!(p < alpha)) {
    return {
      outcome: 'no-difference',
      alpha,
      text:
        `no significant difference in ${metric} between ${nameA} and ${nameB} at ${seeds} ` +
        `(p = ${formatNumber(p)})`,
    };
  }
  const aLarger = c.test.u > (c.test.n1 * c.test.n2) / 2;
  const aBetter = aLarger === (c.direction === 'higher');
  const [winner, loser] = aBetter ? [c.a, c.b] : [c.b, c.a];
  const [winnerName, loserName] = aBetter ? [nameA, nameB] : [nameB, nameA];
  const word = c.direction === 'lower' ? 'lower' : 'higher';
  const divergedNotes = [c.a, c.b]
    .map((g, i) => (g.diverged > 0 ? `; ${names[i]} diverged on ${g.diverged} of ${g.n}` : ''))
    .join('');
  return {
    outcome: aBetter ? 'a-better' : 'b-better',
    alpha,
    text:
      `${winnerName} has ${word} ${metric} than ${loserName} ` +
      `(median ${formatMedian(winner.median)} vs ${formatMedian(loser.median)}${divergedNotes}), ` +
      `${formatP(p)}, ${seeds}`,
  };
}

/** Fewest equal seeds per group for which complete separation reaches p ≤ α. */
function seedsNeeded(alpha: number): number {
  let n = MIN_SEEDS_PER_GROUP;
  while (smallestPossibleP(n, n) > alpha) n++;
  return n;
}

function formatP(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${formatNumber(p)}`;
}

function formatMedian(m: number): string {
  return Number.isFinite(m) ? String(Number(m.toPrecision(3))) : 'diverged';
}

function formatNumber(x: number): string {
  return String(Number(x.toPrecision(2)));
}
