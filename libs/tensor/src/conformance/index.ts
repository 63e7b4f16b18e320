/**
 * @optlab/tensor/conformance — the backend conformance suite.
 *
 * One call registers (as vitest `describe`/`it` blocks) every test a backend must pass: creation,
 * elementwise ops with broadcasting and edge values, matmul with every transpose combination,
 * reductions, softmax / log-softmax / softmax cross-entropy (loss, gradient against PyTorch and
 * against finite differences), layout ops, conv2d and pooling with their gradients (PyTorch
 * fixtures/conv.json and finite differences), fused updates, memory rules and errors. Reference
 * values come from fixtures/reference.json (NumPy/PyTorch, see tools/fixtures/tensor/) or are
 * derived by hand in the tests.
 *
 * The suite runs in Node and in a browser (vitest browser mode): it uses no Node APIs and reads
 * values only with `await t.data()`, never `dataSync()`.
 *
 * ```ts
 * import { cpu } from '@optlab/tensor';
 * import { runBackendConformance } from '@optlab/tensor/conformance';
 * runBackendConformance('cpu float64', () => cpu({ dtype: 'float64' }));
 * ```
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, BackendFactory } from '../backend.js';
import { defaultTolerance, type Tolerance } from './check.js';
import { convTests } from './conv.js';
import { creationTests } from './creation.js';
import { elementwiseTests } from './elementwise.js';
import { fusedTests } from './fused.js';
import { layoutTests } from './layout.js';
import { linalgTests } from './linalg.js';
import { memoryTests } from './memory.js';
import { softmaxTests } from './softmax.js';
import { createSuiteContext } from './suite.js';

export interface ConformanceOptions {
  /** Relative tolerance; default 1e-12 for float64 backends, 1e-5 for float32. */
  rtol?: number;
  /** Absolute tolerance; default 1e-12 for float64 backends, 1e-6 for float32. */
  atol?: number;
  /**
   * Test ids to skip: a section (`matmul`, `fusedUpdate`) or one test
   * (`creation > uniform: same seed, same values`). An entry that names nothing fails the suite.
   */
  skip?: readonly string[];
}

export { defaultTolerance, firstMismatch } from './check.js';
export type { Tolerance } from './check.js';

/** Registers the conformance suite for the backend `factory` creates, under `describe(name)`. */
export function runBackendConformance(
  name: string,
  factory: BackendFactory,
  options: ConformanceOptions = {},
): void {
  let backend: Backend | undefined;
  let tol: Tolerance | undefined;
  const { root, unusedSkips } = createSuiteContext(
    () => {
      if (!backend) throw new Error('conformance: the backend is only available inside tests');
      return backend;
    },
    () => {
      if (!tol) throw new Error('conformance: tolerances are only available inside tests');
      return tol;
    },
    options.skip ?? [],
  );

  describe(`backend conformance: ${name}`, () => {
    beforeAll(async () => {
      backend = await factory();
      const base = defaultTolerance(backend.dtype);
      tol = { rtol: options.rtol ?? base.rtol, atol: options.atol ?? base.atol };
    });
    afterAll(() => {
      backend?.dispose();
      backend = undefined;
    });

    it('every skip entry names a section or test of the suite', () => {
      expect(unusedSkips()).toEqual([]);
    });

    creationTests(root);
    elementwiseTests(root);
    linalgTests(root);
    softmaxTests(root);
    layoutTests(root);
    convTests(root);
    fusedTests(root);
    memoryTests(root);
  });
}
