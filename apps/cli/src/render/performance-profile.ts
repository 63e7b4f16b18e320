import Table from 'cli-table3';
import { suiteProfile, type ExperimentSummary, type PerformanceProfile } from '@optlab/experiment';
import { num } from './format.js';

const MEASURE_WORDS = { steps: 'steps', ms: 'wall time' } as const;

/**
 * A performance profile as a table: one row per optimizer, ρ(τ) for each τ of the grid (the
 * share of tasks it reaches the target on within τ × the best optimizer's cost), and how many
 * tasks it reached at all. Empty when no task has a target loss.
 */
export function profileTable(profile: PerformanceProfile): string {
  if (profile.tasks.length === 0) return '';
  const what = MEASURE_WORDS[profile.measure];
  const lines = [
    `performance profile, ${what} to target over ${profile.tasks.length} tasks: ` +
      `ρ(τ) = share of tasks reached within τ × the best optimizer's ${what}`,
  ];
  const table = new Table({
    head: ['optimizer', ...profile.taus.map((t) => `τ=${num(t)}`), 'reached'],
    style: { head: [], border: [] },
  });
  for (const o of profile.optimizers) {
    table.push([
      o.name,
      ...o.fractions.map((f) => f.toFixed(2)),
      `${o.solved}/${profile.tasks.length}`,
    ]);
  }
  lines.push(table.toString());
  if (profile.unsolved.length > 0) {
    lines.push(`no optimizer reached the target on: ${profile.unsolved.join(', ')}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Both profiles of a suite (steps, then wall time), or a line saying why there is none. The
 * cost of a run is the median over its reported seeds, a seed short of the target counting ∞.
 */
export function suiteProfileText(summaries: readonly ExperimentSummary[]): string {
  const steps = suiteProfile(summaries, 'steps');
  if (steps.tasks.length === 0) {
    return 'performance profile: none (no experiment of the suite sets training.targetLoss)\n';
  }
  const skipped = summaries.length - steps.tasks.length;
  return (
    profileTable(steps) +
    profileTable(suiteProfile(summaries, 'ms')) +
    (skipped > 0 ? `(${skipped} experiment(s) without a target loss left out)\n` : '')
  );
}
