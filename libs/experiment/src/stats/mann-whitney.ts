import { exactUSf } from './exact-u.js';
import { normalSf } from './normal.js';
import { averageRanks, hasTies } from './ranks.js';

/**
 * Result of a two-sided Mann–Whitney U test, as `scipy.stats.mannwhitneyu(x, y)` returns it
 * with its defaults (SciPy 1.10: `alternative='two-sided'`, `use_continuity=True`,
 * `method='auto'`).
 */
export interface MannWhitneyResult {
  /** U of the first sample: the number of pairs (xᵢ, yⱼ) with xᵢ > yⱼ, ties counting ½. */
  readonly u: number;
  /** Two-sided p-value. */
  readonly p: number;
  /** How p was computed, chosen by SciPy's `auto` rule (see {@link mannWhitneyU}). */
  readonly method: 'exact' | 'asymptotic';
  readonly n1: number;
  readonly n2: number;
}

/**
 * Two-sided Mann–Whitney U test of x against y, matching SciPy 1.10's `mannwhitneyu` (the
 * source read: scipy/stats/_mannwhitneyu.py of Debian's python3-scipy).
 *
 * - U₁ = R₁ − n₁(n₁+1)/2, with R₁ the sum of x's average ranks in the pooled sample.
 * - Method (`auto`): asymptotic when both samples have more than 8 values; otherwise exact when
 *   the pooled sample has no ties, asymptotic when it has any.
 * - Exact: p = 2 · P(U ≥ max(U₁, U₂)) under the exact null distribution, capped at 1.
 * - Asymptotic: z = (max(U₁, U₂) − n₁n₂/2 − ½) / σ with the tie-corrected
 *   σ = √(n₁n₂/12 · ((n + 1) − Σ(t³ − t)/(n(n − 1)))), and p = 2 · P(Z > z), capped at 1. When
 *   every value is equal σ = 0, z = −∞ and p = 1.
 *
 * Values may be ±∞ (a diverged run counted as the worst value; equal infinities tie). NaN has
 * no rank: it is refused, as SciPy refuses it, with the position named.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  checkSample('x', x);
  checkSample('y', y);
  const n1 = x.length;
  const n2 = y.length;
  const pooled = [...x, ...y];
  const method = n1 > 8 && n2 > 8 ? 'asymptotic' : hasTies(pooled) ? 'asymptotic' : 'exact';

  const { ranks, tieTerm } = averageRanks(pooled);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i];
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const u = Math.max(u1, u2);

  let p: number;
  if (method === 'exact') {
    p = 2 * exactUSf(u, n1, n2);
  } else {
    const n = n1 + n2;
    // Same order of operations as SciPy's _get_mwu_z.
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    const z = (u - (n1 * n2) / 2 - 0.5) / s;
    p = 2 * normalSf(z);
  }
  return { u: u1, p: Math.min(Math.max(p, 0), 1), method, n1, n2 };
}

function checkSample(name: string, values: readonly number[]): void {
  if (values.length === 0) throw new RangeError(`mannWhitneyU: sample ${name} is empty`);
  const bad = values.findIndex((v) => Number.isNaN(v));
  if (bad >= 0) {
    throw new RangeError(
      `mannWhitneyU: ${name}[${bad}] is NaN; count diverged runs as the worst value first (divergedAsWorst)`,
    );
  }
}
