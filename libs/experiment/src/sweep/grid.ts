import { Rng } from '@optlab/tensor';
import type { SweepValues } from '../spec/schema.js';

/**
 * The values of one swept option, in order. Pure and deterministic: the same form gives the same
 * values, bit for bit.
 *
 * - a list: its values;
 * - `{ "logspace": [lo, hi, n] }`: 10^e for n exponents spaced evenly from log10(lo) to
 *   log10(hi), both ends exactly lo and hi (NumPy's `geomspace`); n = 1 gives [lo];
 * - `{ "linspace": [lo, hi, n] }`: lo + (hi − lo)·i/(n − 1), the last exactly hi;
 * - random dimensions are drawn by `randomDraws` (they are drawn together, trial by trial).
 */
export function gridValues(form: SweepValues): unknown[] {
  if (Array.isArray(form)) return [...form];
  if ('logspace' in form) {
    const [lo, hi, n] = form.logspace;
    const a = Math.log10(lo);
    const b = Math.log10(hi);
    return evenly(n, (t) => 10 ** (a + (b - a) * t), lo, hi);
  }
  if ('linspace' in form) {
    const [lo, hi, n] = form.linspace;
    return evenly(n, (t) => lo + (hi - lo) * t, lo, hi);
  }
  throw new Error('gridValues: a random dimension is drawn by randomDraws');
}

function evenly(n: number, at: (t: number) => number, lo: number, hi: number): number[] {
  if (n === 1) return [lo];
  return Array.from({ length: n }, (_, i) => (i === 0 ? lo : i === n - 1 ? hi : at(i / (n - 1))));
}

/** A random dimension: `trials` draws of a log-uniform or uniform distribution on [lo, hi]. */
export interface RandomDimension {
  readonly path: string;
  readonly distribution: 'loguniform' | 'uniform';
  readonly range: readonly [number, number];
}

/**
 * Random search: `trials` points, each drawing every dimension once from one stream seeded by
 * `seed` (dimensions in the order given, which `expandSweeps` makes the sorted order of their
 * paths, so reordering the JSON keys does not change the draws). Uniform: lo + (hi − lo)·u;
 * log-uniform: exp(ln lo + (ln hi − ln lo)·u), u uniform on [0, 1) from `Rng`.
 */
export function randomDraws(
  dimensions: readonly RandomDimension[],
  trials: number,
  seed: number,
): number[][] {
  const rng = new Rng(seed);
  const out: number[][] = [];
  for (let t = 0; t < trials; t++) {
    out.push(
      dimensions.map((d) => {
        const u = rng.uniform();
        const [lo, hi] = d.range;
        if (d.distribution === 'uniform') return lo + (hi - lo) * u;
        const a = Math.log(lo);
        return Math.exp(a + (Math.log(hi) - a) * u);
      }),
    );
  }
  return out;
}
