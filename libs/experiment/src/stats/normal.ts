import erfc from '@stdlib/math-base-special-erfc';

/**
 * The standard normal survival function P(Z > z) = erfc(z / √2) / 2, accurate in the far tail
 * (stdlib's erfc is FreeBSD's, correct to about one ulp), unlike 1 − Φ(z), which loses every
 * digit once Φ(z) rounds to 1. SciPy's `norm.sf` uses Cephes' `ndtr`, which agrees to ~1e-16.
 */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}
