import { defineConfig } from 'vitest/config';

/**
 * test/pack.test.ts (the `e2e` target) installs packages and runs a second Nx workspace: minutes,
 * not seconds, on a busy 2-core machine. It reads the libraries' built `dist/`, never their
 * sources. test/helpers.test.ts (the `test` target) is fast.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
