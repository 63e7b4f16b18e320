import { measureInterleaved, type Contender } from './harness.js';
import { toCase } from './results.js';
import { relativeMaxError, seededValues, type Suite } from './suite.js';
import { tf, tfjsContender } from './tfjs-peers.js';

const N = 1 << 20;

/**
 * c = a + b on two 1M-element float32 tensors (M elements/s), beside tfjs and beside a plain
 * `Float32Array.prototype.set` copy of 1M floats — the memory limit: an add moves 12 bytes per
 * element (two reads, one write) where the copy moves 8, so an add at ~2/3 of the copy's rate
 * is as fast as memory allows.
 */
export const elementwiseSuite: Suite = {
  id: 'elementwise',
  title: `elementwise float32, c = a + b on ${N.toLocaleString('en-US')} elements (M elements/s, higher is better)`,
  async run(ctx) {
    const be = ctx.backend;
    ctx.log('elementwise add 1M');
    const av = seededValues(N, 21);
    const bv = seededValues(N, 22);
    const a = be.tensor(av, [N]);
    const b = be.tensor(bv, [N]);
    const reference = be.add(a, b);
    const details: Record<string, string> = {};
    const optlab: Contender = { id: 'optlab', label: 'OptLab', run: () => be.add(a, b).dispose() };
    const js = ctx.jsBackend;
    const [ja, jb] = [js.tensor(av, [N]), js.tensor(bv, [N])];
    const peers: Contender[] = [
      {
        id: 'optlab-js',
        label: 'OptLab JS',
        run: () => js.add(ja, jb).dispose(),
        dispose: () => [ja, jb].forEach((t) => t.dispose()),
      },
    ];
    for (const peer of ctx.peers) {
      peers.push(
        await tfjsContender(peer, () => {
          const ta = tf.tensor1d(av);
          const tb = tf.tensor1d(bv);
          const check = tf.add(ta, tb);
          details[`max rel. diff vs ${peer.label}`] = relativeMaxError(
            reference.dataSync(),
            check.dataSync(),
          ).toExponential(1);
          check.dispose();
          return { run: () => tf.add(ta, tb).dispose(), dispose: () => tf.dispose([ta, tb]) };
        }),
      );
    }
    const src = new Float32Array(av);
    const dst = new Float32Array(N);
    const copy: Contender = { id: 'copy', label: 'Float32Array.set copy', run: () => dst.set(src) };
    const all = [optlab, ...peers, copy];
    const measured = await measureInterleaved(all, ctx.measure);
    for (const c of all) c.dispose?.();
    reference.dispose();
    a.dispose();
    b.dispose();
    const perOp = (ms: number): number => N / (ms * 1e3);
    return {
      id: this.id,
      title: this.title,
      cases: [
        toCase(
          'add 1M',
          'M el/s',
          'higher',
          measured,
          perOp,
          [{ peer: 'copy', ratio: 0.5, source: 'issue 12' }],
          details,
        ),
      ],
      notes: [
        'the copy is the memory limit: it moves 8 bytes per element, the add 12 (2 reads + 1 write), so add ÷ copy ≈ 0.67 is memory-bound.',
        'OptLab allocates its result from its pool (the previous result was disposed), as in a training step; OptLab: a compiled f32x4 WebAssembly loop, OptLab JS: the generated JavaScript loop.',
      ],
    };
  },
};
