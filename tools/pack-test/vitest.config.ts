import { defineConfig } from 'vitest/config';

/**
 * One end-to-end test that installs packages and runs a second Nx workspace: minutes, not
 * seconds, on a busy 2-core machine. It reads the libraries' built `dist/`, never their sources.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
