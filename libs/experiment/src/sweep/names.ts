/**
 * Names of swept configurations: `Adam[lr=3.16e-3]`, `SGD[lr=0.01, momentum=0.9]`. Numbers get
 * 3 significant digits, in exponent form below 0.01 and from 10⁴ up; where two values of a
 * dimension would print alike, that dimension gets more digits until they differ, so names are
 * unique and stable (they depend only on the values).
 */

/** `v` with `digits` significant digits: `3.16e-3`, `0.0316`, `0.9`, `1e-4`, `1.5e4`. */
export function formatSweepNumber(v: number, digits = 3): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a < 1e-2 || a >= 1e4) {
    const [mantissa, exponent] = v.toExponential(digits - 1).split('e');
    const m = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
    return `${m}e${exponent.replace(/^\+/, '')}`;
  }
  return String(Number(v.toPrecision(digits)));
}

/** One value as a name shows it: numbers formatted, strings as they are, the rest as JSON. */
function formatValue(v: unknown, digits: number): string {
  if (typeof v === 'number') return formatSweepNumber(v, digits);
  if (typeof v === 'string') return v;
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'number' ? Number(formatSweepNumber(x, digits)) : x,
  );
}

/**
 * The printed form of each value of one dimension: 3 significant digits, more where two values
 * would otherwise print alike (up to 17, where distinct doubles always differ).
 */
export function formatDimension(values: readonly unknown[]): string[] {
  for (let digits = 3; ; digits++) {
    const shown = values.map((v) => formatValue(v, digits));
    if (
      new Set(shown).size === new Set(values.map((v) => JSON.stringify(v))).size ||
      digits >= 17
    ) {
      return shown;
    }
  }
}

/**
 * The short label of each swept path: its last segment (`lr`), or the whole path where two
 * paths of the sweep end alike.
 */
export function pathLabels(paths: readonly string[]): string[] {
  const last = paths.map((p) => p.slice(p.lastIndexOf('.') + 1));
  return paths.map((p, i) => (last.filter((l) => l === last[i]).length > 1 ? p : last[i]));
}
