/**
 * Charts of what optimizers estimate of themselves over training (Prodigy's step size `d`): one
 * chart per estimate that some run reports, one line per run that reports it.
 */
import type { RunResult, SeriesKey } from './series.js';

export interface StatRun {
  readonly label: string;
  readonly color: string;
  readonly result: RunResult | undefined;
}

export interface StatLine {
  readonly label: string;
  readonly color: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
}

export interface StatChart {
  /** The estimate's name as the runner reports it (`d`). */
  readonly name: string;
  readonly lines: StatLine[];
}

/**
 * One chart per estimate, in the order the runs first report them; a run joins a chart only where
 * its column has a finite value (a run without the estimate, or one not yet reported, is left out).
 * `x` is the column the estimates are plotted against (step, epoch).
 */
export function optimizerStatCharts(runs: readonly StatRun[], x: SeriesKey): StatChart[] {
  const charts = new Map<string, StatLine[]>();
  for (const run of runs) {
    for (const [name, column] of Object.entries(run.result?.stats ?? {})) {
      if (!column.some(Number.isFinite)) continue;
      const lines = charts.get(name) ?? [];
      lines.push({ label: run.label, color: run.color, x: run.result!.series[x], y: column });
      charts.set(name, lines);
    }
  }
  return [...charts].map(([name, lines]) => ({ name, lines }));
}
