/** Messages between the lab and a run worker (one worker per run). */
import type { SeriesPoint } from './series.js';

export type ToWorker = {
  type: 'start';
  /** The whole spec (runs share data and initial weights through it) and which run to train. */
  spec: Record<string, unknown>;
  runIndex: number;
};

export type FromWorker =
  | { type: 'started'; device: string }
  | { type: 'points'; points: SeriesPoint[]; progress: number }
  | { type: 'diverged'; step: number }
  | {
      type: 'finished';
      status: 'done' | 'diverged' | 'stopped';
      /** The runner's RunMetrics of the charted (first) seed. */
      metrics?: Record<string, unknown>;
      /** Every seed's RunMetrics, and the runner's median/spread over them. */
      seeds?: Record<string, unknown>[];
      aggregate?: Record<string, unknown>;
      device?: string;
    }
  | { type: 'error'; message: string };
