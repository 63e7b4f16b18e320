import type { Contender } from './harness.js';
import { measureInterleaved } from './harness.js';
import { toCase, type CaseResult, type Target } from './results.js';
import { relativeMaxError, seededValues, type Suite } from './suite.js';
import { tf, tfjsContender } from './tfjs-peers.js';

const SIZES = [128, 256, 512] as const;

/** Issue 2: "matmul 512 float32: ≥ 5× tfjs-backend-cpu". */
const TARGETS: Record<number, Target[]> = {
  512: [{ peer: 'tfjs-cpu', ratio: 5, source: 'issue 2' }],
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
      const peers: Contender[] = [];
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
        'OptLab: a 3×4 register-blocked kernel over A and Bᵀ rows (libs/tensor/src/cpu/matmul.ts), single thread.',
      ],
    };
  },
};
