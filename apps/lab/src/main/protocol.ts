/**
 * The app:// protocol that serves the renderer's build (out/renderer) to the window, in place of
 * file:// (docs/decisions/0010). Only app://optlab/… is answered, only files inside the build
 * folder (no `..`, no link leading out), each read through one checked descriptor, every answer
 * with the page's CSP as a header so the run workers are held to it too.
 *
 * Written against the Fetch API's Request/Response (what `protocol.handle` takes), so the tests
 * run it in Node without Electron.
 */
import { realpath } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { contentTypeOf } from '../../scripts/content-types.mjs';
import { isInside, WorkspacePathError } from '../shared/paths.js';
import { readCheckedFile } from './checked-read.js';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY_HEADER } from './security.js';

/** No file of the renderer's build comes near this; a larger one is refused, not read. */
export const MAX_RENDERER_FILE_BYTES = 64 * 1024 * 1024;

/** The privileges app: is registered with (before the app is ready). */
export const APP_SCHEME_PRIVILEGES = {
  // Relative URLs, origins and module workers work as on https; a secure context (WebGPU).
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
  // Never bypassCSP, never corsEnabled: the page gets no more than a web page would.
} as const;

const COMMON_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY_HEADER,
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

/** Returns the handler for `protocol.handle('app', …)`, serving files under `folder`. */
export function appProtocolHandler(folder: string): (request: Request) => Promise<Response> {
  let root: Promise<string> | undefined;
  return async (request) => {
    root ??= realpath(folder);
    return answer(await root, request);
  };
}

async function answer(root: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return refuse(405, { allow: 'GET, HEAD' });
  }
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return refuse(400);
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refuse(404);
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname);
  } catch {
    return refuse(400);
  }
  if (relative.includes('\0')) return refuse(400);
  relative = relative.replace(/^[/\\]+/, '') || 'index.html';
  const file = resolve(root, '.' + sep + relative);
  if (!isInside(root, file, sep)) return refuse(403);
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    return refuse(404);
  }
  if (!isInside(root, real, sep)) return refuse(403);
  try {
    const bytes = await readCheckedFile(real, {
      label: url.pathname,
      maxBytes: MAX_RENDERER_FILE_BYTES,
      isAllowedLocation: (opened) => isInside(root, opened, sep),
    });
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(bytes), {
      status: 200,
      headers: {
        ...COMMON_HEADERS,
        'content-type': contentTypeOf(real),
        'content-length': String(bytes.length),
      },
    });
  } catch (error) {
    return refuse(
      error instanceof WorkspacePathError && /links outside/.test(error.message) ? 403 : 404,
    );
  }
}

function refuse(status: number, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers: { ...COMMON_HEADERS, ...headers } });
}
