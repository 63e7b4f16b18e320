import { cpu } from '../src/index.js';
import { runBackendConformance } from '../src/conformance/index.js';

// The CPU backend in both dtypes against the full conformance suite, with its default
// tolerances (float64: 1e-12 relative; float32: 1e-5 relative).
runBackendConformance('cpu float64', () => cpu({ dtype: 'float64' }));
runBackendConformance('cpu float32', () => cpu({ dtype: 'float32' }));
