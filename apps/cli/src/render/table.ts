import Table from 'cli-table3';
import type { ExperimentSummary } from '@optlab/experiment';
import { int, ms, num, pct, spread, vector } from './format.js';

/**
 * The results table of an experiment: one row per run, with the median and the range over its
 * seeds where there are several. Extra tables show what the task has: the linear-regression
 * weights beside the least-squares solution, the final point of a function.
 */
export function resultsTable(summary: ExperimentSummary, color = false): string {
  const style = color ? {} : { head: [], border: [] };
  const hasAcc = summary.aggregates.some((a) => a.trainAccuracy !== null);
  const hasTest = summary.aggregates.some((a) => a.testAccuracy !== null);
  const hasTarget = summary.targetLoss !== null;
  // The tutorial's "epochs to converge": how many evaluations lie within 10% of the best loss.
  const unit = summary.runs[0]?.historyUnit === 'epoch' ? 'epochs' : 'evals';
  const head = [
    'run',
    'optimizer',
    'seeds',
    'final loss',
    'best loss',
    `${unit} within 10% of best`,
    ...(hasTarget ? [`steps to ${num(summary.targetLoss)}`, 'time to target'] : []),
    ...(hasAcc ? ['train acc'] : []),
    ...(hasTest ? ['test acc'] : []),
    'wall',
    'steps/s',
    'status',
  ];
  const table = new Table({ head, style });
  for (const a of summary.aggregates) {
    const status =
      a.diverged === 0
        ? 'done'
        : a.diverged === a.seeds.length
          ? `diverged${divergedAt(summary, a.run)}`
          : `${a.diverged}/${a.seeds.length} diverged`;
    table.push([
      a.run,
      a.label.length > 60 ? `${a.label.slice(0, 59)}…` : a.label,
      a.seeds.length === 1 ? String(a.seeds[0]) : `${a.seeds.length}`,
      spread(a.finalLoss),
      spread(a.bestLoss),
      spread(a.epochsToConverge, int),
      ...(hasTarget
        ? [
            a.reachedTarget === 0
              ? 'not reached'
              : `${spread(a.targetStep, int)}${a.reachedTarget < a.seeds.length ? ` (${a.reachedTarget}/${a.seeds.length})` : ''}`,
            spread(a.targetMs, ms),
          ]
        : []),
      ...(hasAcc ? [spread(a.trainAccuracy, pct)] : []),
      ...(hasTest ? [spread(a.testAccuracy, pct)] : []),
      spread(a.wallTimeMs, ms),
      spread(a.stepsPerSecond, (v) => num(v, 3)),
      status,
    ]);
  }
  const parts = [table.toString()];
  const devices = [...new Set(summary.aggregates.map((a) => `${a.backend}: ${a.device}`))];
  parts.push(`ran on: ${devices.join('; ')}`);
  const linear = summary.runs.filter((r) => r.linearRegression !== null);
  if (linear.length > 0) {
    const t = new Table({
      head: ['run', 'seed', 'weights [b, w]', 'least squares [b, w]', 'max |Δ|'],
      style,
    });
    for (const r of linear) {
      const lr = r.linearRegression!;
      t.push([
        r.run,
        String(r.seed),
        vector(lr.weights),
        lr.leastSquares ? vector(lr.leastSquares) : `— (${lr.leastSquaresUnavailable})`,
        lr.maxAbsDifference === null ? '—' : num(lr.maxAbsDifference),
      ]);
    }
    parts.push(t.toString());
  }
  const points = summary.runs.filter((r) => r.finalParams !== null);
  if (points.length > 0) {
    const t = new Table({ head: ['run', 'seed', 'final point'], style });
    for (const r of points) t.push([r.run, String(r.seed), vector(r.finalParams)]);
    parts.push(t.toString());
  }
  return parts.join('\n') + '\n';
}

function divergedAt(summary: ExperimentSummary, run: string): string {
  const steps = summary.runs
    .filter((r) => r.run === run && r.diverged)
    .map((r) => r.diverged!.step);
  return steps.length === 1 ? ` at step ${steps[0]}` : '';
}
