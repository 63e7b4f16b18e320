import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  CONTENT_SECURITY_POLICY_HEADER,
  devServerUrl,
  externalLinkTarget,
  isAllowedNavigation,
  isTrustedSender,
  secureWebPreferences,
} from '../src/main/security.js';

describe('window security', () => {
  it('isolates the page: context isolation, sandbox, no Node integration, no webview', () => {
    expect(secureWebPreferences('/app/preload.cjs', { devTools: false })).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
    expect(secureWebPreferences('/p.cjs', { devTools: true }).devTools).toBe(true);
  });

  it('has a strict CSP: only the app itself, eval for generated kernels, inline styles only', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'", "'unsafe-eval'", "'wasm-unsafe-eval'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*/);
    expect(directives['script-src']).not.toContain("'unsafe-inline'");
    expect(CONTENT_SECURITY_POLICY_HEADER).toBe(
      `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
    );
  });

  it('ships the same CSP in the page (meta tag) as in the header', () => {
    const html = readFileSync(
      join(import.meta.dirname, '..', 'src', 'renderer', 'index.html'),
      'utf8',
    );
    const meta = /content="([^"]+)"/.exec(html.slice(html.indexOf('Content-Security-Policy')))![1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY);
  });

  it("lets the window navigate only to the app's own pages, never to file:", () => {
    expect(isAllowedNavigation(APP_ENTRY_URL, undefined)).toBe(true);
    expect(isAllowedNavigation('app://optlab/assets/index.js', undefined)).toBe(true);
    expect(
      isAllowedNavigation(
        'file:///opt/OptLab/resources/app.asar/out/renderer/index.html',
        undefined,
      ),
    ).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', undefined)).toBe(false);
    expect(isAllowedNavigation('app://other/index.html', undefined)).toBe(false);
    expect(isAllowedNavigation('app://user:pw@optlab/index.html', undefined)).toBe(false);
    expect(isAllowedNavigation('https://example.com/', undefined)).toBe(false);
    expect(isAllowedNavigation('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isAllowedNavigation('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isAllowedNavigation('http://localhost:5173/', undefined)).toBe(false);
    expect(isAllowedNavigation('not a url', undefined)).toBe(false);
  });

  it("answers IPC only from the app's own top-level frame", () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, isTopFrame: true }, undefined)).toBe(true);
    expect(isTrustedSender({ url: APP_ENTRY_URL, isTopFrame: false }, undefined)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/evil.html', isTopFrame: true }, undefined)).toBe(
      false,
    );
    expect(isTrustedSender({ url: 'https://example.com/', isTopFrame: true }, undefined)).toBe(
      false,
    );
    expect(isTrustedSender(null, undefined)).toBe(false);
    expect(
      isTrustedSender(
        { url: 'http://localhost:5173/', isTopFrame: true },
        'http://localhost:5173/',
      ),
    ).toBe(true);
  });

  it('opens only allowed https links externally, and nothing else', () => {
    expect(externalLinkTarget('https://arxiv.org/abs/1412.6980')).toBe(
      'https://arxiv.org/abs/1412.6980',
    );
    expect(externalLinkTarget('https://docs.pytorch.org/docs/stable/optim.html')).toBe(
      'https://docs.pytorch.org/docs/stable/optim.html',
    );
    expect(externalLinkTarget('https://example.com/')).toBeNull();
    expect(externalLinkTarget('https://arxiv.org.evil.example/')).toBeNull();
    expect(externalLinkTarget('http://arxiv.org/abs/1412.6980')).toBeNull();
    expect(externalLinkTarget('https://arxiv.org:8443/')).toBeNull();
    expect(externalLinkTarget('https://user@arxiv.org/')).toBeNull();
    expect(externalLinkTarget('file:///etc/passwd')).toBeNull();
    expect(externalLinkTarget('javascript:alert(1)')).toBeNull();
    expect(externalLinkTarget('smb://host/share')).toBeNull();
  });

  it('uses ELECTRON_RENDERER_URL only in development, and only on loopback http', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };
    expect(devServerUrl(env, false)).toBe('http://localhost:5173/');
    expect(devServerUrl(env, true)).toBeUndefined();
    expect(devServerUrl({}, false)).toBeUndefined();
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'https://evil.example/' }, false)).toBeUndefined();
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'file:///tmp/x.html' }, false)).toBeUndefined();
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173/' }, false)).toBe(
      'http://127.0.0.1:5173/',
    );
  });
});
