/**
 * The page's side of the check worker (workers/check.worker.ts): one request, one reply,
 * matched by id.
 */
import type { ExperimentDraft } from './draft.js';
import type { SpecReport } from './spec-check.js';

export interface CheckRequest {
  id: number;
  draft: ExperimentDraft;
}

export interface CheckReply {
  id: number;
  report: SpecReport;
}

type CheckWorker = Pick<Worker, 'postMessage' | 'onmessage' | 'onerror'>;

/** A check function over a worker: each call posts the draft and settles with its report. */
export function workerCheck(worker: CheckWorker): (draft: ExperimentDraft) => Promise<SpecReport> {
  const waiting = new Map<number, (report: SpecReport) => void>();
  let next = 0;
  worker.onmessage = (event: MessageEvent<CheckReply>) => {
    const settle = waiting.get(event.data.id);
    waiting.delete(event.data.id);
    settle?.(event.data.report);
  };
  // A worker that fails (to load, or later) answers every waiting check with the reason.
  worker.onerror = (event: ErrorEvent) => {
    const report: SpecReport = {
      issues: [{ path: '', message: `the spec check failed: ${event.message || 'worker error'}` }],
    };
    for (const settle of waiting.values()) settle(report);
    waiting.clear();
  };
  return (draft) =>
    new Promise((resolve) => {
      const id = ++next;
      waiting.set(id, resolve);
      worker.postMessage({ id, draft } satisfies CheckRequest);
    });
}
