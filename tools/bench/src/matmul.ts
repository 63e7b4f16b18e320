import type { Contender } from './harness.js';
import { measureInterleaved } from './harness.js';
import { toCase, type CaseResult, type Target } from './results.js';
import { relativeMaxError, seededValues, type Suite } from './suite.js';
import { tf, tfjsContender } from './tfjs-peers.js';

const SIZES = [128, 256, 512] as const;

/** Issue 2: "≥ 5× tfjs-backend-cpu"; issue 12: "≥ 0.6× tfjs-wasm, and ≥ 4× OptLab's JS path". */
const TARGETS: Record<number, Target[]> = {
  512: [
    { peer: 'tfjs-cpu', ratio: 5, source: 'issue 2' },
    { peer: 'tfjs-wasm', ratio: 0.6, source: 'issue 12' },
    { peer: 'optlab-js', ratio: 4, source: 'issue 12' },
  ],
};

/** Square float32 matmuls, C = A·B, in GFLOP/s (2·n³ floating-point operations each). */
export const matmulSuite: Suite = {
  id: 'matmul',
  title: 'matmul float32, C[n,n] = A[n,n]·B[n,n] (GFLOP/s, higher is better)',
  async run(ctx) {
    const be = ctx.backend;
    const cases: CaseResult[] = [];
    for (const n of SIZES) {
      ctx.log(`matmul ${n}`);
      const av = seededValues(n * n, 11 + n);
      const bv = seededValues(n * n, 13 + n);
      const a = be.tensor(av, [n, n]);
      const b = be.tensor(bv, [n, n]);
      const reference = be.matmul(a, b);
      const optlab: Contender = {
        id: 'optlab',
        label: 'OptLab',
        run: () => be.matmul(a, b).dispose(),
      };
      const details: Record<string, string> = {};
      const js = ctx.jsBackend;
      const [ja, jb] = [js.tensor(av, [n, n]), js.tensor(bv, [n, n])];
      const jsReference = js.matmul(ja, jb);
      details['max rel. diff vs OptLab JS'] = relativeMaxError(
        reference.dataSync(),
        jsReference.dataSync(),
      ).toExponential(1);
      jsReference.dispose();
      const peers: Contender[] = [
        {
          id: 'optlab-js',
          label: 'OptLab JS',
          run: () => js.matmul(ja, jb).dispose(),
          dispose: () => [ja, jb].forEach((t) => t.dispose()),
        },
      ];
      for (const peer of ctx.peers) {
        peers.push(
          await tfjsContender(peer, () => {
            const ta = tf.tensor2d(av, [n, n]);
            const tb = tf.tensor2d(bv, [n, n]);
            const check = tf.matMul(ta, tb);
            details[`max rel. diff vs ${peer.label}`] = relativeMaxError(
              reference.dataSync(),
              check.dataSync(),
            ).toExponential(1);
            check.dispose();
            return {
              run: () => tf.matMul(ta, tb).dispose(),
              dispose: () => tf.dispose([ta, tb]),
            };
          }),
        );
      }
      const all = [optlab, ...peers];
      const measured = await measureInterleaved(all, ctx.measure);
      for (const c of all) c.dispose?.();
      reference.dispose();
      a.dispose();
      b.dispose();
      const flops = 2 * n * n * n;
      cases.push(
        toCase(
          `${n}×${n}·${n}×${n}`,
          'GFLOP/s',
          'higher',
          measured,
          (ms) => flops / (ms * 1e6),
          TARGETS[n],
          details,
        ),
      );
    }
    return {
      id: this.id,
      title: this.title,
      cases,
      notes: [
        'OptLab: A and B packed into 4-row and 8-column panels, a 4×8 f32x4 WebAssembly micro-kernel (libs/tensor/src/wasm/matmul.ts), single thread. OptLab JS: the 3×4 register-blocked JavaScript kernel over A and Bᵀ rows (libs/tensor/src/cpu/matmul.ts).',
      ],
    };
  },
};
