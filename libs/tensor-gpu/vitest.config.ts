import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

/** Node tests (gpu.js webasm and cpu modes); the Chromium ones are in vitest.browser.config.ts. */
export default defineConfig({
  ...sharedTestConfig,
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
