/**
 * A score as a colour for the heatmap and parallel coordinates: better is yellow, worse dark
 * purple (viridis' ends and middle, interpolated), on a log scale where every score is positive
 * and they span more than a decade (losses), else linear.
 */
const STOPS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
] as const;

export function scoreScale(
  scores: readonly number[],
  lowerIsBetter: boolean,
): (score: number) => string {
  const lo = Math.min(...scores);
  const hi = Math.max(...scores);
  const log = lo > 0 && hi / lo > 10;
  const f = (v: number) => (log ? Math.log(v) : v);
  return (score) => {
    let t = hi === lo ? 1 : (f(score) - f(lo)) / (f(hi) - f(lo));
    if (lowerIsBetter) t = 1 - t;
    t = Math.min(1, Math.max(0, t));
    const x = t * (STOPS.length - 1);
    const k = Math.min(STOPS.length - 2, Math.floor(x));
    const u = x - k;
    const c = STOPS[k].map((a, n) => Math.round(a + (STOPS[k + 1][n] - a) * u));
    return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
  };
}
