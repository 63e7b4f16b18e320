/**
 * The Landscape view's worker: validates the lab's spec, runs @optlab/experiment's
 * `computeLandscape` for one run (training it, then evaluating the grid) and posts its progress
 * at most every 50 ms, the result, or why there is none. `cancel` aborts it between two grid
 * points or training steps.
 */
import { assertSpec, Cancelled, computeLandscape, defaultCatalog } from '@optlab/experiment';
import type { FromLandscapeWorker, ToLandscapeWorker } from '../lib/landscape.js';
import { afterExpressionEngine } from '../lib/expression-engine-ready.js';

const PROGRESS_MS = 50;
let controller: AbortController | null = null;

function post(message: FromLandscapeWorker): void {
  (self as unknown as Worker).postMessage(message);
}

async function compute(message: Extract<ToLandscapeWorker, { type: 'compute' }>): Promise<void> {
  controller?.abort();
  const abort = new AbortController();
  controller = abort;
  let last = 0;
  try {
    const spec = assertSpec(message.spec, defaultCatalog());
    const result = await computeLandscape(spec, message.run, {
      ...message.options,
      signal: abort.signal,
      onProgress: (p) => {
        const now = performance.now();
        if (now - last < PROGRESS_MS && p.done < p.total) return;
        last = now;
        post({ type: 'progress', phase: p.phase, done: p.done, total: p.total });
      },
    });
    post({ type: 'result', result });
  } catch (error) {
    if (error instanceof Cancelled) post({ type: 'cancelled' });
    else post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  } finally {
    if (controller === abort) controller = null;
  }
}

self.onmessage = afterExpressionEngine((event: MessageEvent<ToLandscapeWorker>) => {
  const message = event.data;
  if (message.type === 'cancel') controller?.abort();
  else void compute(message);
});
