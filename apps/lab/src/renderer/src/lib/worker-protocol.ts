/**
 * Messages between the lab and a run worker (one worker per run). The runner's numbers travel in
 * the runner's own types (@optlab/experiment); `applyRunEvent` (run-events.ts) applies them.
 */
import type {
  ClassificationReport,
  ComparisonTiming,
  ExperimentSummary,
  RunAggregate,
  RunMetrics,
} from '@optlab/experiment';
import type { BoundaryFrame, BoundaryTrack } from './boundary.js';
import type { ClosurePoint } from './evaluations.js';
import type { DiagnosticsRecord } from './diagnostics.js';
import type { SeriesPoint } from './series.js';
import type { RunCalibration } from './time-estimate.js';

export type ToWorker =
  | {
      type: 'start';
      /** The whole spec (runs share data and initial weights through it) and which run to train. */
      spec: Record<string, unknown>;
      runIndex: number;
      /**
       * Report the decision boundary (2-feature classification) at each evaluation. The benchmark
       * view leaves it off so that its timings are of training alone.
       */
      boundary?: boolean;
      /**
       * Report every function evaluation of a closure optimizer (LBFGS, SAM) on 2-D function
       * tasks, for the Paths view. The benchmark view leaves it off too.
       */
      evaluations?: boolean;
      /**
       * Report the final model's confusion matrix and misclassified samples (classification), as
       * a `report` message before `finished`.
       */
      report?: boolean;
      /**
       * A run listing several seeds: send the chart points of every seed, not only the charted
       * first one (`seed-points`). The compare view's runs ask for them; the sweep and benchmark
       * views, which chart no seed, leave it off.
       */
      seedPoints?: boolean;
    }
  /** Time a few updates of every run of `spec` (calibration.ts) and answer `calibration`. */
  | { type: 'calibrate'; spec: Record<string, unknown> }
  /**
   * A comparison's summary from both phases' metrics (`comparisonSummary`), answered by
   * `summary`: its analysis takes seconds for a large sweep, off the page's thread here.
   */
  | {
      type: 'summarize';
      spec: Record<string, unknown>;
      tune: readonly RunMetrics[];
      rerun: readonly RunMetrics[];
      timing: ComparisonTiming;
    }
  /** Stop pulling the runner's events (training stops; its clock stops too) until `resume`. */
  | { type: 'pause' }
  | { type: 'resume' };

export type FromWorker =
  | { type: 'started'; device: string }
  | {
      type: 'points';
      points: SeriesPoint[];
      progress: number;
      /** Updates done so far. */
      step?: number;
      /** The run's training time so far (its clock: paused time not counted), for the time left. */
      elapsedMs?: number;
      /** Closure optimizers' function evaluations since the last message, when asked for. */
      evaluations?: ClosurePoint[];
    }
  /**
   * A run listing several seeds (`seeds`): the chart points of a seed other than the charted
   * (first) one since the last message, so the charts can draw the seeds' median and spread.
   */
  | { type: 'seed-points'; seed: number; points: SeriesPoint[] }
  /** Decision-boundary frames since the last message; `points` with the first. */
  | { type: 'boundary'; frames: BoundaryFrame[]; points?: BoundaryTrack['points'] }
  /** Training diagnostics (`runs[].diagnostics`) of the charted seed, as they come. */
  | { type: 'diagnostics'; records: DiagnosticsRecord[] }
  | { type: 'diverged'; step: number }
  /** The final model of a classification run: confusion matrix and misclassified samples. */
  | { type: 'report'; report: ClassificationReport }
  | {
      type: 'finished';
      status: 'done' | 'diverged' | 'stopped';
      /** The runner's metrics of the charted (first) seed; absent when stopped. */
      metrics?: RunMetrics;
      /** Every seed's metrics, and the runner's median/spread over them. */
      seeds?: readonly RunMetrics[];
      aggregate?: RunAggregate;
      device?: string;
    }
  | { type: 'calibration'; runs: RunCalibration[] }
  | { type: 'summary'; summary: ExperimentSummary }
  | { type: 'error'; message: string };
