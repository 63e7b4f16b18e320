/**
 * Asks a run worker for a calibration (calibration.ts) of `spec` and waits for it; the worker is
 * ended when it answers, fails, or `signal` aborts.
 */
import type { WorkerFactory } from './lab.svelte.js';
import type { RunCalibration } from './time-estimate.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

export function requestCalibration(
  startWorker: WorkerFactory,
  spec: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<RunCalibration[]> {
  return new Promise((resolve, reject) => {
    const worker = startWorker();
    const done = () => {
      worker.terminate();
      signal?.removeEventListener('abort', aborted);
    };
    const aborted = () => {
      done();
      reject(new DOMException('calibration cancelled', 'AbortError'));
    };
    if (signal?.aborted) return aborted();
    signal?.addEventListener('abort', aborted);
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const m = event.data;
      if (m.type === 'calibration') {
        done();
        resolve(m.runs);
      } else if (m.type === 'error') {
        done();
        reject(new Error(m.message));
      }
    };
    worker.onerror = (event: ErrorEvent) => {
      done();
      reject(new Error(event.message || 'the calibration worker failed to start'));
    };
    worker.postMessage({ type: 'calibrate', spec } satisfies ToWorker);
  });
}
