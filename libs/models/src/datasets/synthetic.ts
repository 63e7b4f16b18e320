import { Rng } from '@optlab/tensor';
import type { Dataset } from './dataset.js';

/*
 * Synthetic datasets, generated from a seeded `Rng` (xoroshiro128+), so the same options give
 * the same data everywhere. They follow the recipes of the tutorial and of scikit-learn's
 * make_* functions, but not NumPy's random stream: the numbers differ from NumPy's, the
 * distributions do not.
 */

/**
 * The tutorial's regression data: x = 2·U[0, 1), y = 4 + 3x + noise·N(0, 1), drawn as NumPy
 * draws them (all x first, then all noise). Least squares recovers b ≈ 4, w ≈ 3.
 */
export function linearData(options: { n: number; noise: number; seed: number }): Dataset {
  const { n, noise, seed } = options;
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = 2 * rng.uniform();
  for (let i = 0; i < n; i++) y[i] = 4 + 3 * x[i] + noise * rng.normal();
  return {
    name: `linear(n=${n}, noise=${noise}, seed=${seed})`,
    task: 'regression',
    n,
    features: 1,
    classes: 0,
    x,
    y,
    featureNames: ['x'],
  };
}

/**
 * The tutorial's classification data: features ~ N(0, 1), labels uniform on 0…classes−1,
 * independent of the features (`np.random.randn(1000, 20)`, `np.random.randint(0, 3, 1000)`):
 * there is nothing to learn beyond memorising, which is what the tutorial's comparison measures.
 */
export function randomClassification(options: {
  n: number;
  features: number;
  classes: number;
  seed: number;
}): Dataset {
  const { n, features, classes, seed } = options;
  const rng = new Rng(seed);
  const x = new Float64Array(n * features);
  rng.fillNormal(x);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = rng.int(0, classes - 1);
  return {
    name: `random-classification(n=${n}, features=${features}, classes=${classes}, seed=${seed})`,
    task: 'classification',
    n,
    features,
    classes,
    x,
    y,
  };
}
