import type { Backend, Conv2dOptions, Tensor } from '@optlab/tensor';
import type { Contender } from './harness.js';
import { measureInterleaved } from './harness.js';
import { toCase, type CaseResult, type Target } from './results.js';
import { relativeMaxError, seededValues, type Suite, type SuiteContext } from './suite.js';
import { tf, tfjsContender, type PeerInfo } from './tfjs-peers.js';

/**
 * fmnist_2c2d's two convolutions at batch 128, as DeepOBS defines the network
 * (fsschneider/DeepOBS deepobs/pytorch/testproblems/testproblems_modules.py, `net_mnist_2c2d`
 * at 5be88e2a: conv1 1→32 5×5 'same' on 28×28, 2×2/2 max-pool, conv2 32→64 5×5 'same' on
 * 14×14, 2×2/2 max-pool). 'same' with a 5×5 kernel at stride 1 is padding 2.
 */
const LAYERS = [
  { name: 'conv1 1→32 5×5 on 28×28', x: [128, 1, 28, 28], w: [32, 1, 5, 5] },
  { name: 'conv2 32→64 5×5 on 14×14', x: [128, 32, 14, 14], w: [64, 32, 5, 5] },
] as const;
const OPTIONS: Conv2dOptions = { stride: 1, padding: 2 };

/** Issue 13: "Target ≥ 0.5× tfjs-wasm's throughput." */
const TARGETS: Target[] = [{ peer: 'tfjs-wasm', ratio: 0.5, source: 'issue 13' }];

type Pass = 'forward' | 'grad input' | 'grad weight';
const PASSES: readonly Pass[] = ['forward', 'grad input', 'grad weight'];

/** NCHW → NHWC (tfjs's layout) and [O,C,kh,kw] → [kh,kw,C,O], on the host. */
export function toNhwc(v: Float32Array, [n, c, h, w]: readonly number[]): Float32Array {
  const out = new Float32Array(v.length);
  for (let i = 0; i < n; i++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          out[((i * h + y) * w + x) * c + ch] = v[((i * c + ch) * h + y) * w + x];
  return out;
}

function toHwio(v: Float32Array, [o, c, kh, kw]: readonly number[]): Float32Array {
  const out = new Float32Array(v.length);
  for (let a = 0; a < o; a++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++)
          out[((y * kw + x) * c + ch) * o + a] = v[((a * c + ch) * kh + y) * kw + x];
  return out;
}

/** One pass of OptLab's conv on `be`, its result left to the caller. */
function optlabPass(be: Backend, pass: Pass, x: Tensor, w: Tensor, dy: Tensor): Tensor {
  if (pass === 'forward') return be.conv2d(x, w, OPTIONS);
  if (pass === 'grad input') return be.conv2dBackwardInput(dy, w, x.shape, OPTIONS);
  return be.conv2dBackwardWeight(x, dy, w.shape, OPTIONS);
}

/**
 * One pass in tfjs-wasm, NHWC: `conv2d`, its input gradient (`conv2dTranspose`, i.e. the
 * Conv2DBackpropInput kernel) and its weight gradient. tfjs-backend-wasm registers no
 * Conv2DBackpropFilter kernel (tf.grad of a conv2d throws there), so the weight gradient is
 * computed the way TensorFlow derives it without that kernel, as one conv2d: with the batch as
 * channels, dW[ky,kx,c,o] = Σ_{n,y,x} xᵀ[c, y+ky, x+kx, n] · dyᵀ[y, x, n, o], the two transposes
 * included in the timing.
 */
function tfjsPass(pass: Pass, x: tf.Tensor4D, w: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor4D {
  if (pass === 'forward') return tf.conv2d(x, w, 1, 2);
  if (pass === 'grad input') return tf.conv2dTranspose(dy, w, x.shape, 1, 2);
  return tf.tidy(() => {
    const xt = tf.transpose(x, [3, 1, 2, 0]); // [C, H, W, N]
    const dyt = tf.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, O]
    return tf.conv2d(xt, dyt, 1, 2).transpose([1, 2, 0, 3]); // [C,kh,kw,O] → [kh,kw,C,O]
  });
}

/**
 * The peers of this suite: tfjs-wasm only (the target). tfjs-cpu's conv kernels are plain
 * JavaScript loops (conv2 forward alone takes seconds), which would stretch the suite to tens of
 * minutes without telling anything the OptLab JS column does not.
 */
export function wasmPeers(ctx: SuiteContext): PeerInfo[] {
  return ctx.peers.filter((p) => p.backend === 'wasm');
}

/** tfjs's result back in OptLab's layout, for the agreement check. */
export function tfjsToOptlab(pass: Pass, t: tf.Tensor4D): Float32Array {
  const v = t.dataSync() as Float32Array;
  // forward / grad input are NHWC → NCHW; grad weight is HWIO → OIHW.
  if (pass === 'grad weight') {
    const [kh, kw, c, o] = t.shape;
    const out = new Float32Array(v.length);
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++)
        for (let ch = 0; ch < c; ch++)
          for (let a = 0; a < o; a++)
            out[((a * c + ch) * kh + y) * kw + x] = v[((y * kw + x) * c + ch) * o + a];
    return out;
  }
  const [n, h, w, c] = t.shape;
  const out = new Float32Array(v.length);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++)
          out[((i * c + ch) * h + y) * w + x] = v[((i * h + y) * w + x) * c + ch];
  return out;
}

async function convCase(
  ctx: SuiteContext,
  layer: (typeof LAYERS)[number],
  pass: Pass,
): Promise<CaseResult> {
  const [n, c, h, wd] = layer.x;
  const [o, , kh, kw] = layer.w;
  const yShape = [n, o, h, wd]; // 'same' at stride 1
  const xv = seededValues(n * c * h * wd, 61);
  const wv = seededValues(o * c * kh * kw, 62);
  const dyv = seededValues(n * o * h * wd, 63);
  const sides = [ctx.backend, ctx.jsBackend].map((be) => {
    const t = { x: be.tensor(xv, layer.x), w: be.tensor(wv, layer.w), dy: be.tensor(dyv, yShape) };
    return { be, ...t, dispose: () => [t.x, t.w, t.dy].forEach((u) => u.dispose()) };
  });
  const [ours, js] = sides;
  const reference = optlabPass(ours.be, pass, ours.x, ours.w, ours.dy);
  const refValues = reference.dataSync();
  reference.dispose();
  const details: Record<string, string> = {};
  const jsCheck = optlabPass(js.be, pass, js.x, js.w, js.dy);
  details['max rel. diff vs OptLab JS'] = relativeMaxError(
    refValues,
    jsCheck.dataSync(),
  ).toExponential(1);
  jsCheck.dispose();
  const contenders: Contender[] = [
    {
      id: 'optlab',
      label: 'OptLab',
      run: () => optlabPass(ours.be, pass, ours.x, ours.w, ours.dy).dispose(),
    },
    {
      id: 'optlab-js',
      label: 'OptLab JS',
      run: () => optlabPass(js.be, pass, js.x, js.w, js.dy).dispose(),
    },
  ];
  for (const peer of wasmPeers(ctx)) {
    contenders.push(
      await tfjsContender(peer, () => {
        const x = tf.tensor4d(toNhwc(xv, layer.x), [n, h, wd, c]);
        const w = tf.tensor4d(toHwio(wv, layer.w), [kh, kw, c, o]);
        const dy = tf.tensor4d(toNhwc(dyv, yShape), [n, h, wd, o]);
        const check = tfjsPass(pass, x, w, dy);
        details[`max rel. diff vs ${peer.label}`] = relativeMaxError(
          refValues,
          tfjsToOptlab(pass, check),
        ).toExponential(1);
        check.dispose();
        return {
          run: () => tfjsPass(pass, x, w, dy).dispose(),
          dispose: () => tf.dispose([x, w, dy]),
        };
      }),
    );
  }
  const measured = await measureInterleaved(contenders, ctx.measure);
  for (const c2 of contenders) c2.dispose?.();
  sides.forEach((s) => s.dispose());
  const flops = 2 * n * o * h * wd * c * kh * kw;
  return toCase(
    `${layer.name} ${pass}`,
    'GFLOP/s',
    'higher',
    measured,
    (ms) => flops / (ms * 1e6),
    TARGETS,
    details,
  );
}

export const convSuite: Suite = {
  id: 'conv',
  title: 'conv2d float32 at fmnist_2c2d shapes, batch 128 (GFLOP/s, higher is better)',
  async run(ctx) {
    const cases: CaseResult[] = [];
    for (const layer of LAYERS) {
      for (const pass of PASSES) {
        ctx.log(`${layer.name} ${pass}`);
        cases.push(await convCase(ctx, layer, pass));
      }
    }
    return {
      id: this.id,
      title: this.title,
      cases,
      notes: [
        'OptLab: NCHW, patches packed straight into the WebAssembly matmul panels (libs/tensor/src/wasm/conv.ts) and the 4×8 f32x4 micro-kernel, single thread. OptLab JS: patch rows and the JavaScript matmul. tfjs: NHWC (its native layout), XNNPACK on wasm.',
        'Peer: tfjs-wasm only (tfjs-cpu’s conv kernels are plain JavaScript loops, seconds per conv2 pass). grad weight on tfjs wasm: tfjs-backend-wasm has no Conv2DBackpropFilter kernel (tf.grad of a conv2d throws there); it runs as one conv2d over transposed operands, transposes included.',
      ],
    };
  },
};
