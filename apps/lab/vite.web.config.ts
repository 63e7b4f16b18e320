import { defineConfig } from 'vite';
import { rendererConfig } from './renderer.config.js';

/** The lab as a plain web page (browser bridge): `npm run lab:web`, the E2E tests, `npm start` without Electron. */
export default defineConfig(rendererConfig('out/web'));
