import { expect, it } from 'vitest';
import { cpu } from '../../src/index.js';
import { runBackendConformance } from '../../src/conformance/index.js';

// The lab runs the CPU backend in Chromium's workers: the WebAssembly SIMD path must validate,
// compile and pass the whole suite there too, and `auto` must pick it.
it('Chromium validates WebAssembly SIMD: auto picks the wasm path', () => {
  expect(cpu().device).toBe('cpu float32 (wasm simd)');
});
runBackendConformance('cpu float32 (wasm simd) in Chromium', () =>
  cpu({ dtype: 'float32', simd: 'wasm' }),
);
