import type { Tensor } from '@optlab/tensor';
import { tfjsToOptlab, toNhwc, wasmPeers } from './conv.js';
import type { Contender } from './harness.js';
import { measureInterleaved } from './harness.js';
import { toCase, type CaseResult } from './results.js';
import { relativeMaxError, seededValues, type Suite, type SuiteContext } from './suite.js';
import { tf, tfjsContender, useBackend } from './tfjs-peers.js';

type PoolKind = 'max' | 'avg';

/** One tfjs pooling pass (NHWC): the forward kernel, or its gradient kernel given `dy`. */
function tfjsPoolPass(
  kind: PoolKind,
  backward: boolean,
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  output: tf.Tensor4D,
): tf.Tensor4D {
  const attrs = { filterSize: 2, strides: 2, pad: 'valid' } as const;
  if (!backward)
    return kind === 'max' ? tf.maxPool(x, 2, 2, 'valid') : tf.avgPool(x, 2, 2, 'valid');
  return (
    kind === 'max'
      ? tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output }, attrs)
      : tf.engine().runKernel('AvgPoolGrad', { dy, input: x }, attrs)
  ) as tf.Tensor4D;
}

/**
 * 2×2 stride-2 pooling after conv1 ([128,32,28,28]), forward and backward: max pooling as
 * fmnist_2c2d uses it, average pooling beside it.
 */
async function poolCase(ctx: SuiteContext, kind: PoolKind, backward: boolean): Promise<CaseResult> {
  const shape = [128, 32, 28, 28];
  const [n, c, h, w] = shape;
  const xv = seededValues(n * c * h * w, 71);
  const dyv = seededValues((n * c * h * w) / 4, 72);
  const pool = { kernelSize: 2, stride: 2 } as const;
  const sides = [ctx.backend, ctx.jsBackend].map((be) => ({
    be,
    x: be.tensor(xv, shape),
    dy: be.tensor(dyv, [n, c, h / 2, w / 2]),
  }));
  const passOf = (s: (typeof sides)[number]): Tensor => {
    if (kind === 'max') {
      return backward ? s.be.maxPool2dBackward(s.dy, s.x, pool) : s.be.maxPool2d(s.x, pool);
    }
    return backward ? s.be.avgPool2dBackward(s.dy, s.x.shape, pool) : s.be.avgPool2d(s.x, pool);
  };
  const reference = passOf(sides[0]);
  const refValues = reference.dataSync();
  reference.dispose();
  const details: Record<string, string> = {};
  const jsCheck = passOf(sides[1]);
  details['max rel. diff vs OptLab JS'] = relativeMaxError(
    refValues,
    jsCheck.dataSync(),
  ).toExponential(1);
  jsCheck.dispose();
  const contenders: Contender[] = [
    { id: 'optlab', label: 'OptLab', run: () => passOf(sides[0]).dispose() },
    { id: 'optlab-js', label: 'OptLab JS', run: () => passOf(sides[1]).dispose() },
  ];
  const tfInputs = () => {
    const x = tf.tensor4d(toNhwc(xv, shape), [n, h, w, c]);
    const dy = tf.tensor4d(toNhwc(dyv, [n, c, h / 2, w / 2]), [n, h / 2, w / 2, c]);
    return { x, dy, output: tf.maxPool(x, 2, 2, 'valid') };
  };
  for (const peer of wasmPeers(ctx)) {
    contenders.push(
      await tfjsContender(peer, () => {
        const { x, dy, output } = tfInputs();
        const run = (): tf.Tensor4D => tfjsPoolPass(kind, backward, x, dy, output);
        const check = tf.tidy(run);
        details[`max rel. diff vs ${peer.label}`] = relativeMaxError(
          refValues,
          tfjsToOptlab('forward', check),
        ).toExponential(1);
        check.dispose();
        return { run: () => tf.tidy(run).dispose(), dispose: () => tf.dispose([x, dy, output]) };
      }),
    );
  }
  if (kind === 'max' && backward && ctx.peers.some((p) => p.backend === 'cpu')) {
    // An agreement check only (not timed): tfjs-wasm's MaxPoolGrad disagrees with tfjs-cpu's
    // (and with OptLab and PyTorch) when C > 1, so its figure is of a kernel that is wrong here.
    await useBackend('cpu');
    const diff = tf.tidy(() => {
      const { x, dy, output } = tfInputs();
      return relativeMaxError(
        refValues,
        tfjsToOptlab('forward', tfjsPoolPass(kind, backward, x, dy, output)),
      );
    });
    details['max rel. diff vs tfjs cpu (agreement only, not timed)'] = diff.toExponential(1);
  }
  const measured = await measureInterleaved(contenders, ctx.measure);
  for (const c2 of contenders) c2.dispose?.();
  sides.forEach((s) => [s.x, s.dy].forEach((t) => t.dispose()));
  return toCase(
    `${kind}Pool 2×2/2 on [128,32,28,28] ${backward ? 'backward' : 'forward'}`,
    'M el/s',
    'higher',
    measured,
    (ms) => (n * c * h * w) / (ms * 1e3),
    [],
    details,
  );
}

export const poolSuite: Suite = {
  id: 'pool',
  title: 'max and average pooling 2×2/2 float32 on [128,32,28,28] (M input el/s, higher is better)',
  async run(ctx) {
    const cases: CaseResult[] = [];
    for (const kind of ['max', 'avg'] as const) {
      for (const backward of [false, true]) {
        ctx.log(`${kind}Pool ${backward ? 'backward' : 'forward'}`);
        cases.push(await poolCase(ctx, kind, backward));
      }
    }
    return {
      id: this.id,
      title: this.title,
      cases,
      notes: [
        'The pooling after fmnist_2c2d’s conv1 (batch 128). OptLab: NCHW; OptLab JS: its JavaScript loops (cpu({ simd: "js" })). tfjs: NHWC (its native layout), XNNPACK on wasm; throughput counts input elements.',
        'Backward on tfjs: its MaxPoolGrad / AvgPoolGrad kernels, given the forward output computed once outside the timing. tfjs-wasm’s MaxPoolGrad disagrees with tfjs-cpu’s, OptLab’s and PyTorch’s when C > 1 (see its max rel. diff), so that row compares speed with a kernel that computes something else.',
      ],
    };
  },
};
