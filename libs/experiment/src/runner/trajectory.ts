/**
 * How a parameter vector travels in events and metrics. Up to `TRAJECTORY_FULL_LIMIT` numbers it
 * is logged in full (the 2-D paths the lab draws, the tutorial's 4×3 examples); above it, every
 * `stride`-th coordinate (at most `TRAJECTORY_FULL_LIMIT` of them, starting at 0) and the norm of
 * the whole vector. Without the cap a 10,000-dimension quadratic over 1,000 steps wrote 222 MB of
 * metrics.jsonl; with it every event stays under `MAX_TRAJECTORY_EVENT_BYTES`.
 */
export const TRAJECTORY_FULL_LIMIT = 64;

/**
 * What one `start` or `step` event of a function task may take as a JSON line, whatever the
 * dimension: 64 numbers of at most 25 characters, and the event's other fields.
 */
export const MAX_TRAJECTORY_EVENT_BYTES = 4096;

/** `full`: every coordinate, in order. `sampled`: see `ParamsSample`. */
export type ParamsMode = 'full' | 'sampled';

/** What a sampled vector is a sample of. */
export interface ParamsSample {
  /** Number of coordinates of the whole vector. */
  readonly dimension: number;
  /** The logged numbers are the coordinates 0, stride, 2·stride, …, flattened row-major. */
  readonly stride: number;
  /** Euclidean norm of the whole vector (NaN or Infinity when a coordinate is). */
  readonly norm: number;
}

export interface LoggedParams {
  readonly params: number[];
  readonly paramsMode: ParamsMode;
  /** Present when `paramsMode` is `sampled`. */
  readonly paramsSample?: ParamsSample;
}

/** The vector as events carry it: in full up to `TRAJECTORY_FULL_LIMIT` numbers, else sampled. */
export function logParams(point: ArrayLike<number>): LoggedParams {
  const n = point.length;
  if (n <= TRAJECTORY_FULL_LIMIT) return { params: Array.from(point), paramsMode: 'full' };
  const stride = Math.ceil(n / TRAJECTORY_FULL_LIMIT);
  const params: number[] = [];
  for (let i = 0; i < n; i += stride) params.push(point[i]);
  return {
    params,
    paramsMode: 'sampled',
    paramsSample: { dimension: n, stride, norm: euclideanNorm(point) },
  };
}

/** ‖x‖₂, scaled by the largest magnitude so that squares of large values do not overflow. */
export function euclideanNorm(x: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    if (Number.isNaN(a)) return NaN;
    if (a > scale) scale = a;
  }
  if (scale === 0 || scale === Infinity) return scale;
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += (x[i] / scale) ** 2;
  return scale * Math.sqrt(sum);
}
