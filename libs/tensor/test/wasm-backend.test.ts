import { describe, expect, it } from 'vitest';
import {
  BINARY_OPS,
  cpu,
  defineUpdate,
  Expr,
  tidy,
  TensorError,
  UNARY_OPS,
  where,
  type CpuBackend,
  type SimdMode,
  type Tensor,
} from '../src/index.js';

/** Values that exercise the ops' edges: signed zeros, NaN, infinities, tiny and huge. */
const EDGE = [0, -0, 1, -1, 2.5, -3.25, 0.1, NaN, Infinity, -Infinity, 1e-30, -1e30, 7, 0.5];
/** Approximated on the wasm path (tested in wasm-math.test.ts) or left to the JavaScript loop. */
const TRANSCENDENTAL = new Set(['exp', 'log', 'tanh', 'sigmoid', 'pow']);

const adam = defineUpdate({
  name: 'wasmTestAdam',
  inputs: ['p', 'g', 'm', 'v'],
  scalars: ['beta1', 'beta2', 'stepSize', 'bc2Sqrt', 'eps'],
  outputs: ['p', 'm', 'v'],
  body: ({ p, g, m, v }, { beta1, beta2, stepSize, bc2Sqrt, eps }) => {
    const m1 = m.lerp(g, Expr.of(1).sub(beta1));
    const v1 = v.mul(beta2).add(g.square().mul(Expr.of(1).sub(beta2)));
    return { p: p.sub(m1.mul(stepSize).div(v1.sqrt().div(bc2Sqrt).add(eps))), m: m1, v: v1 };
  },
});

/** The float32 bit patterns, every NaN as one (engines differ in the NaN's sign bit). */
function bits(t: Tensor): number[] {
  const values = new Float32Array(t.dataSync()).map((v) => (Number.isNaN(v) ? NaN : v));
  return Array.from(new Uint32Array(values.buffer));
}

describe('cpu({ simd })', () => {
  it('names the path in the device string', () => {
    expect(cpu({ simd: 'wasm' }).device).toBe('cpu float32 (wasm simd)');
    expect(cpu({ simd: 'js' }).device).toBe('cpu float32 (typed arrays)');
    expect(cpu().device).toBe('cpu float32 (wasm simd)');
    expect(cpu({ dtype: 'float64' }).device).toBe('cpu float64 (typed arrays)');
    expect(cpu({ simd: 'wasm' }).simd).toBe(true);
    expect(cpu({ dtype: 'float64', simd: 'auto' }).simd).toBe(false);
  });

  it('refuses wasm for float64, an unknown mode and a bad memory size, naming them', () => {
    expect(() => cpu({ dtype: 'float64', simd: 'wasm' })).toThrow(TensorError);
    expect(() => cpu({ dtype: 'float64', simd: 'wasm' })).toThrow(
      'cpu: simd "wasm" runs float32 only; float64 runs on the JavaScript path (simd "auto" or "js")',
    );
    for (const pages of [0, -1, 1.5, 70000, NaN]) {
      expect(() => cpu({ initialMemoryPages: pages })).toThrow(
        `cpu: initialMemoryPages must be an integer from 1 to 65536 (64 KiB pages), got ${pages}`,
      );
    }
    expect(() => cpu({ simd: 'sse' as SimdMode })).toThrow(
      'cpu: unknown simd "sse"; known: auto, wasm, js',
    );
  });
});

describe('cpu({ simd }) where WebAssembly cannot compile (a page CSP without wasm-unsafe-eval)', () => {
  it('auto falls back to the JavaScript path; wasm throws naming the policy', async () => {
    const original = WebAssembly.Module;
    const refused = function Module() {
      throw new WebAssembly.CompileError('Refused to compile or instantiate WebAssembly module');
    };
    WebAssembly.Module = refused as unknown as typeof WebAssembly.Module;
    try {
      const be = cpu();
      expect(be.device).toBe('cpu float32 (typed arrays)');
      expect(Array.from(await be.add(be.tensor([1, 2]), 1).data())).toEqual([2, 3]);
      expect(() => cpu({ simd: 'wasm' })).toThrow(
        `cpu: simd "wasm": cannot compile WebAssembly here (Refused to compile or instantiate WebAssembly module); a page needs 'wasm-unsafe-eval' in its Content-Security-Policy, or use simd "auto" or "js"`,
      );
    } finally {
      WebAssembly.Module = original;
    }
    expect(cpu().device).toBe('cpu float32 (wasm simd)');
  });
});

describe('wasm simd fused kernels', () => {
  const wasm = cpu({ simd: 'wasm' });
  const js = cpu({ simd: 'js' });

  // One f32 op on f32 inputs, computed in doubles and rounded once, equals the f32 op: so a
  // one-node program must agree with the JavaScript path bit for bit, tail and all.
  for (const op of UNARY_OPS.filter((o) => !TRANSCENDENTAL.has(o))) {
    it(`${op} matches the JavaScript path bit for bit (lengths 0–14, edges)`, () => {
      for (let n = 0; n <= EDGE.length; n++) {
        const values = EDGE.slice(0, n);
        expect(bits(wasm[op](wasm.tensor(values, [n]))), `${op} n=${n}`).toEqual(
          bits(js[op](js.tensor(values, [n]))),
        );
      }
      expect(wasm.kernelPaths()[`${op}: wasm simd`]).toBeGreaterThan(0);
    });
  }
  for (const op of BINARY_OPS.filter((o) => !TRANSCENDENTAL.has(o))) {
    it(`${op} matches the JavaScript path bit for bit (tensor·tensor, ·number, ·[1] tensor)`, () => {
      const b = [...EDGE].reverse();
      const n = EDGE.length;
      const cases: ((be: CpuBackend) => Tensor)[] = [
        (be) => be[op](be.tensor(EDGE, [n]), be.tensor(b, [n])),
        (be) => be[op](be.tensor(EDGE, [n]), -0.75),
        (be) => be[op](3, be.tensor(EDGE, [n])),
        (be) => be[op](be.tensor([-2], [1]), be.tensor(EDGE, [n])),
      ];
      cases.forEach((f, i) => expect(bits(f(wasm)), `${op} case ${i}`).toEqual(bits(f(js))));
    });
  }

  it('where and a multi-output program with in-place outputs agree with the JavaScript path', () => {
    const program = defineUpdate({
      name: 'wasmTestMix',
      inputs: ['a', 'b'],
      scalars: ['s'],
      outputs: ['a', 'y'],
      body: ({ a, b }, { s }) => ({
        a: where(a.sub(b), a.maximum(b).mul(s), b.minimum(0).relu().sub(a.sign())),
        y: a.abs().sqrt().add(b.square()).div(2),
      }),
    });
    const a = Array.from({ length: 1003 }, (_, i) => Math.sin(i) * 3);
    const b = Array.from({ length: 1003 }, (_, i) => Math.cos(i * 1.3) * 2);
    const run = (be: CpuBackend) => {
      const ta = be.tensor(a);
      const { y } = be.fusedUpdate(program, { a: ta, b: be.tensor(b) }, { s: 0.3 });
      return [Array.from(ta.dataSync()), Array.from(y.dataSync())];
    };
    const [wa, wy] = run(wasm);
    const [ja, jy] = run(js);
    wa.forEach((v, i) => expect(v).toBeCloseTo(ja[i], 5));
    wy.forEach((v, i) => expect(v).toBeCloseTo(jy[i], 5));
    expect(wasm.kernelPaths()['fusedUpdate(wasmTestMix): wasm simd']).toBe(1);
  });

  it.each([
    [[6, 100], [100]],
    [
      [6, 100],
      [6, 1],
    ],
    [[100], [7, 100]],
    [
      [3, 1, 70],
      [3, 5, 70],
    ],
    [
      [2, 3, 4, 32],
      [3, 1, 1],
    ],
    [
      [2, 1, 65],
      [1, 4, 65],
    ],
  ])('broadcast %j with %j runs in blocks, bit for bit as on the JavaScript path', (sa, sb) => {
    const be = cpu({ simd: 'wasm' });
    const values = (shape: number[], seed: number) =>
      Array.from({ length: shape.reduce((x, y) => x * y, 1) }, (_, i) => Math.sin(i * seed) * 4);
    for (const op of ['add', 'mul', 'maximum'] as const) {
      const run = (b: CpuBackend) =>
        b[op](b.tensor(values(sa, 1.1), sa), b.tensor(values(sb, 2.3), sb));
      const got = run(be);
      const want = run(js);
      expect(got.shape).toEqual(want.shape);
      expect(bits(got), op).toEqual(bits(want));
    }
    expect(be.kernelPaths()['add: wasm simd (broadcast blocks)']).toBe(1);
  });

  it('records why a program stayed on the JavaScript loop', () => {
    const be = cpu({ simd: 'wasm' });
    be.exp(be.tensor([1, 2]));
    be.pow(be.tensor([1, 2]), 2);
    be.add(be.tensor([[1, 2]]), be.tensor([[1], [2]]));
    be.add(be.tensor([1, 2]), 1);
    be.sum(be.tensor([1, 2]));
    be.max(be.tensor([1, 2]));
    be.pow(be.tensor([1, 2]), be.tensor([2, 2]));
    expect(be.kernelPaths()).toEqual({
      'exp: wasm simd': 1,
      'pow: js loop (transcendental: pow)': 2,
      'add: js loop (broadcast blocks under 64 elements)': 1,
      'add: wasm simd': 1,
      'sum: wasm simd': 1,
      'max: wasm simd': 1,
    });
  });
});

describe('wasm simd sum, mean and max', () => {
  it.each([
    [[3, 37], 1],
    [[37, 13], 0],
    [[2, 5, 9], 1],
    [
      [4, 6, 3],
      [0, 2],
    ],
    [[1000], 0],
    [[5, 8], undefined],
  ] as const)(
    'shape %j over axes %j: the JavaScript path’s sums within float32 rounding',
    (shape, axes) => {
      const be = cpu({ simd: 'wasm' });
      const js = cpu({ simd: 'js' });
      const size = shape.reduce((a: number, b: number) => a * b, 1);
      const values = Array.from({ length: size }, (_, i) => Math.sin(i * 0.7) * 10);
      for (const op of ['sum', 'mean'] as const) {
        const got = be[op](be.tensor(values, shape), axes as number | number[] | undefined, true);
        const want = js[op](js.tensor(values, shape), axes as number | number[] | undefined, true);
        expect(got.shape).toEqual(want.shape);
        const [g, w] = [got.dataSync(), want.dataSync()];
        // float32 sums of ≤ 1000 terms of magnitude ≤ 10: a few ulp of the summed magnitude.
        w.forEach((v, i) => expect(Math.abs(g[i] - v)).toBeLessThan(1e-5 * size * 10));
      }
      expect(be.kernelPaths()['sum: wasm simd']).toBeGreaterThan(0);
    },
  );

  it.each([
    [[3, 37], 1],
    [[37, 13], 0],
    [
      [2, 5, 9],
      [0, 2],
    ],
  ] as const)('max over shape %j axes %j equals the JavaScript path exactly', (shape, axes) => {
    const be = cpu({ simd: 'wasm' });
    const js = cpu({ simd: 'js' });
    const size = shape.reduce((a: number, b: number) => a * b, 1);
    const values = Array.from({ length: size }, (_, i) => Math.sin(i * 0.7) * 10);
    const got = be.max(be.tensor(values, shape), axes as number | number[]);
    expect(bits(got)).toEqual(bits(js.max(js.tensor(values, shape), axes as number | number[])));
  });

  it('max: NaN wins, and a maximum of 0 has the sign of the first zero (rows and columns)', () => {
    const be = cpu({ simd: 'wasm' });
    const js = cpu({ simd: 'js' });
    const rows = [
      [-1, -0, 0, -2, -3, 0, -0],
      [-1, 0, -0, -2, -3, -0, 0],
      [-5, -4, -3, -2, -1, -0.5, -0],
      [1, 2, NaN, 4, 5, 6, 7],
      [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity],
    ];
    const flat = rows.flat();
    for (const axis of [0, 1]) {
      const got = be.max(be.tensor(flat, [5, 7]), axis);
      expect(bits(got), `axis ${axis}`).toEqual(bits(js.max(js.tensor(flat, [5, 7]), axis)));
    }
    const got = Array.from(be.max(be.tensor(flat, [5, 7]), 1).dataSync());
    expect(got.map((v) => Object.is(v, -0))).toEqual([true, false, true, false, false]);
  });

  it('empty reductions: sum 0 and mean NaN, as on the JavaScript path', () => {
    const be = cpu({ simd: 'wasm' });
    expect(Array.from(be.sum(be.zeros([0, 5]), 0).dataSync())).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(be.mean(be.zeros([5, 0]), 1).dataSync()).every(Number.isNaN)).toBe(true);
    expect(Array.from(be.sum(be.zeros([0, 3]), 1).dataSync())).toEqual([]);
  });
});

describe('wasm simd softmax, logSoftmax and softmax cross-entropy', () => {
  const js = cpu({ simd: 'js' });
  const close = (got: ArrayLike<number>, want: ArrayLike<number>, what: string) => {
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) {
      if (!Number.isFinite(want[i])) expect(got[i], `${what} [${i}]`).toBe(want[i]);
      else
        expect(Math.abs(got[i] - want[i]), `${what} [${i}]`).toBeLessThan(
          2e-6 * Math.max(1, Math.abs(want[i])),
        );
    }
  };

  it.each([1, 3, 4, 5, 9, 37])(
    'rows of width %i (vector part and tail) agree with the JavaScript path',
    (width) => {
      const be = cpu({ simd: 'wasm' });
      const rows = 6;
      const values = Array.from(
        { length: rows * width },
        (_, i) => Math.sin(i * 1.7) * 8 + (i % 3) * 100,
      );
      const labels = Array.from({ length: rows }, (_, i) => (i * 7) % width);
      for (const op of ['softmax', 'logSoftmax'] as const) {
        close(
          be[op](be.tensor(values, [rows, width])).dataSync(),
          js[op](js.tensor(values, [rows, width])).dataSync(),
          op,
        );
      }
      const ours = be.softmaxCrossEntropy(be.tensor(values, [rows, width]), be.tensor(labels));
      const theirs = js.softmaxCrossEntropy(js.tensor(values, [rows, width]), js.tensor(labels));
      close(ours.loss.dataSync(), theirs.loss.dataSync(), 'loss');
      close(ours.grad.dataSync(), theirs.grad.dataSync(), 'grad');
      expect(be.kernelPaths()).toMatchObject({
        'softmax: wasm simd': 1,
        'logSoftmax: wasm simd': 1,
        'softmaxCrossEntropy: wasm simd': 1,
      });
    },
  );

  it('a NaN or an infinity makes its row NaN, as on the JavaScript path; other rows are unaffected', () => {
    const be = cpu({ simd: 'wasm' });
    const values = [1, NaN, 3, 4, 5, 1, 2, 3, Infinity, 0, 1, 2, -Infinity, -Infinity, -Infinity];
    for (const op of ['softmax', 'logSoftmax'] as const) {
      close(
        be[op](be.tensor(values, [3, 5])).dataSync(),
        js[op](js.tensor(values, [3, 5])).dataSync(),
        op,
      );
    }
  });

  it('softmax over a leading axis transposes through the same kernels', () => {
    const be = cpu({ simd: 'wasm' });
    const values = Array.from({ length: 24 }, (_, i) => Math.cos(i) * 3);
    close(
      be.softmax(be.tensor(values, [4, 6]), 0).dataSync(),
      js.softmax(js.tensor(values, [4, 6]), 0).dataSync(),
      'softmax axis 0',
    );
  });
});

describe('wasm simd memory growth', () => {
  it('growth in the middle of a fused program: outputs allocated first, results right', () => {
    const program = defineUpdate({
      name: 'wasmTestGrow',
      inputs: ['p', 'g'],
      scalars: ['lr'],
      outputs: ['p', 'delta', 'old'],
      body: ({ p, g }, { lr }) => ({ p: p.sub(g.mul(lr)), delta: g.mul(lr), old: p }),
    });
    const be = cpu({ simd: 'wasm', initialMemoryPages: 1 });
    const n = 6000; // 24 KB per tensor: p and g fit in the first 64 KiB page, the two new outputs do not
    const p = be.tensor(Array.from({ length: n }, (_, i) => i));
    const g = be.tensor(Array.from({ length: n }, (_, i) => (i % 7) - 3));
    const grows = be.memoryInfo()!.grows;
    const { delta, old } = be.fusedUpdate(program, { p, g }, { lr: 0.5 });
    expect(be.memoryInfo()!.grows).toBeGreaterThan(grows);
    const pv = p.dataSync();
    const dv = delta.dataSync();
    const ov = old.dataSync();
    for (let i = 0; i < n; i++) {
      expect(pv[i]).toBe(i - ((i % 7) - 3) * 0.5);
      expect(dv[i]).toBe(((i % 7) - 3) * 0.5);
      expect(ov[i]).toBe(i);
    }
  });

  it('growth in the middle of a training step (JS-loop ops too) gives the JavaScript path’s results', () => {
    let growsInSteps = 0;
    const step = (be: CpuBackend): number[] => {
      const w = be.normal([64, 10], { seed: 1, std: 0.1 });
      const m = be.zeros([64, 10]);
      const v = be.zeros([64, 10]);
      const x = be.uniform([300, 64], { seed: 2 });
      const labels = be.tensor(Array.from({ length: 300 }, (_, i) => i % 10));
      const losses: number[] = [];
      const setUp = be.memoryInfo()?.grows ?? 0;
      for (let t = 1; t <= 3; t++) {
        const loss = tidy(() => {
          const logits = be.matmul(x, w);
          const shifted = be.sub(logits, be.max(logits, 1, true));
          const { loss, grad } = be.softmaxCrossEntropy(be.softmax(shifted), labels);
          const gw = be.matmul(x, grad, { transposeA: true });
          be.fusedUpdate(
            adam,
            { p: w, g: gw, m, v },
            {
              beta1: 0.9,
              beta2: 0.999,
              stepSize: 0.1 / (1 - 0.9 ** t),
              bc2Sqrt: Math.sqrt(1 - 0.999 ** t),
              eps: 1e-8,
            },
          );
          return loss;
        });
        losses.push(loss.dataSync()[0]);
        loss.dispose();
      }
      growsInSteps = (be.memoryInfo()?.grows ?? 0) - setUp;
      return [...losses, ...Array.from(w.dataSync())];
    };
    const be = cpu({ simd: 'wasm', initialMemoryPages: 1 });
    const got = step(be);
    // The memory grew during the steps, not only while the inputs were created.
    expect(growsInSteps).toBeGreaterThan(0);
    const want = step(cpu({ simd: 'js' }));
    got.forEach((g, i) =>
      expect(Math.abs(g - want[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(want[i]))),
    );
    expect(be.kernelPaths()['fusedUpdate(wasmTestAdam): wasm simd']).toBe(3);
  });

  it('a repeated tidy step reuses the memory: no growth, no new reserve after the first', () => {
    const be = cpu({ simd: 'wasm' });
    const w = be.normal([32, 16], { seed: 1 });
    const x = be.uniform([50, 32], { seed: 2 });
    const step = () =>
      tidy(() => {
        const h = be.relu(be.matmul(x, w));
        const g = be.matmul(x, h, { transposeA: true });
        be.fusedUpdate(
          adam,
          { p: w, g, m: be.zeros([32, 16]), v: be.zeros([32, 16]) },
          {
            beta1: 0.9,
            beta2: 0.999,
            stepSize: 0.01,
            bc2Sqrt: 1,
            eps: 1e-8,
          },
        );
      });
    const live = be.stats().liveBytes;
    step();
    const pooled = be.pooledBytes();
    const info = be.memoryInfo();
    expect(pooled).toBeGreaterThan(0);
    step();
    step();
    expect(be.pooledBytes()).toBe(pooled);
    expect(be.memoryInfo()).toEqual(info);
    expect(be.stats().liveBytes).toBe(live);
  });
});

describe('wasm simd convolutions', () => {
  /** Deterministic values in [-1, 1) on a 1/256 grid. */
  const values = (count: number, seed: number): number[] =>
    Array.from({ length: count }, (_, i) => (((i * 7919 + seed * 104729) % 512) - 256) / 256);

  // 23 images of 10x10 outputs: the weight gradient runs in chunks of 10, 10 and 3 images; 6
  // output channels and 27 taps leave partial A and B panels; stride 2 and non-square padding
  // exercise the patch packers' edges.
  const cases = [
    { x: [23, 3, 10, 10], w: [6, 3, 3, 3], options: { padding: 1 }, grows: true },
    {
      x: [5, 2, 11, 9],
      w: [7, 2, 5, 3],
      options: { stride: 2, padding: [2, 1] as const },
      grows: false,
    },
  ];
  for (const c of cases) {
    it(`conv2d and its gradients ${JSON.stringify(c)} agree with the JavaScript path`, () => {
      const wasm = cpu({ simd: 'wasm', initialMemoryPages: 1 });
      const js = cpu({ simd: 'js' });
      const results = [wasm, js].map((be) => {
        const x = be.tensor(
          values(
            c.x.reduce((a, b) => a * b),
            1,
          ),
          c.x,
        );
        const w = be.tensor(
          values(
            c.w.reduce((a, b) => a * b),
            2,
          ),
          c.w,
        );
        const y = be.conv2d(x, w, c.options);
        const dy = be.tensor(values(y.size, 3), y.shape);
        const dx = be.conv2dBackwardInput(dy, w, x.shape, c.options);
        const dw = be.conv2dBackwardWeight(x, dy, w.shape, c.options);
        return [y, dx, dw].map((t) => t.dataSync());
      });
      results[0].forEach((got, k) => {
        const want = results[1][k];
        let scale = 0;
        want.forEach((v) => (scale = Math.max(scale, Math.abs(v))));
        got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(1e-5 * scale));
      });
      expect(wasm.kernelPaths()).toMatchObject({
        'conv2d: wasm simd': 1,
        'conv2dBackwardInput: wasm simd': 1,
        'conv2dBackwardWeight: wasm simd': 1,
      });
      // Where the memory grew during the ops (1 page to start), scratch was taken before any view.
      if (c.grows) expect(wasm.memoryInfo()!.grows).toBeGreaterThan(0);
    });
  }

  it('scratch goes back to the heap: a repeated tidy step leaves no tensor and no growth', () => {
    const be = cpu({ simd: 'wasm' });
    const x = be.tensor(values(4 * 2 * 8 * 8, 4), [4, 2, 8, 8]);
    const w = be.tensor(values(3 * 2 * 3 * 3, 5), [3, 2, 3, 3]);
    const step = () =>
      tidy(() => {
        const y = be.conv2d(x, w, { padding: 1 });
        be.conv2dBackwardInput(y, w, x.shape, { padding: 1 });
        be.conv2dBackwardWeight(x, y, w.shape, { padding: 1 });
      });
    step();
    const { grows } = be.memoryInfo()!;
    const live = be.stats().liveTensors;
    for (let i = 0; i < 3; i++) step();
    expect(be.memoryInfo()!.grows).toBe(grows);
    expect(be.stats().liveTensors).toBe(live);
  });
});
