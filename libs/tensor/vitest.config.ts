import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

export default defineConfig({
  ...sharedTestConfig,
  // Node tests; the Chromium ones (test/browser) run with vitest.browser.config.ts.
  test: { include: ['test/**/*.test.ts'], exclude: ['test/browser/**'], testTimeout: 30_000 },
});
