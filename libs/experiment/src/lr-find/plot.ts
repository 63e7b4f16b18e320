import type { LrFindPoint, LrSuggestions } from './range-test.js';

/**
 * A range test as text: the smoothed loss (y) against log₁₀ lr (x), `*` for the points, `S` at
 * the steepest descent and `M` at the minimum (above their points), with the loss range on the
 * left and the lr range below. Losses above 4 × the first smoothed loss are clipped to the top
 * row, so a blow-up does not flatten the rest of the curve.
 */
export function lrFindPlot(
  points: readonly LrFindPoint[],
  suggestions: LrSuggestions,
  size: { width: number; height: number } = { width: 64, height: 16 },
): string {
  const finite = points.filter((p) => Number.isFinite(p.smoothed));
  if (finite.length === 0) return '(no finite loss to plot)\n';
  const { width, height } = size;
  const x = (lr: number) => Math.log10(lr);
  const x0 = x(finite[0].lr);
  const x1 = x(finite[finite.length - 1].lr);
  const cap = 4 * Math.abs(finite[0].smoothed) || Number.POSITIVE_INFINITY;
  const ys = finite.map((p) => Math.min(p.smoothed, cap));
  const y0 = Math.min(...ys);
  const y1 = Math.max(...ys);
  const col = (lr: number) => (x1 > x0 ? Math.round(((x(lr) - x0) / (x1 - x0)) * (width - 1)) : 0);
  const row = (y: number) =>
    y1 > y0 ? height - 1 - Math.round(((Math.min(y, cap) - y0) / (y1 - y0)) * (height - 1)) : 0;
  const grid = Array.from({ length: height }, () => new Array<string>(width).fill(' '));
  finite.forEach((p) => (grid[row(p.smoothed)][col(p.lr)] = '*'));
  const mark = (s: { lr: number; loss: number } | null, letter: string) => {
    if (!s) return;
    grid[Math.max(0, row(s.loss) - 1)][col(s.lr)] = letter;
  };
  mark(suggestions.minimum, 'M');
  mark(suggestions.steepest, 'S');
  const label = (v: number) => v.toPrecision(3).padStart(10);
  const lines = grid.map((cells, r) => {
    const left = r === 0 ? label(y1) : r === height - 1 ? label(y0) : ' '.repeat(10);
    return `${left} |${cells.join('').trimEnd()}`;
  });
  lines.push(`${' '.repeat(10)} +${'-'.repeat(width)}`);
  const lo = `lr ${finite[0].lr.toExponential(1)}`;
  const hi = finite[finite.length - 1].lr.toExponential(1);
  lines.push(
    `${' '.repeat(12)}${lo}${hi.padStart(Math.max(hi.length + 1, width - lo.length))}  (log scale)`,
  );
  return lines.join('\n') + '\n';
}
