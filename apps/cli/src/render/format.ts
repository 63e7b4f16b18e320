import type { Spread } from '@optlab/experiment';

/** A number for a table: 4 significant digits, exponent form for the very small or large. */
export function num(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Inf' : '-Inf';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return v.toExponential(digits - 1);
  return Number(v.toPrecision(digits)).toString();
}

export function int(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : String(Math.round(v));
}

export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
}

export function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
}

/** `median [min–max]` for several seeds, the value alone for one. */
export function spread(s: Spread | null, f: (v: number) => string = (v) => num(v)): string {
  if (!s) return '—';
  if (s.n === 1) return f(s.median);
  return `${f(s.median)} [${f(s.min)}–${f(s.max)}]`;
}

export function vector(v: readonly number[] | null | undefined): string {
  if (!v) return '—';
  const shown = v.slice(0, 6).map((x) => num(x));
  return `[${shown.join(', ')}${v.length > 6 ? `, … (${v.length})` : ''}]`;
}
