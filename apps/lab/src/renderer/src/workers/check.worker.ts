/**
 * The lab's spec check (lib/spec-check.ts) off the page's thread: the page posts the draft once
 * per edit burst and gets the validator's issues and the CSV parse back.
 */
import { defaultCatalog } from '@optlab/experiment';
import { checkDraft } from '../lib/spec-check.js';
import type { CheckReply, CheckRequest } from '../lib/check-client.js';
import { afterExpressionEngine } from '../lib/expression-engine-ready.js';

self.onmessage = afterExpressionEngine((event: MessageEvent<CheckRequest>) => {
  const { id, draft } = event.data;
  let reply: CheckReply;
  try {
    reply = { id, report: checkDraft(draft, defaultCatalog()) };
  } catch (error) {
    // A validator bug must not leave the page waiting: it is shown as an issue of the document.
    reply = {
      id,
      report: {
        issues: [
          { path: '', message: `internal error while checking: ${(error as Error).message}` },
        ],
      },
    };
  }
  self.postMessage(reply);
});
