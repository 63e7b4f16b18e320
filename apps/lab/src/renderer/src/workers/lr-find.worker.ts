/**
 * The LR range test off the page's thread (lib/lr-find-client.ts): the spec is validated as the
 * runner validates it, then `runLrFind` trains the run with its lr growing from 1e-7 to 10 over
 * 100 updates (the CLI's defaults), on one seed.
 */
import {
  LR_FIND_DEFAULTS,
  LrFindError,
  runLrFind,
  validateSpec,
  formatIssue,
} from '@optlab/experiment';
import { catalog } from '../lib/catalog.js';
import type { LrFindReply, LrFindRequest } from '../lib/lr-find-client.js';
import { afterExpressionEngine } from '../lib/expression-engine-ready.js';

self.onmessage = afterExpressionEngine(async (event: MessageEvent<LrFindRequest>) => {
  const { spec, run, seed } = event.data;
  let reply: LrFindReply;
  try {
    const checked = validateSpec(spec, catalog);
    if (!checked.ok) {
      reply = { ok: false, message: checked.issues.map((i) => formatIssue(i)).join('; ') };
    } else {
      const [found] = await runLrFind(checked.value, run, [seed], LR_FIND_DEFAULTS);
      reply = { ok: true, result: found.result };
    }
  } catch (error) {
    reply = {
      ok: false,
      message:
        error instanceof LrFindError
          ? error.message
          : `the LR finder failed: ${(error as Error).message}`,
    };
  }
  self.postMessage(reply);
});
