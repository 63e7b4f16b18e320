import { expect } from 'vitest';
import { Expr, defineUpdate, where } from '../fused.js';
import { expectExact, expectTensor, expectTensorError } from './check.js';
import type { SuiteContext } from './suite.js';

/** p ← p − lr·g: one in-place output. */
const sgd = defineUpdate({
  name: 'conformanceSgd',
  inputs: ['p', 'g'],
  scalars: ['lr'],
  outputs: ['p'],
  body: ({ p, g }, { lr }) => ({ p: p.sub(g.mul(lr)) }),
});

/** Adam's update written once: three in-place outputs, the moments feeding the parameter. */
const adam = defineUpdate({
  name: 'conformanceAdam',
  inputs: ['p', 'g', 'm', 'v'],
  scalars: ['lr', 'beta1', 'beta2', 'bc1', 'bc2', 'eps'],
  outputs: ['m', 'v', 'p'],
  body: ({ p, g, m, v }, { lr, beta1, beta2, bc1, bc2, eps }) => {
    const m2 = m.lerp(g, Expr.of(1).sub(beta1));
    const v2 = v.mul(beta2).add(g.square().mul(Expr.of(1).sub(beta2)));
    const step = m2.div(bc1).div(v2.div(bc2).sqrt().add(eps));
    return { m: m2, v: v2, p: p.sub(step.mul(lr)) };
  },
});

/** New outputs only; broadcast inputs: a column [n,1], a row [1,m] and a [] scalar tensor. */
const affine = defineUpdate({
  name: 'conformanceAffine',
  inputs: ['x', 'col', 'row', 'k'],
  outputs: ['y', 'z'],
  body: ({ x, col, row, k }) => ({ y: x.mul(col).add(row), z: x.sub(k).relu() }),
});

/** One shared sub-expression used by two outputs and twice in one of them. */
const shared = defineUpdate({
  name: 'conformanceShared',
  inputs: ['a', 'b'],
  outputs: ['sq', 'mix'],
  body: ({ a, b }) => {
    const d = a.sub(b);
    return { sq: d.mul(d), mix: where(d, d.exp(), d.neg().tanh()).add(d.abs().pow(0.5)) };
  },
});

/** Every expression op once, against the same math in plain JavaScript doubles. */
const everyOp = defineUpdate({
  name: 'conformanceEveryOp',
  inputs: ['a', 'b'],
  scalars: ['s'],
  outputs: ['y'],
  body: ({ a, b }, { s }) => ({
    y: a
      .add(b)
      .mul(s)
      .div(b.abs().add(1))
      .sub(a.sigmoid())
      .add(a.maximum(b).minimum(1.5))
      .add(a.square().add(1).log())
      .add(a.sign().mul(b.tanh()))
      .add(b.abs().sqrt().pow(2))
      .add(a.neg().relu().exp())
      .add(a.lerp(b, 0.25)),
  }),
});

function everyOpReference(a: number, b: number, s: number): number {
  const sigmoid = 1 / (1 + Math.exp(-a));
  return (
    ((a + b) * s) / (Math.abs(b) + 1) -
    sigmoid +
    Math.min(Math.max(a, b), 1.5) +
    Math.log(a * a + 1) +
    Math.sign(a) * Math.tanh(b) +
    Math.pow(Math.sqrt(Math.abs(b)), 2) +
    Math.exp(Math.max(-a, 0)) +
    (a + (b - a) * 0.25)
  );
}

/** `fusedUpdate`: in-place and new outputs, broadcasting, shared sub-expressions, errors. */
export function fusedTests(suite: SuiteContext): void {
  suite.section('fusedUpdate', (s) => {
    s.test('in-place output: the same tensor, updated; other inputs unchanged', async () => {
      const p = s.backend.tensor([1, 2, 3, 4], [2, 2]);
      const g = s.backend.tensor([0.5, -1, 2, 0], [2, 2]);
      const out = s.backend.fusedUpdate(sgd, { p, g }, { lr: 0.5 });
      expect(out.p).toBe(p);
      expect(Object.keys(out)).toEqual(['p']);
      await expectExact(p, [2, 2], [0.75, 2.5, 2, 4]);
      await expectExact(g, [2, 2], [0.5, -1, 2, 0]);
      // A changed scalar takes effect on the next call.
      s.backend.fusedUpdate(sgd, { p, g }, { lr: -1 });
      await expectExact(p, [2, 2], [1.25, 1.5, 4, 4]);
    });

    s.test('Adam-shaped update: three in-place outputs over 3 steps vs plain JS', async () => {
      const n = 37;
      const p0 = Array.from({ length: n }, (_, i) => Math.sin(i) * 2);
      const grads = [0, 1, 2].map((t) => p0.map((_, i) => Math.cos(i * (t + 1)) / 4));
      const p = s.backend.tensor(p0, [n]);
      const m = s.backend.zeros([n]);
      const v = s.backend.zeros([n]);
      const ref = { p: [...p0], m: new Array<number>(n).fill(0), v: new Array<number>(n).fill(0) };
      const [lr, beta1, beta2, eps] = [0.01, 0.9, 0.999, 1e-8];
      for (let t = 1; t <= 3; t++) {
        const gHost = grads[t - 1];
        const g = s.backend.tensor(gHost, [n]);
        const scalars = { lr, beta1, beta2, eps, bc1: 1 - beta1 ** t, bc2: 1 - beta2 ** t };
        const out = s.backend.fusedUpdate(adam, { p, g, m, v }, scalars);
        expect(out.p).toBe(p);
        expect(out.m).toBe(m);
        expect(out.v).toBe(v);
        g.dispose();
        for (let i = 0; i < n; i++) {
          const gi = s.backend.dtype === 'float32' ? Math.fround(gHost[i]) : gHost[i];
          ref.m[i] = ref.m[i] + (gi - ref.m[i]) * (1 - beta1);
          ref.v[i] = ref.v[i] * beta2 + gi * gi * (1 - beta2);
          const step = ref.m[i] / scalars.bc1 / (Math.sqrt(ref.v[i] / scalars.bc2) + eps);
          ref.p[i] -= step * lr;
        }
      }
      // float32 storage rounds the moments each step; scale the tolerance by 10 for that.
      const tol = { rtol: s.tol.rtol * 10, atol: s.tol.atol * 10 };
      await expectTensor(m, [n], ref.m, tol);
      await expectTensor(v, [n], ref.v, tol);
      await expectTensor(p, [n], ref.p, tol);
    });

    s.test('new outputs with broadcast inputs: [n,1] column, [1,m] row, [] scalar', async () => {
      const x = s.backend.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
      const col = s.backend.tensor([10, -1], [2, 1]);
      const row = s.backend.tensor([0.5, 0, -0.5], [1, 3]);
      const k = s.backend.tensor(3);
      const out = s.backend.fusedUpdate(affine, { x, col, row, k });
      expect(Object.keys(out).sort()).toEqual(['y', 'z']);
      await expectExact(out.y, [2, 3], [10.5, 20, 29.5, -3.5, -5, -6.5]);
      await expectExact(out.z, [2, 3], [0, 0, 0, 1, 2, 3]);
      await expectExact(x, [2, 3], [1, 2, 3, 4, 5, 6]);
    });

    s.test('a [1] tensor and a rank-1 row broadcast like NumPy', async () => {
      const x = s.backend.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
      const out = s.backend.fusedUpdate(affine, {
        x,
        col: s.backend.tensor([2], [1]),
        row: s.backend.tensor([1, 2, 3]),
        k: s.backend.tensor([[0]]),
      });
      await expectExact(out.y, [2, 3], [3, 6, 9, 9, 12, 15]);
      await expectExact(out.z, [2, 3], [1, 2, 3, 4, 5, 6]);
    });

    s.test('the output shape is the broadcast of all inputs', async () => {
      const out = s.backend.fusedUpdate(affine, {
        x: s.backend.tensor([1, 2], [2, 1]),
        col: s.backend.tensor(2),
        row: s.backend.tensor([10, 20, 30], [1, 3]),
        k: s.backend.tensor(0),
      });
      await expectExact(out.y, [2, 3], [12, 22, 32, 14, 24, 34]);
    });

    s.test('shared sub-expressions give the same values as written out', async () => {
      const av = [3, -1, 0.5, 2];
      const bv = [1, 1, 0.5, 4];
      const out = s.backend.fusedUpdate(shared, {
        a: s.backend.tensor(av),
        b: s.backend.tensor(bv),
      });
      const d = av.map((a, i) => a - bv[i]);
      await expectTensor(
        out.sq,
        [4],
        d.map((x) => x * x),
        s.tol,
      );
      await expectTensor(
        out.mix,
        [4],
        d.map((x) => (x > 0 ? Math.exp(x) : Math.tanh(-x)) + Math.sqrt(Math.abs(x))),
        s.tol,
      );
    });

    s.test('every expression op (and where, lerp, constants) vs plain JS', async () => {
      const av = [-2.5, -1, -0.25, 0, 0.5, 1, 3, 7];
      const bv = [1.5, -3, 0.75, -0.5, 2, -1, 0, 4];
      const out = s.backend.fusedUpdate(
        everyOp,
        { a: s.backend.tensor(av, [2, 4]), b: s.backend.tensor(bv, [2, 4]) },
        { s: 0.75 },
      );
      const ref = av.map((a, i) => everyOpReference(a, bv[i], 0.75));
      await expectTensor(out.y, [2, 4], ref, { rtol: s.tol.rtol * 10, atol: s.tol.atol * 10 });
    });

    s.test('errors: missing tensor, missing scalar', () => {
      const p = s.backend.zeros([3]);
      expectTensorError(() => s.backend.fusedUpdate(sgd, { p }, { lr: 1 }), 'missing tensor "g"');
      expectTensorError(
        () => s.backend.fusedUpdate(sgd, { p, g: s.backend.zeros([3]) }, {}),
        'missing scalar "lr"',
      );
      expectTensorError(
        () => s.backend.fusedUpdate(sgd, { p, g: s.backend.zeros([3]) }),
        'missing scalar "lr"',
      );
    });

    s.test('errors: inputs that do not broadcast name the program and both shapes', () => {
      expectTensorError(
        () =>
          s.backend.fusedUpdate(
            sgd,
            { p: s.backend.zeros([2, 3]), g: s.backend.zeros([4]) },
            {
              lr: 1,
            },
          ),
        'conformanceSgd',
        '[2,3]',
        '[4]',
      );
    });

    s.test('errors: an in-place output smaller than the broadcast shape', async () => {
      const p = s.backend.tensor([1, 2, 3], [1, 3]);
      expectTensorError(
        () => s.backend.fusedUpdate(sgd, { p, g: s.backend.zeros([2, 3]) }, { lr: 1 }),
        'conformanceSgd',
        '[1,3]',
        '[2,3]',
      );
      await expectExact(p, [1, 3], [1, 2, 3]);
    });
  });
}
