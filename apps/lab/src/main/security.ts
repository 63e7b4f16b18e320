/**
 * The security settings of the window, kept in one place so that the Electron spec and the unit
 * tests can check them.
 *
 * The Content-Security-Policy is strict except for `'unsafe-eval'` in script-src: the CPU backend
 * generates its fused update loops with `new Function`, and gpu.js compiles its kernels the same
 * way; both run in the page and in the run workers. `'unsafe-inline'` is allowed for styles only
 * (Svelte and uPlot set style attributes; styles cannot run code). Nothing is loaded from the
 * network: every source is 'self' (plus data:/blob: for chart images and worker modules).
 */
import type { WebPreferences } from 'electron';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval'",
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

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    spellcheck: false,
  };
}

/** Only the app's own pages may load in the window: file:// of the build or the dev server. */
export function isAllowedNavigation(url: string, devServerUrl: string | undefined): boolean {
  try {
    const target = new URL(url);
    if (devServerUrl) {
      const dev = new URL(devServerUrl);
      if (target.origin === dev.origin) return true;
    }
    return target.protocol === 'file:';
  } catch {
    return false;
  }
}
