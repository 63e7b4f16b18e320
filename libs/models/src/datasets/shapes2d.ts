import { Rng } from '@optlab/tensor';
import type { Dataset } from './dataset.js';

/*
 * 2-D classification datasets after scikit-learn's make_blobs, make_moons and make_circles (and
 * the classic CS231n spirals), generated from a seeded `Rng`: the same recipe, not NumPy's
 * stream. Rows are shuffled, as sklearn does by default.
 */

function classification(
  name: string,
  points: number[],
  labels: number[],
  classes: number,
  rng: Rng,
): Dataset {
  const n = labels.length;
  const order = rng.permutation(n);
  const x = new Float64Array(2 * n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = order[i];
    x[2 * i] = points[2 * r];
    x[2 * i + 1] = points[2 * r + 1];
    y[i] = labels[r];
  }
  return { name, task: 'classification', n, features: 2, classes, x, y, featureNames: ['x', 'y'] };
}

/** `count` evenly spaced values from `from` to `to`, both included (np.linspace). */
function linspace(from: number, to: number, count: number): number[] {
  if (count === 1) return [from];
  return Array.from({ length: count }, (_, i) => from + ((to - from) * i) / (count - 1));
}

/** Sizes of `parts` groups that share n as evenly as possible, the first ones larger. */
function split(n: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0));
}

/**
 * Isotropic Gaussian blobs: `centers` centres drawn uniformly in [−10, 10]², each with n/centers
 * points of standard deviation `clusterStd` (sklearn's make_blobs with n_features = 2).
 */
export function blobs(options: {
  n: number;
  centers: number;
  clusterStd: number;
  seed: number;
}): Dataset {
  const { n, centers, clusterStd, seed } = options;
  const rng = new Rng(seed);
  const middle: number[] = [];
  for (let c = 0; c < centers; c++) middle.push(-10 + 20 * rng.uniform(), -10 + 20 * rng.uniform());
  const points: number[] = [];
  const labels: number[] = [];
  split(n, centers).forEach((count, c) => {
    for (let i = 0; i < count; i++) {
      points.push(
        middle[2 * c] + clusterStd * rng.normal(),
        middle[2 * c + 1] + clusterStd * rng.normal(),
      );
      labels.push(c);
    }
  });
  return classification(
    `blobs(n=${n}, centers=${centers}, clusterStd=${clusterStd}, seed=${seed})`,
    points,
    labels,
    centers,
    rng,
  );
}

/** Two interleaving half circles plus Gaussian noise (sklearn's make_moons). */
export function moons(options: { n: number; noise: number; seed: number }): Dataset {
  const { n, noise, seed } = options;
  const rng = new Rng(seed);
  const outer = Math.floor(n / 2);
  const inner = n - outer;
  const points: number[] = [];
  const labels: number[] = [];
  for (const t of linspace(0, Math.PI, outer)) {
    points.push(Math.cos(t), Math.sin(t));
    labels.push(0);
  }
  for (const t of linspace(0, Math.PI, inner)) {
    points.push(1 - Math.cos(t), 1 - Math.sin(t) - 0.5);
    labels.push(1);
  }
  for (let i = 0; i < points.length; i++) points[i] += noise * rng.normal();
  return classification(`moons(n=${n}, noise=${noise}, seed=${seed})`, points, labels, 2, rng);
}

/**
 * A large circle containing a smaller one, radius ratio `factor`, plus Gaussian noise
 * (sklearn's make_circles).
 */
export function circles(options: {
  n: number;
  noise: number;
  factor: number;
  seed: number;
}): Dataset {
  const { n, noise, factor, seed } = options;
  const rng = new Rng(seed);
  const outer = Math.floor(n / 2);
  const inner = n - outer;
  const points: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < outer; i++) {
    const t = (2 * Math.PI * i) / outer;
    points.push(Math.cos(t), Math.sin(t));
    labels.push(0);
  }
  for (let i = 0; i < inner; i++) {
    const t = (2 * Math.PI * i) / inner;
    points.push(factor * Math.cos(t), factor * Math.sin(t));
    labels.push(1);
  }
  for (let i = 0; i < points.length; i++) points[i] += noise * rng.normal();
  return classification(
    `circles(n=${n}, noise=${noise}, factor=${factor}, seed=${seed})`,
    points,
    labels,
    2,
    rng,
  );
}

/**
 * Interleaved spiral arms, one per class (the CS231n spirals): arm k has radius r from 0 to 1
 * and angle 4k…4(k+1) radians plus noise·N(0, 1).
 */
export function spirals(options: {
  n: number;
  classes: number;
  noise: number;
  seed: number;
}): Dataset {
  const { n, classes, noise, seed } = options;
  const rng = new Rng(seed);
  const points: number[] = [];
  const labels: number[] = [];
  split(n, classes).forEach((count, k) => {
    const radii = linspace(0, 1, count);
    const angles = linspace(4 * k, 4 * (k + 1), count);
    for (let i = 0; i < count; i++) {
      const t = angles[i] + noise * rng.normal();
      points.push(radii[i] * Math.sin(t), radii[i] * Math.cos(t));
      labels.push(k);
    }
  });
  return classification(
    `spirals(n=${n}, classes=${classes}, noise=${noise}, seed=${seed})`,
    points,
    labels,
    classes,
    rng,
  );
}
