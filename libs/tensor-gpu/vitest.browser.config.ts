import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

/**
 * The browser tests: vitest browser mode driving Debian's headless Chromium (never a downloaded
 * browser). WebGL2 works there through SwiftShader without flags; WebGPU needs
 * --enable-unsafe-webgpu and a secure context (vitest serves localhost). Never
 * --use-angle=vulkan: it breaks both.
 */
export default defineConfig({
  ...sharedTestConfig,
  optimizeDeps: { include: ['gpu.js'] },
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--enable-unsafe-webgpu',
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
