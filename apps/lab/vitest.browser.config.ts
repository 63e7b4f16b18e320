import { playwright } from '@vitest/browser-playwright';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import { sharedTestConfig, sourceConditions } from '../../vitest.shared.js';

/**
 * Component tests: Svelte components mounted in Debian's headless Chromium (vitest browser mode;
 * browsers are never downloaded). The Node tests are in vitest.config.ts.
 */
export default defineConfig({
  ...sharedTestConfig,
  // In the browser, Svelte must resolve to its client build (the shared config names only ours).
  resolve: { conditions: [...sourceConditions, ...defaultClientConditions] },
  plugins: [svelte({ configFile: false })],
  test: {
    include: ['test/components/**/*.test.ts'],
    testTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: process.env['OPTLAB_CHROMIUM'] ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-background-networking',
            '--disable-component-update',
            '--no-first-run',
          ],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
