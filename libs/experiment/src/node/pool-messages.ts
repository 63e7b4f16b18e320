import type { ExperimentEvent } from '../runner/events.js';
import type { ExperimentSpec } from '../spec/schema.js';

/**
 * What a pool worker starts with (`workerData`): how it trains. The specs come later, one job at
 * a time, so one worker (and its JIT state) serves every phase of a comparison.
 */
export interface PoolWorkerData {
  readonly warmUp: boolean;
  readonly yieldEveryMs?: number;
}

/**
 * From the pool to a worker: the spec of a new job (the pool's `run` call), a unit of it to train
 * (its `unitsOf` position), or cancel what the job has left. Jobs are numbered by the pool.
 */
export type ToWorker =
  | { readonly type: 'spec'; readonly job: number; readonly spec: ExperimentSpec }
  | { readonly type: 'run'; readonly job: number; readonly unit: number }
  | { readonly type: 'cancel'; readonly job: number };

/** From a worker to the pool, about a unit of a job it was handed. */
export type FromWorker =
  | {
      readonly type: 'events';
      readonly job: number;
      readonly unit: number;
      readonly events: ExperimentEvent[];
    }
  | { readonly type: 'done'; readonly job: number; readonly unit: number }
  | {
      readonly type: 'cancelled';
      readonly job: number;
      readonly unit: number;
      readonly step: number;
    }
  | {
      readonly type: 'failed';
      readonly job: number;
      readonly unit: number;
      readonly message: string;
      readonly stack?: string;
    };
