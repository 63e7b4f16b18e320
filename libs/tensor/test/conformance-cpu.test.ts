import { cpu } from '../src/index.js';
import { runBackendConformance } from '../src/conformance/index.js';

// The CPU backend against the full conformance suite, with its default tolerances (float64:
// 1e-12 relative; float32: 1e-5 relative): float64 (JavaScript only), and float32 on both paths,
// WebAssembly SIMD and the forced JavaScript fallback.
runBackendConformance('cpu float64', () => cpu({ dtype: 'float64' }));
runBackendConformance('cpu float32 (wasm simd)', () => cpu({ dtype: 'float32', simd: 'wasm' }));
runBackendConformance('cpu float32 (js)', () => cpu({ dtype: 'float32', simd: 'js' }));
