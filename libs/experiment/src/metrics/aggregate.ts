import type { RunAggregate, RunMetrics } from '../runner/events.js';
import { spreadOf } from './spread.js';

/**
 * Groups per-seed metrics by run (in first-seen order) and gives the median and spread of each
 * number over the seeds. Diverged seeds count in `diverged`; their losses are left out of the
 * loss spreads (a NaN has no rank) but their wall time stays in.
 */
export function aggregateRuns(metrics: readonly RunMetrics[]): RunAggregate[] {
  const groups = new Map<string, RunMetrics[]>();
  for (const m of metrics) {
    const g = groups.get(m.run);
    if (g) g.push(m);
    else groups.set(m.run, [m]);
  }
  return [...groups.values()].map((ms) => {
    const ok = ms.filter((m) => m.status === 'done');
    const hits = ms.flatMap((m) => (m.target === null ? [] : [m.target]));
    const first = ms[0];
    return {
      run: first.run,
      optimizer: first.optimizer,
      schedule: first.schedule,
      label: first.label,
      backend: first.backend,
      device: first.device,
      seeds: ms.map((m) => m.seed),
      diverged: ms.length - ok.length,
      finalLoss: spreadOf(ok.map((m) => m.finalLoss)),
      bestLoss: spreadOf(ok.map((m) => m.bestLoss)),
      epochsToConverge: spreadOf(ok.map((m) => m.epochsToConverge)),
      targetStep: spreadOf(hits.map((t) => t.step)),
      targetMs: spreadOf(hits.map((t) => t.elapsedMs)),
      reachedTarget: hits.length,
      wallTimeMs: spreadOf(ms.map((m) => m.wallTimeMs)),
      stepsPerSecond: spreadOf(ms.map((m) => m.stepsPerSecond)),
      trainAccuracy: spreadOf(ok.map((m) => m.trainAccuracy)),
      testAccuracy: spreadOf(ok.map((m) => m.testAccuracy)),
    };
  });
}
