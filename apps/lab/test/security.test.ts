import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONTENT_SECURITY_POLICY,
  isAllowedNavigation,
  secureWebPreferences,
} from '../src/main/security.js';

describe('window security', () => {
  it('isolates the page: context isolation, sandbox, no Node integration', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
  });

  it('has a strict CSP: only the app itself, eval for generated kernels, inline styles only', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'", "'unsafe-eval'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*/);
    expect(directives['script-src']).not.toContain("'unsafe-inline'");
  });

  it('ships the same CSP in the page (meta tag) as in the header', () => {
    const html = readFileSync(
      join(import.meta.dirname, '..', 'src', 'renderer', 'index.html'),
      'utf8',
    );
    const meta = /content="([^"]+)"/.exec(html.slice(html.indexOf('Content-Security-Policy')))![1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY);
  });

  it('lets the window navigate only to the app itself', () => {
    expect(
      isAllowedNavigation(
        'file:///opt/OptLab/resources/app.asar/out/renderer/index.html',
        undefined,
      ),
    ).toBe(true);
    expect(isAllowedNavigation('https://example.com/', undefined)).toBe(false);
    expect(isAllowedNavigation('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isAllowedNavigation('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isAllowedNavigation('not a url', undefined)).toBe(false);
  });
});
