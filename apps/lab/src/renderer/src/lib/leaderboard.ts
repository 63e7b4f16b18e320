/**
 * The leaderboard of a comparison as table rows: runs by their reported median, best first,
 * with the chosen configuration, the reported metric's median and bootstrap 95% CI over the
 * reported seeds, and the tuning budget — the CLI's leaderboard (apps/cli render/comparison.ts).
 */
import {
  gridEdgeText,
  metricWords,
  REPORTED_STAT,
  type ExperimentSummary,
} from '@optlab/experiment';

export interface LeaderboardRow {
  readonly rank: number;
  readonly run: string;
  readonly optimizer: string;
  /** The chosen configuration's name; "(as listed)" for a run that does not sweep. */
  readonly best: string;
  /** `0.9361 [0.9306–0.9417]`, or why there is no number. */
  readonly metric: string;
  readonly seeds: number;
  readonly budget: number;
  /** Median steps to the target loss over the seeds that reached it, when the spec sets one. */
  readonly targetSteps: string | null;
  /** Median wall time to the target loss over the same seeds (AlgoPerf's time-to-target). */
  readonly targetTime: string | null;
  /** One sentence per swept option whose chosen value is an end of the values tried. */
  readonly gridEdges: readonly string[];
}

/** `812 ms`, `3.41 s`: a time to target as the tables show it. */
export function durationText(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toPrecision(3))} s`;
}

/** A metric's value as the tables show it: accuracy in percent, losses to 4 significant digits. */
export function numberText(metric: string, v: number): string {
  return /accuracy/.test(metric) ? `${(v * 100).toFixed(1)}%` : Number(v.toPrecision(4)).toString();
}

export function leaderboardMetric(summary: ExperimentSummary): string {
  return `${metricWords(summary.analysis!.protocol.report)} (median [95% CI])`;
}

export function leaderboardRows(summary: ExperimentSummary): LeaderboardRow[] {
  const analysis = summary.analysis;
  if (!analysis) return [];
  const report = analysis.protocol.report;
  const f = (v: number) => numberText(report, v);
  return analysis.leaderboard.map((name, i) => {
    const g = analysis.groups.find((x) => x.name === name)!;
    const r = g.reported;
    const s = r.stats[REPORTED_STAT[report]];
    const metric =
      !s || s.median === null
        ? 'diverged'
        : `${f(s.median)}${s.medianCi ? ` [${f(s.medianCi.low)}–${f(s.medianCi.high)}]` : ' (1 seed: no CI)'}${s.diverged > 0 ? `, ${s.diverged}/${s.n} diverged` : ''}`;
    return {
      rank: i + 1,
      run: g.name,
      optimizer: g.optimizer,
      best: g.budget > 1 ? g.best : '(as listed)',
      metric,
      seeds: r.seeds.length,
      budget: g.budget,
      targetSteps:
        summary.targetLoss === null
          ? null
          : r.reachedTarget === 0
            ? 'not reached'
            : `${Math.round(r.targetStep!.median)}${reachedOf(r.reachedTarget, r.seeds.length)}`,
      targetTime:
        summary.targetLoss === null
          ? null
          : r.reachedTarget === 0 || !r.targetMs
            ? 'not reached'
            : `${durationText(r.targetMs.median)}${reachedOf(r.reachedTarget, r.seeds.length)}`,
      gridEdges: g.edges.map((e) => gridEdgeText(g.name, e)),
    };
  });
}

/** ` (2/3)` when only some of the reported seeds reached the target. */
function reachedOf(reached: number, seeds: number): string {
  return reached < seeds ? ` (${reached}/${seeds})` : '';
}
