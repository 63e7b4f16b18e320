/**
 * Parallel coordinates of a run that sweeps three or more numeric options: one vertical axis per
 * option (log where every value is positive and they span more than a decade) and one for the
 * selection score; each configuration is a line across them, coloured by its score. Diverged
 * configurations have no score: their line ends at the top of the score axis, dashed.
 */
import { directionOf, metricWords, type ComparisonAnalysis } from '@optlab/experiment';
import { numericPaths } from './heatmap.js';
import { reducedWords } from './sensitivity.js';

export interface PcAxis {
  readonly label: string;
  readonly log: boolean;
  readonly min: number;
  readonly max: number;
}

export interface PcLine {
  readonly name: string;
  /** One value per axis; the last is the score, null when the configuration diverged. */
  readonly values: readonly (number | null)[];
  readonly chosen: boolean;
}

export interface ParallelCoordinates {
  readonly run: string;
  readonly axes: readonly PcAxis[];
  readonly lines: readonly PcLine[];
  readonly lowerIsBetter: boolean;
}

function axisOf(label: string, values: readonly number[]): PcAxis {
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { label, log: min > 0 && max / min > 10, min, max };
}

/** Where `v` lies on the axis, 0 (bottom) … 1 (top). */
export function position(axis: PcAxis, v: number): number {
  if (axis.max === axis.min) return 0.5;
  return axis.log
    ? (Math.log(v) - Math.log(axis.min)) / (Math.log(axis.max) - Math.log(axis.min))
    : (v - axis.min) / (axis.max - axis.min);
}

export function parallelCoordinates(analysis: ComparisonAnalysis): ParallelCoordinates[] {
  const { metric, reduce } = analysis.protocol.select;
  const words = reducedWords(metricWords(metric), reduce);
  return analysis.groups.flatMap((g): ParallelCoordinates[] => {
    const paths = numericPaths(g);
    if (paths.length < 3) return [];
    const scores = g.configurations.flatMap((c) => (c.score === null ? [] : [c.score]));
    const axes = [
      ...paths.map((p) =>
        axisOf(
          p,
          g.configurations.map((c) => c.values[p] as number),
        ),
      ),
      axisOf(words, scores.length > 0 ? scores : [0]),
    ];
    const lines = g.configurations.map((c) => ({
      name: c.name,
      values: [...paths.map((p) => c.values[p] as number), c.score],
      chosen: c.name === g.best,
    }));
    return [{ run: g.name, axes, lines, lowerIsBetter: directionOf(metric) === 'lower' }];
  });
}
