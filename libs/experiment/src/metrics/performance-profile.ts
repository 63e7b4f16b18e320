import type { ExperimentSummary, RunMetrics } from '../runner/events.js';
import { quantileSorted } from './spread.js';

/**
 * Performance profiles (Dolan & Moré 2002, "Benchmarking optimization software with performance
 * profiles"; AlgoPerf scores training algorithms with them). On each task of a suite, each
 * optimizer's cost to reach the target (steps or wall time) is divided by the best optimizer's
 * cost on that task: the performance ratio r ≥ 1. The profile of an optimizer is
 * ρ(τ) = (tasks with r ≤ τ) / (all tasks): ρ(1) is the share of tasks it wins (ties count for
 * every tied optimizer), and ρ at a large τ the share it solves at all.
 *
 * A task that an optimizer did not reach (or did not run) gives it r = ∞: it never counts, but
 * the task stays in the denominator, as in Dolan & Moré. A task that no optimizer reached gives
 * every optimizer ∞ and is listed in `unsolved`.
 */
export type ProfileMeasure = 'steps' | 'ms';

/** One task: each optimizer's cost to the target; Infinity where it did not get there. */
export interface ProfileTask {
  readonly name: string;
  readonly costs: Readonly<Record<string, number>>;
}

export interface OptimizerProfile {
  readonly name: string;
  /** ρ(τ) for each τ of the profile's grid. */
  readonly fractions: readonly number[];
  /** Tasks on which it reached the target at all. */
  readonly solved: number;
}

export interface PerformanceProfile {
  readonly measure: ProfileMeasure;
  readonly taus: readonly number[];
  readonly tasks: readonly string[];
  /** Tasks that no optimizer reached. */
  readonly unsolved: readonly string[];
  /** In order of first appearance over the tasks. */
  readonly optimizers: readonly OptimizerProfile[];
}

/**
 * The default τ grid: fine near 1, where optimizers that are close apart, then doubling (AlgoPerf
 * integrates ρ up to τ = 4; 16 shows who solves a task at all within a generous factor).
 */
export const DEFAULT_TAUS: readonly number[] = [1, 1.25, 1.5, 2, 3, 4, 8, 16];

/**
 * The ratio of each optimizer's cost to the best cost of the task. With a best cost of 0 (the
 * target met at the first evaluation) only the optimizers that also cost 0 get ratio 1; the
 * others get ∞ (no factor of 0 reaches them), though they did reach the target (`solved`).
 */
export function performanceRatios(
  task: ProfileTask,
  optimizers: readonly string[],
): Record<string, number> {
  const cost = (name: string) => {
    const c = Object.hasOwn(task.costs, name) ? task.costs[name] : Infinity;
    return Number.isNaN(c) ? Infinity : c;
  };
  const best = Math.min(...optimizers.map(cost));
  const ratios: Record<string, number> = {};
  for (const name of optimizers) {
    const c = cost(name);
    ratios[name] = !Number.isFinite(c) ? Infinity : c === best ? 1 : c / best;
  }
  return ratios;
}

export function performanceProfile(
  tasks: readonly ProfileTask[],
  measure: ProfileMeasure,
  taus: readonly number[] = DEFAULT_TAUS,
): PerformanceProfile {
  for (const tau of taus) {
    if (!(tau >= 1)) throw new RangeError(`τ must be a number ≥ 1, got ${tau}`);
  }
  const optimizers: string[] = [];
  for (const task of tasks) {
    for (const name of Object.keys(task.costs)) {
      if (!optimizers.includes(name)) optimizers.push(name);
    }
  }
  const ratios = tasks.map((task) => performanceRatios(task, optimizers));
  const reached = (task: ProfileTask, name: string) =>
    Object.hasOwn(task.costs, name) && Number.isFinite(task.costs[name]);
  const share = (count: number) => (tasks.length === 0 ? 0 : count / tasks.length);
  return {
    measure,
    taus: [...taus],
    tasks: tasks.map((t) => t.name),
    unsolved: tasks.filter((t) => !optimizers.some((o) => reached(t, o))).map((t) => t.name),
    optimizers: optimizers.map((name) => ({
      name,
      fractions: taus.map((tau) => share(ratios.filter((r) => r[name] <= tau).length)),
      solved: tasks.filter((t) => reached(t, name)).length,
    })),
  };
}

/**
 * One experiment's costs to its target, per spec run: the median over the reported seeds of the
 * steps (or ms) to the target, a seed that did not reach it (or diverged) counting as ∞ — so an
 * optimizer reaches a task when at least half its seeds do. With a comparison's analysis the
 * reported seeds are those of each run's chosen configuration (its reruns, else its tuning
 * runs); without one, every seed of each run. Null when the experiment has no target loss.
 */
export function targetCosts(
  summary: ExperimentSummary,
  measure: ProfileMeasure,
): ProfileTask | null {
  if (summary.targetLoss === null) return null;
  const costs: Record<string, number> = {};
  if (summary.analysis) {
    for (const group of summary.analysis.groups) {
      // summary.runs holds the tuning runs, then the reruns: the reported ones are the last.
      const ofBest = summary.runs.filter((m) => m.run === group.best);
      costs[group.name] = medianCost(ofBest.slice(-group.reported.seeds.length), measure);
    }
  } else {
    const names = [...new Set(summary.runs.map((m) => m.run))];
    for (const name of names) {
      costs[name] = medianCost(
        summary.runs.filter((m) => m.run === name),
        measure,
      );
    }
  }
  return { name: summary.experiment, costs };
}

function medianCost(runs: readonly RunMetrics[], measure: ProfileMeasure): number {
  if (runs.length === 0) return Infinity;
  const costs = runs.map((m) =>
    m.status === 'diverged' || m.target === null
      ? Infinity
      : measure === 'steps'
        ? m.target.step
        : m.target.elapsedMs,
  );
  return quantileSorted(Float64Array.from(costs).sort(), 0.5);
}

/** The profile of a suite's experiments; those without a target loss are left out. */
export function suiteProfile(
  summaries: readonly ExperimentSummary[],
  measure: ProfileMeasure,
  taus: readonly number[] = DEFAULT_TAUS,
): PerformanceProfile {
  const tasks = summaries.flatMap((s) => targetCosts(s, measure) ?? []);
  return performanceProfile(tasks, measure, taus);
}
