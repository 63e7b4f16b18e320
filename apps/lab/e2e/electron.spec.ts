/**
 * The desktop app itself, through Playwright's Electron driver: the security settings, the
 * bridge's refusals, and the main flow (preset → run → table). It needs the Electron binary, which
 * cannot be downloaded on the development and CI machines (ELECTRON_SKIP_BINARY_DOWNLOAD): there
 * the whole file is skipped with that reason; the web build's spec covers the same flow.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { selectPreset, waitForRuns } from './helpers.js';

const lab = join(import.meta.dirname, '..');

function electronBinary(): string | null {
  try {
    const path: unknown = createRequire(join(lab, 'package.json'))('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
test.skip(
  binary === null,
  'no Electron binary on this machine (installed with ELECTRON_SKIP_BINARY_DOWNLOAD); the web build spec covers the flow',
);

test.describe.configure({ mode: 'serial' });

test.describe('the desktop lab', () => {
  let app: ElectronApplication;
  let page: Page;
  let workspace: string;

  test.beforeAll(async () => {
    if (!existsSync(join(lab, 'out', 'main', 'index.js'))) {
      execFileSync('npx', ['electron-vite', 'build'], { cwd: lab, stdio: 'inherit' });
    }
    workspace = mkdtempSync(join(tmpdir(), 'optlab-e2e-'));
    app = await _electron.launch({
      executablePath: binary!,
      args: [lab, '--no-sandbox'],
      env: { ...process.env, OPTLAB_WORKSPACE: workspace },
    });
    page = await app.firstWindow();
    await expect(page.getByTestId('run-all')).toBeVisible();
  });

  test.afterAll(async () => {
    await app?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  test('runs with context isolation, the sandbox, no Node in the page, and a strict CSP', async () => {
    // The settings themselves are unit-tested (test/security.test.ts); here, their effect.
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe(
      'undefined',
    );
    expect(
      await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require),
    ).toBe('undefined');
    expect(
      await page.evaluate(
        () => typeof (window as unknown as { optlab?: { kind: string } }).optlab?.kind,
      ),
    ).toBe('string');
    const csp = await page
      .locator('meta[http-equiv=Content-Security-Policy]')
      .getAttribute('content');
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    // New windows are denied.
    await page.evaluate(() => window.open('https://example.com'));
    expect(app.windows()).toHaveLength(1);
  });

  test('refuses paths outside the workspace', async () => {
    const outcome = await page.evaluate(async () => {
      const api = (window as unknown as { optlab: { readFile(p: string): Promise<string> } })
        .optlab;
      try {
        await api.readFile('../../etc/passwd.json');
        return 'read';
      } catch (error) {
        return String(error);
      }
    });
    expect(outcome).toContain('leaves the workspace');
  });

  test('opens a preset, runs it and fills the table', async () => {
    await selectPreset(page, 'linear-regression');
    await page.getByTestId('run-all').click();
    await waitForRuns(page, ['SGD', 'Momentum', 'Adam']);
    await page.getByTestId('save').click();
    await expect(page.getByTestId('notice')).toContainText(
      'Saved experiments/linear-regression.json',
    );
    expect(existsSync(join(workspace, 'experiments', 'linear-regression.json'))).toBe(true);
  });
});
