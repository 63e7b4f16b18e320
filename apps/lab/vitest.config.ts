import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { sharedTestConfig } from '../../vitest.shared.js';

export default defineConfig({
  ...sharedTestConfig,
  plugins: [svelte({ configFile: false, compilerOptions: { dev: false } })],
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/components/**'],
    testTimeout: 30_000,
  },
});
