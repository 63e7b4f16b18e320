import { describe, expect, it } from 'vitest';
import { Rng, cpu, tidy, type Tensor } from '@optlab/tensor';
import { BinaryCrossEntropy, MSELoss, SoftmaxCrossEntropy, type Loss } from '../src/index.js';
import { be64, expectAllClose, numericGrad, scalar } from './helpers.js';
import { refs } from './references.js';

/** ∂loss/∂prediction from forwardBackward against central differences of forward. */
function gradCheck(loss: Loss, prediction: number[], shape: number[], target: Tensor): void {
  const p = be64.tensor(prediction, shape);
  const { grad } = tidy(() => loss.forwardBackward(p, target));
  const numeric = numericGrad(
    (v) => tidy(() => scalar(loss.forward(be64.tensor(v, shape), target))),
    prediction,
  );
  expectAllClose(grad.dataSync(), numeric, 1e-6, 1e-9);
}

describe('MSELoss', () => {
  const r = refs.mse;
  it('matches torch.nn.MSELoss() (mean over all elements, no ½)', () => {
    const mse = new MSELoss(be64);
    const { loss, grad } = mse.forwardBackward(
      be64.tensor(r.prediction, r.shape),
      be64.tensor(r.target, r.shape),
    );
    expectAllClose([scalar(loss)], [r.loss], 1e-14);
    expectAllClose(grad.dataSync(), r.grad, 1e-14);
  });
  it('gradient check', () => {
    gradCheck(new MSELoss(be64), r.prediction, r.shape, be64.tensor(r.target, r.shape));
  });
  it('refuses mismatched shapes, naming both', () => {
    expect(() => new MSELoss(be64).forward(be64.zeros([3, 1]), be64.zeros([3]))).toThrow(
      'MSELoss: prediction [3,1] and target [3] must have the same shape',
    );
  });
});

describe('SoftmaxCrossEntropy', () => {
  const r = refs.cross_entropy;
  const labels = be64.tensor(r.labels);
  it('matches torch.nn.CrossEntropyLoss() on logits', () => {
    const { loss, grad } = new SoftmaxCrossEntropy(be64).forwardBackward(
      be64.tensor(r.logits, r.shape),
      labels,
    );
    expectAllClose([scalar(loss)], [r.loss], 1e-14);
    expectAllClose(grad.dataSync(), r.grad, 1e-13);
  });
  it('gradient check', () => {
    gradCheck(new SoftmaxCrossEntropy(be64), r.logits, r.shape, labels);
  });
});

describe('BinaryCrossEntropy (with logits)', () => {
  const r = refs.bce_with_logits;
  it('matches torch.nn.BCEWithLogitsLoss(), finite for logits of ±900', () => {
    const { loss, grad } = new BinaryCrossEntropy(be64).forwardBackward(
      be64.tensor(r.logits, r.shape),
      be64.tensor(r.targets, r.shape),
    );
    expect(Number.isFinite(scalar(loss))).toBe(true);
    expectAllClose([scalar(loss)], [r.loss], 1e-13);
    expectAllClose(grad.dataSync(), r.grad, 1e-13, 1e-300);
  });
  it('stays finite in float32 too', () => {
    const be32 = cpu({ dtype: 'float32' });
    const loss = new BinaryCrossEntropy(be32).forward(
      be32.tensor(r.logits, r.shape),
      be32.tensor(r.targets, r.shape),
    );
    expectAllClose([scalar(loss)], [r.loss], 1e-5);
  });
  it('gradient check (moderate logits)', () => {
    const rng = new Rng(3);
    const z = Array.from({ length: 6 }, () => 3 * rng.normal());
    gradCheck(new BinaryCrossEntropy(be64), z, [6, 1], be64.tensor([0, 1, 1, 0, 0.3, 1], [6, 1]));
  });
});
