import type { ExperimentEvent } from '../runner/events.js';
import type { ExperimentSpec } from '../spec/schema.js';

/** What a pool worker starts with (`workerData`): the spec it trains units of, and how. */
export interface PoolWorkerData {
  readonly spec: ExperimentSpec;
  readonly warmUp: boolean;
  readonly yieldEveryMs?: number;
}

/** From the pool to a worker: train a unit (its `unitsOf` position), or cancel what runs. */
export type ToWorker =
  { readonly type: 'run'; readonly unit: number } | { readonly type: 'cancel' };

/** From a worker to the pool, about the unit it was last handed. */
export type FromWorker =
  | { readonly type: 'events'; readonly unit: number; readonly events: ExperimentEvent[] }
  | { readonly type: 'done'; readonly unit: number }
  | { readonly type: 'cancelled'; readonly unit: number; readonly step: number }
  | {
      readonly type: 'failed';
      readonly unit: number;
      readonly message: string;
      readonly stack?: string;
    };
