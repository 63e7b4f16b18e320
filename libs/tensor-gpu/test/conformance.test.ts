import { runBackendConformance } from '@optlab/tensor/conformance';
import { gpu } from '../src/index.js';

// gpu.js's CPU-side modes, the only ones plain Node has (no headless-gl here); float32
// tolerances (the suite's defaults). webgl2 and webgpu run in Chromium (test/browser/).
runBackendConformance('gpu.js webasm', () => gpu({ mode: 'webasm' }));
runBackendConformance('gpu.js cpu', () => gpu({ mode: 'cpu' }));
