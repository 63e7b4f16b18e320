import { describe, expect, it } from 'vitest';
import { Rng, cpu, tidy } from '@optlab/tensor';
import { Dense, GELU, ReLU, Sequential, Sigmoid, Tanh, initWeights } from '../src/index.js';
import { be64, checkLayerGrads, expectAllClose } from './helpers.js';
import { refs } from './references.js';

describe('gradient checks (float64, central differences)', () => {
  it('Dense', () => {
    const dense = new Dense(be64, 3, 4, { init: 'xavier-normal', rng: 1 });
    dense.b.value = be64.tensor([0.1, -0.2, 0.3, 0.05]);
    checkLayerGrads(dense, [5, 3], 2);
  });
  it('Tanh', () => checkLayerGrads(new Tanh(be64), [4, 3], 3));
  it('Sigmoid', () => checkLayerGrads(new Sigmoid(be64), [4, 3], 4));
  it('GELU (tanh form)', () => checkLayerGrads(new GELU(be64), [4, 3], 5));
  it('ReLU (away from the kink at 0)', () => {
    checkLayerGrads(new ReLU(be64), [2, 4], 6, [-1.5, 0.3, 2, -0.2, 0.7, -3, 1.1, -0.01]);
  });
  it('Sequential(Dense, Tanh, Dense, GELU, Dense)', () => {
    const rng = new Rng(7);
    const net = new Sequential([
      new Dense(be64, 3, 5, { rng }),
      new Tanh(be64),
      new Dense(be64, 5, 4, { rng }),
      new GELU(be64),
      new Dense(be64, 4, 2, { rng }),
    ]);
    expect(net.parameters()).toHaveLength(6);
    checkLayerGrads(net, [6, 3], 8);
  });
});

describe('activations match PyTorch', () => {
  const { x, y, dydx } = refs.gelu_tanh;
  it("GELU is nn.GELU(approximate='tanh'), forward and backward", () => {
    const gelu = new GELU(be64);
    const xt = be64.tensor(x);
    const [out, grad] = tidy(() => {
      const o = gelu.forward(xt);
      return [o, gelu.backward(be64.ones([x.length]))];
    });
    expectAllClose(out.dataSync(), y, 1e-12, 1e-15);
    expectAllClose(grad.dataSync(), dydx, 1e-12, 1e-15);
  });
  it('ReLU passes the gradient where x > 0 and blocks it at and below 0', () => {
    const relu = new ReLU(be64);
    const g = tidy(() => {
      relu.forward(be64.tensor([-1, 0, 2]));
      return relu.backward(be64.tensor([5, 6, 7]));
    });
    expect(Array.from(g.dataSync())).toEqual([0, 0, 7]);
  });
  it('Tanh and Sigmoid backward use the remembered output', () => {
    const tanh = new Tanh(be64);
    const sigmoid = new Sigmoid(be64);
    const [gt, gs] = tidy(() => {
      tanh.forward(be64.tensor([0.5]));
      sigmoid.forward(be64.tensor([0.5]));
      return [tanh.backward(be64.tensor([2])), sigmoid.backward(be64.tensor([2]))];
    });
    const s = 1 / (1 + Math.exp(-0.5));
    expectAllClose(gt.dataSync(), [2 * (1 - Math.tanh(0.5) ** 2)], 1e-14);
    expectAllClose(gs.dataSync(), [2 * s * (1 - s)], 1e-14);
  });
});

describe('layers', () => {
  it('Dense computes x·W + b with W [in, out]', () => {
    const dense = new Dense(be64, 2, 3, { init: 'zeros' });
    dense.W.value = be64.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    dense.b.value = be64.tensor([0.5, 0, -1]);
    const y = tidy(() => dense.forward(be64.tensor([[1, -1]])));
    expect(Array.from(y.dataSync())).toEqual([-2.5, -3, -4]);
  });

  it('Dense refuses an input of the wrong width, naming the shapes', () => {
    const dense = new Dense(be64, 3, 2);
    expect(() => dense.forward(be64.zeros([4, 2]))).toThrow(
      'Dense(3→2): input has shape [4,2], expected [N,3]',
    );
  });

  it('backward before forward is a clear error', () => {
    expect(() => new Tanh(be64).backward(be64.zeros([1]))).toThrow(/needs forward\(\) first/);
    expect(() => new Dense(be64, 1, 1).backward(be64.zeros([1, 1]))).toThrow(
      /Dense\(1→1\): backward\(\) needs forward\(\) first/,
    );
  });

  it('backward replaces each gradient (Parameter owns it) instead of accumulating', () => {
    const dense = new Dense(be64, 2, 1, { rng: 3 });
    const x = be64.tensor([[1, 2]]);
    const step = (): number[] =>
      tidy(() => {
        dense.forward(x);
        dense.backward(be64.ones([1, 1]));
        return Array.from(dense.W.grad!.dataSync());
      });
    expect(step()).toEqual([1, 2]);
    expect(step()).toEqual([1, 2]);
  });

  it('backwardParameters writes the same gradients as backward, without the input gradient', () => {
    const rng = new Rng(4);
    const net = new Sequential([
      new Dense(be64, 3, 4, { rng }),
      new Tanh(be64),
      new Dense(be64, 4, 2, { rng }),
    ]);
    const x = be64.tensor(
      Array.from({ length: 15 }, (_, i) => Math.sin(i)),
      [5, 3],
    );
    const g = be64.tensor(
      Array.from({ length: 10 }, (_, i) => Math.cos(i)),
      [5, 2],
    );
    const run = (full: boolean): { grads: number[][]; kernels: number } => {
      const before = be64.stats().kernels;
      tidy(() => {
        net.forward(x);
        if (full) net.backward(g);
        else net.backwardParameters(g);
      });
      return {
        grads: net.parameters().map((p) => Array.from(p.grad!.dataSync())),
        kernels: be64.stats().kernels - before,
      };
    };
    const full = run(true);
    const params = run(false);
    expect(params.grads).toEqual(full.grads);
    expect(params.kernels).toBe(full.kernels - 1); // one matmul fewer
  });

  it('same seed, same initial weights on float32 and float64 backends', () => {
    const a = new Dense(cpu({ dtype: 'float32' }), 5, 7, { init: 'kaiming-normal', rng: 11 });
    const b = new Dense(be64, 5, 7, { init: 'kaiming-normal', rng: 11 });
    expectAllClose(a.W.value.dataSync(), b.W.value.dataSync(), 1e-7);
    const c = new Dense(be64, 5, 7, { init: 'kaiming-normal', rng: 12 });
    expect(Array.from(c.W.value.dataSync())).not.toEqual(Array.from(b.W.value.dataSync()));
  });
});

describe('initialisers', () => {
  const fanIn = 200;
  const fanOut = 100;
  const stats = (init: Parameters<typeof initWeights>[0]) => {
    const w = new Float64Array(fanIn * fanOut);
    initWeights(init, w, fanIn, fanOut, new Rng(1));
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const variance = w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length;
    const maxAbs = w.reduce((a, b) => Math.max(a, Math.abs(b)), 0);
    return { mean, std: Math.sqrt(variance), maxAbs };
  };
  it.each([
    ['small-normal', 0.01],
    ['xavier-normal', Math.sqrt(2 / (fanIn + fanOut))],
    ['xavier-uniform', Math.sqrt(6 / (fanIn + fanOut)) / Math.sqrt(3)],
    ['kaiming-normal', Math.sqrt(2 / fanIn)],
    ['kaiming-uniform', Math.sqrt(6 / fanIn) / Math.sqrt(3)],
    // σ·√(1 − 2·2φ(2)/(2Φ(2) − 1)): the std of N(0, σ²) truncated at ±2σ.
    ['deepobs-truncated-normal', 0.03 * 0.8796256610342398],
  ] as const)('%s has std %f (20,000 draws, within 2%%)', (init, std) => {
    const s = stats(init);
    expect(Math.abs(s.std / std - 1)).toBeLessThan(0.02);
    expect(Math.abs(s.mean)).toBeLessThan(0.02 * std);
  });
  it('uniform initialisers stay inside their bound', () => {
    expect(stats('xavier-uniform').maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / (fanIn + fanOut)));
    expect(stats('kaiming-uniform').maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / fanIn));
    expect(stats('deepobs-truncated-normal').maxAbs).toBeLessThanOrEqual(0.06);
  });
  it('zeros is zeros; an unknown name lists the known ones', () => {
    expect(stats('zeros')).toEqual({ mean: 0, std: 0, maxAbs: 0 });
    expect(() => initWeights('he' as never, new Float64Array(1), 1, 1, new Rng(0))).toThrow(
      'unknown initialiser "he"; known: small-normal, xavier-uniform, xavier-normal, kaiming-uniform, kaiming-normal, deepobs-truncated-normal, deepobs-2c2d-truncated-normal, pytorch-default, zeros',
    );
  });
});
