// Registers the TypeScript source loader (ts-loader.mjs) for this thread:
// `node --conditions=@optlab/source --import <this file> some.ts`. The CLI's spawn tests use it,
// and so do the worker threads of @optlab/experiment's pool when it runs from its sources
// (vitest), where there is no dist/ to load.
import { register } from 'node:module';

register('./ts-loader.mjs', import.meta.url);
