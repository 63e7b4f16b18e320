/**
 * The LR range test of one run in the lab: the page's side of workers/lr-find.worker.ts, which
 * runs @optlab/experiment's `runLrFind` (the CLI's `optlab lr-find`) off the page's thread.
 */
import type { LrFindResult } from '@optlab/experiment';

export interface LrFindRequest {
  /** The experiment as the spec document (toSpec). */
  readonly spec: Record<string, unknown>;
  readonly run: string;
  readonly seed: number;
}

export type LrFindReply = { ok: true; result: LrFindResult } | { ok: false; message: string };

type LrFindWorker = Pick<Worker, 'postMessage' | 'onmessage' | 'onerror' | 'terminate'>;

/** Runs one range test in `worker` (terminated when it answers, or when `signal` aborts). */
export function findLr(
  worker: LrFindWorker,
  request: LrFindRequest,
  signal?: AbortSignal,
): Promise<LrFindReply> {
  return new Promise((resolve) => {
    const done = (reply: LrFindReply) => {
      worker.terminate();
      signal?.removeEventListener('abort', abort);
      resolve(reply);
    };
    const abort = () => done({ ok: false, message: 'stopped' });
    signal?.addEventListener('abort', abort, { once: true });
    worker.onmessage = (event: MessageEvent<LrFindReply>) => done(event.data);
    worker.onerror = (event: ErrorEvent) =>
      done({ ok: false, message: event.message || 'the LR finder worker failed' });
    worker.postMessage(request);
  });
}

/** The two suggestions, named as fastai names them, where the test found them. */
export function suggestionsOf(result: LrFindResult): { name: string; lr: number }[] {
  const s = result.suggestions;
  const out: { name: string; lr: number }[] = [];
  if (s.steepest) out.push({ name: 'steepest descent', lr: s.steepest.lr });
  if (s.minimumDiv10 !== null) out.push({ name: 'minimum ÷ 10', lr: s.minimumDiv10 });
  return out;
}
