import { trainingSuite } from './support/training-suite.js';

// gpu.js's WebAssembly mode, what plain Node gets; the same suite runs on webgl2 in Chromium.
trainingSuite('webasm', { memorySteps: 1000 });
