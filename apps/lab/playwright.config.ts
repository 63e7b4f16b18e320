/**
 * End-to-end tests of the lab's web build in Debian's Chromium (/usr/bin/chromium; browsers are
 * never downloaded), headless, served on 127.0.0.1 (a secure context, so WebGPU may be offered).
 * The Electron spec in e2e/electron.spec.ts runs where the Electron binary exists.
 */
import { defineConfig } from '@playwright/test';

// The tests compare the page with the runner in Node: workspace packages resolve to their sources.
if (!process.env['NODE_OPTIONS']?.includes('@optlab/source')) {
  process.env['NODE_OPTIONS'] =
    `${process.env['NODE_OPTIONS'] ?? ''} --conditions=@optlab/source`.trim();
}

const PORT = Number(process.env['OPTLAB_E2E_PORT'] ?? 4517);
export const CHROMIUM = process.env['OPTLAB_CHROMIUM'] ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/playwright',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    headless: true,
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--enable-unsafe-webgpu',
      ],
    },
  },
  webServer: {
    // OPTLAB_E2E_NO_BUILD=1 serves the existing out/web (when a build target just made it).
    command: `${process.env['OPTLAB_E2E_NO_BUILD'] ? '' : 'npx vite build --config vite.web.config.ts --logLevel warn && '}node scripts/serve-web.mjs --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
