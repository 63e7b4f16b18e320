/**
 * The renderer's Vite settings, shared by the Electron build (electron.vite.config.ts) and the
 * plain web build (vite.web.config.ts), so the page that is tested in Chromium is the page that
 * ships in the desktop app.
 */
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defaultClientConditions, type UserConfig } from 'vite';

const here = import.meta.dirname;

/** Workspace packages resolve to their TypeScript sources: no library build is needed first. */
const conditions = ['@optlab/source', ...defaultClientConditions];

export function rendererConfig(outDir: string): UserConfig {
  return {
    root: resolve(here, 'src/renderer'),
    base: './',
    plugins: [svelte({ configFile: false })],
    resolve: { conditions },
    worker: { format: 'es' },
    build: {
      outDir: resolve(here, outDir),
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 2000,
    },
    server: { host: '127.0.0.1' },
    preview: { host: '127.0.0.1' },
  };
}
