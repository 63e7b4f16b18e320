/**
 * The y axis of a chart: its range (fitted to the finite data, optionally ignoring outliers) and
 * its ticks and their labels on a log axis at any range. uPlot's own log axis snaps its range to
 * whole decades and ticks only at them, so a loss between 1.08 and 1.10 is a flat line on a 1–10
 * axis, and an exploding run spreads the axis over dozens of decades. Pure functions; Chart.svelte
 * hands them to uPlot.
 */

/** Smallest and largest finite value (positive only, for a log axis) of the columns; null when none. */
export function finiteExtent(
  columns: readonly (readonly (number | null)[])[],
  log: boolean,
): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  for (const column of columns) {
    for (const v of column) {
      if (v === null || !Number.isFinite(v) || (log && v <= 0)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return min <= max ? [min, max] : null;
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/**
 * The extent of the values that are not far outliers: Tukey's outer fences (3 interquartile
 * ranges beyond the quartiles), measured in log10 on a log axis so a loss that explodes by
 * orders of magnitude counts as far. Unlike TensorBoard's 5–95 % quantiles, it never clips
 * the lowest losses of a run that converges, which are what a reader looks at.
 */
export function inlierExtent(
  columns: readonly (readonly (number | null)[])[],
  log: boolean,
): [number, number] | null {
  const values: number[] = [];
  for (const column of columns) {
    for (const v of column) {
      if (v === null || !Number.isFinite(v) || (log && v <= 0)) continue;
      values.push(log ? Math.log10(v) : v);
    }
  }
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const q1 = quantile(values, 0.25);
  const q3 = quantile(values, 0.75);
  const spread = q3 - q1;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < q1 - 3 * spread || v > q3 + 3 * spread) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return log ? [10 ** lo, 10 ** hi] : [lo, hi];
}

/** A log axis's range: the extent padded by 4 % of its span in log10 (a decade around one value). */
export function logRange(min: number, max: number): [number, number] {
  const lo = Math.log10(min);
  const hi = Math.log10(max);
  const pad = hi - lo > 0 ? 0.04 * (hi - lo) : 0.5;
  return [10 ** (lo - pad), 10 ** (hi + pad)];
}

/** A linear axis's range: the extent padded by 5 % of its span (10 % of the value when flat). */
export function linearRange(min: number, max: number): [number, number] {
  const pad = max > min ? 0.05 * (max - min) : Math.abs(min) * 0.1 || 1;
  return [min - pad, max + pad];
}

/** 1, 2 or 5 times a power of ten, the smallest at least `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw - 1e-12 * power) return m * power;
  return 10 * power;
}

/** The next smaller of 1, 2 and 5 times a power of ten. */
function smallerStep(step: number): number {
  const power = 10 ** Math.floor(Math.log10(step) + 1e-9);
  const m = Math.round(step / power);
  return m === 5 ? 2 * power : m === 2 ? power : 0.5 * power;
}

/**
 * Evenly spaced round ticks within [min, max]: about `count`, and at least three (a smaller
 * round step when the first leaves fewer, as in 1.06–1.11: 1.06, 1.08, 1.1).
 */
export function linearTicks(min: number, max: number, count: number): number[] {
  if (!(max > min)) return [min];
  const at = (step: number) => {
    const ticks: number[] = [];
    for (let k = Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) {
      ticks.push(Number((k * step).toPrecision(12)));
    }
    return ticks;
  };
  let step = niceStep((max - min) / Math.max(1, count - 1));
  let ticks = at(step);
  for (let i = 0; i < 6 && ticks.length < 3; i++) {
    step = smallerStep(step);
    ticks = at(step);
  }
  return ticks;
}

/**
 * Ticks of a log axis over [min, max], at most `count`: whole decades (every n-th when there are
 * too many); with fewer than three, 1-3, 1-2-5 or 1…9 steps within each decade (the densest
 * that fits); within a single step of those (1.08–1.10), round linear ticks.
 */
export function logTicks(min: number, max: number, count: number): number[] {
  if (!(min > 0) || !(max > min)) return min > 0 ? [min] : [];
  const first = Math.floor(Math.log10(min));
  const last = Math.ceil(Math.log10(max));
  const within = (v: number) => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  const decades: number[] = [];
  for (let e = first; e <= last; e++) decades.push(e);
  const inDecades = decades.map((e) => 10 ** e).filter(within);
  if (inDecades.length > count) {
    const every = Math.ceil(inDecades.length / count);
    const kept = decades
      .filter((e) => e % every === 0)
      .map((e) => 10 ** e)
      .filter(within);
    return kept.length >= 2 ? kept : inDecades.filter((_, i) => i % every === 0);
  }
  if (inDecades.length >= 3) return inDecades;
  // The densest of 1-3, 1-2-5 and 1…9 steps per decade that gives three ticks and fits.
  let fitting: number[] | null = null;
  for (const mantissas of [
    [1, 3],
    [1, 2, 5],
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  ]) {
    const ticks = decades
      .flatMap((e) => mantissas.map((m) => Number((m * 10 ** e).toPrecision(12))))
      .filter(within);
    if (ticks.length > count) break;
    if (ticks.length >= 3) fitting = ticks;
  }
  if (fitting) return fitting;
  if (inDecades.length >= 2) return inDecades;
  return linearTicks(min, max, Math.max(3, Math.min(count, 6))).filter((v) => v > 0);
}

/**
 * A log axis for uPlot at any range: its scale (padded by `logRange`, a decade around nothing
 * drawable) and its ticks (`logTicks`, about `count`). Every log axis in the lab goes through it,
 * because uPlot 1.6.32's own log ticks (`logAxisSplits`) never end once the range reaches below
 * about 1e-22: past the end of its table of decimal places it rounds each tick to 0 and pushes
 * ticks until "Invalid array length", after a minute or more with the page frozen and its heap
 * past 1 GB (leeoniya/uPlot#1098, fixed upstream after 1.6.32, not released). A sweep's losses
 * reach 1e-113 (the 100 × 5 sweep of e2e/perf-sweep.spec.ts).
 */
export function logAxis(count: number | (() => number)): {
  scale: {
    distr: 3;
    log: 10;
    range: (u: unknown, min: number | null, max: number | null) => [number, number];
  };
  splits: (u: unknown, axis: number, min: number, max: number) => number[];
  filter: (u: unknown, splits: number[]) => number[];
} {
  return {
    scale: { distr: 3, log: 10, range: (_u, min, max) => logScaleRange(min, max) },
    splits: (_u, _axis, min, max) =>
      logTicks(min, max, typeof count === 'number' ? count : count()),
    // uPlot's log filter keeps only labels at whole decades; these ticks already fit.
    filter: (_u, splits) => splits,
  };
}

/** A log scale's range from the data's extent; a decade either side of 1 when there is none. */
export function logScaleRange(min: number | null, max: number | null): [number, number] {
  if (min === null || max === null || !(min > 0) || !(max >= min) || !Number.isFinite(max)) {
    return [0.1, 10];
  }
  return logRange(min, max);
}

/**
 * Labels for an axis's ticks: short, with an exponent for tiny and huge values, and as many
 * significant digits as it takes for neighbouring ticks to read differently (1.08, 1.085, 1.09).
 */
export function tickLabels(values: readonly number[]): string[] {
  for (let digits = 3; digits <= 8; digits++) {
    const labels = values.map((v) => tickLabel(v, digits));
    if (new Set(labels).size === labels.length) return labels;
  }
  return values.map((v) => tickLabel(v, 8));
}

function tickLabel(value: number, digits: number): string {
  if (!Number.isFinite(value)) return '';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e5) {
    const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
    return `${Number(mantissa)}e${Number(exponent)}`;
  }
  return String(Number(value.toPrecision(digits)));
}
