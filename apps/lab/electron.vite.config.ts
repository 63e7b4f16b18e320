import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './renderer.config.js';

const here = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(here, 'out/main'),
      lib: { entry: resolve(here, 'src/main/index.ts') },
    },
  },
  preload: {
    // A sandboxed preload cannot load ES modules: emit one CommonJS file.
    build: {
      outDir: resolve(here, 'out/preload'),
      lib: { entry: resolve(here, 'src/preload/index.ts') },
      rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    ...rendererConfig('out/renderer'),
    build: {
      ...rendererConfig('out/renderer').build,
      rollupOptions: { input: resolve(here, 'src/renderer/index.html') },
    },
  },
});
