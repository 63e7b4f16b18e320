/**
 * The security settings of the desktop shell, written as plain functions so that the Electron
 * spec and the unit tests can check them without Electron (docs/decisions/0010).
 *
 * The Content-Security-Policy is strict except for `'unsafe-eval'` in script-src: the CPU backend
 * generates its fused update loops with `new Function`, and gpu.js compiles its kernels the same
 * way; both run in the page and in the run workers. `'wasm-unsafe-eval'` lets WebAssembly compile
 * without widening eval further. `'unsafe-inline'` is allowed for styles only (Svelte and uPlot
 * set style attributes; styles cannot run code). Nothing is loaded from the network: every source
 * is 'self' (plus data:/blob: for chart images and worker modules).
 */
import type { WebPreferences } from 'electron';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
].join('; ');

/** The header form adds what a meta tag cannot carry: no page may frame the lab. */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

/**
 * The renderer is served from this privileged scheme (protocol.ts), never from file://: a file:
 * page may read other file: URLs, and every file: URL would look like "the app" to the checks below.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'optlab';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Hosts whose https links may open in the system browser: the papers and references the optimizers
 * and schedules cite. Any other link is refused; nothing ever opens in a new Electron window.
 */
export const EXTERNAL_LINK_HOSTS: ReadonlySet<string> = new Set([
  'arxiv.org',
  'pytorch.org',
  'docs.pytorch.org',
  'github.com',
]);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function secureWebPreferences(
  preload: string,
  options: { devTools: boolean },
): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: options.devTools,
  };
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * The dev server's URL (electron-vite's ELECTRON_RENDERER_URL), honoured only in a development
 * run and only on a loopback http address: a packaged app always loads its own files, whatever
 * its environment says.
 */
export function devServerUrl(
  env: Record<string, string | undefined>,
  isPackaged: boolean,
): string | undefined {
  const value = env['ELECTRON_RENDERER_URL'];
  if (isPackaged || !value) return undefined;
  const url = parse(value);
  if (!url || url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return url.href;
}

/** True for the app's own pages: app://optlab/…, or the dev server's origin in development. */
export function isAppUrl(url: string, devServer: string | undefined): boolean {
  const target = parse(url);
  if (!target) return false;
  // app: is registered as a standard scheme in Electron; Node's URL gives such origins "null",
  // so the scheme and host are compared instead.
  if (target.protocol === `${APP_SCHEME}:` && target.host === APP_HOST) {
    return target.username === '' && target.password === '';
  }
  if (devServer) {
    const dev = parse(devServer);
    return dev !== null && target.origin === dev.origin;
  }
  return false;
}

/** Only the app's own pages may load in the window (will-navigate, will-redirect). */
export function isAllowedNavigation(url: string, devServer: string | undefined): boolean {
  return isAppUrl(url, devServer);
}

/**
 * The IPC handlers answer only the app's own top-level frame: a sub-frame (even one the app
 * loaded) or any other page is refused.
 */
export function isTrustedSender(
  frame: { url: string; isTopFrame: boolean } | null,
  devServer: string | undefined,
): boolean {
  return frame !== null && frame.isTopFrame && isAppUrl(frame.url, devServer);
}

/**
 * The URL to open in the system browser for a link the page asked to open in a new window, or
 * null to refuse it: https only, on an allowed host, with no credentials and the default port.
 */
export function externalLinkTarget(url: string): string | null {
  const target = parse(url);
  if (!target || target.protocol !== 'https:') return null;
  if (target.username || target.password || target.port) return null;
  return EXTERNAL_LINK_HOSTS.has(target.hostname) ? target.href : null;
}
