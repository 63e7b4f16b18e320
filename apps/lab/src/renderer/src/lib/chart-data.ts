/**
 * Turns per-run columns into uPlot's aligned table: one x column shared by all runs (the union of
 * their x values, sorted) and one y column per run with null where a run has no point. Runs of
 * one experiment usually share their x values (same epochs), so the table stays as long as the
 * longest run.
 */
export interface LineInput {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

export type AlignedTable = [number[], ...(number | null)[][]];

export function alignSeries(
  lines: readonly LineInput[],
  transform?: (y: number) => number | null,
): AlignedTable {
  const column = (y: ArrayLike<number>): (number | null)[] => {
    const out = new Array<number | null>(y.length);
    for (let i = 0; i < y.length; i++) {
      const value = transform ? transform(y[i]) : y[i];
      out[i] = value === null || !Number.isFinite(value) ? null : value;
    }
    return out;
  };
  // Fast path, the usual case: every run has the same increasing x values (same spec, same steps).
  if (lines.length > 0 && sharesIncreasingX(lines)) {
    return [Array.from(lines[0].x), ...lines.map((line) => column(line.y))];
  }
  const xs = new Set<number>();
  for (const line of lines) {
    for (let i = 0; i < line.x.length; i++) {
      if (Number.isFinite(line.x[i])) xs.add(line.x[i]);
    }
  }
  const x = [...xs].sort((a, b) => a - b);
  const index = new Map<number, number>();
  x.forEach((value, i) => index.set(value, i));
  const columns = lines.map((line) => {
    const column = new Array<number | null>(x.length).fill(null);
    for (let i = 0; i < line.x.length; i++) {
      const at = index.get(line.x[i]);
      if (at === undefined) continue;
      const y = line.y[i];
      const value = transform ? transform(y) : y;
      column[at] = value === null || !Number.isFinite(value) ? null : value;
    }
    return column;
  });
  return [x, ...columns];
}

/** For a log axis: values ≤ 0 cannot be drawn, so they become the smallest positive float32. */
export function positiveForLog(y: number): number | null {
  if (!Number.isFinite(y)) return null;
  return y > 0 ? y : 1.1754943508222875e-38;
}

function sharesIncreasingX(lines: readonly LineInput[]): boolean {
  const first = lines[0].x;
  for (let i = 0; i < first.length; i++) {
    if (!Number.isFinite(first[i]) || (i > 0 && first[i] <= first[i - 1])) return false;
  }
  for (const line of lines) {
    if (line.x.length !== first.length || line.y.length !== first.length) return false;
    if (line.x === first) continue;
    for (let i = 0; i < first.length; i++) if (line.x[i] !== first[i]) return false;
  }
  return true;
}

/** Where a diverged run's ✕ goes on a chart: its divergence step in the chart's x unit, and the
 * last finite value of the line drawn (null when it has none: the ✕ sits on the axis). */
export interface DivergenceMark {
  readonly step: number;
  readonly x: number;
  readonly y: number | null;
}

export function lastFiniteValue(values: ArrayLike<number>): number | null {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i])) return values[i];
  return null;
}

/**
 * A step in another x unit (epochs), read off the (step, x) points of the runs that have them:
 * runs of one experiment share their steps per epoch, so a run that diverged before its first
 * evaluation is placed by the others. Interpolates between points and extrapolates with the
 * slope of the nearest two; null when no run has two points.
 */
export function stepToUnit(
  step: number,
  references: readonly { step: ArrayLike<number>; x: ArrayLike<number> }[],
): number | null {
  let best: [number, number][] = [];
  for (const ref of references) {
    const pairs: [number, number][] = [];
    for (let i = 0; i < ref.step.length; i++) {
      if (Number.isFinite(ref.step[i]) && Number.isFinite(ref.x[i]))
        pairs.push([ref.step[i], ref.x[i]]);
    }
    if (pairs.length > best.length) best = pairs;
  }
  if (best.length < 2) return best.length === 1 && best[0][0] === step ? best[0][1] : null;
  let i = 1;
  while (i < best.length - 1 && best[i][0] < step) i++;
  const [s0, x0] = best[i - 1];
  const [s1, x1] = best[i];
  return s1 === s0 ? x0 : x0 + ((step - s0) * (x1 - x0)) / (s1 - s0);
}
