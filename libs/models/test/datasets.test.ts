import { describe, expect, it } from 'vitest';
import { cpu } from '@optlab/tensor';
import {
  BatchSampler,
  DATASETS,
  Standardizer,
  classCounts,
  loadDataset,
  standardize,
  subset,
  toTensors,
  trainTestSplit,
  type Dataset,
  type DatasetSpec,
} from '../src/index.js';
import { expectAllClose } from './helpers.js';

const generated: DatasetSpec[] = [
  { kind: 'linear' },
  { kind: 'random-classification', n: 200 },
  { kind: 'blobs' },
  { kind: 'moons' },
  { kind: 'circles' },
  { kind: 'spirals' },
];

describe.each(generated)('generated dataset %o', (spec) => {
  it('same seed, same data; another seed, different data', async () => {
    const a = await loadDataset({ ...spec, seed: 1 });
    const b = await loadDataset({ ...spec, seed: 1 });
    const c = await loadDataset({ ...spec, seed: 2 });
    expect(a.x).toEqual(b.x);
    expect(a.y).toEqual(b.y);
    expect(a.x).not.toEqual(c.x);
  });
  it('has the shape its registry entry and options say', async () => {
    const info = DATASETS[spec.kind];
    const d = await loadDataset(spec);
    expect(d.task).toBe(info.task);
    expect(d.x.length).toBe(d.n * d.features);
    expect(d.y.length).toBe(d.n);
    if (info.features !== null) expect(d.features).toBe(info.features);
    if (d.task === 'classification') {
      const counts = classCounts(d);
      expect(counts).toHaveLength(d.classes);
      expect(counts.every((c) => c > 0)).toBe(true);
    }
  });
});

describe('the tutorial datasets', () => {
  it('linear: 100 points, x in [0, 2), y = 4 + 3x + N(0, 1) noise', async () => {
    const d = await loadDataset({ kind: 'linear' });
    expect([d.n, d.features, d.classes]).toEqual([100, 1, 0]);
    expect(d.x.every((v) => v >= 0 && v < 2)).toBe(true);
    const residuals = Array.from(d.y, (y, i) => y - 4 - 3 * d.x[i]);
    const mean = residuals.reduce((a, b) => a + b, 0) / d.n;
    const std = Math.sqrt(residuals.reduce((a, b) => a + (b - mean) ** 2, 0) / d.n);
    expect(Math.abs(mean)).toBeLessThan(0.3);
    expect(std).toBeGreaterThan(0.75);
    expect(std).toBeLessThan(1.25);
    const quiet = await loadDataset({ kind: 'linear', noise: 0, n: 5 });
    expect(Array.from(quiet.y)).toEqual(Array.from(quiet.x, (x) => 4 + 3 * x));
  });
  it('random-classification: 1,000 × 20 features, 3 classes', async () => {
    const d = await loadDataset({ kind: 'random-classification' });
    expect([d.n, d.features, d.classes]).toEqual([1000, 20, 3]);
    expect(d.y.every((v) => v === 0 || v === 1 || v === 2)).toBe(true);
    const counts = classCounts(d);
    for (const c of counts) expect(Math.abs(c - 1000 / 3)).toBeLessThan(60);
  });
});

describe('2-D shapes follow their recipes', () => {
  it('moons without noise lie on the two unit half circles', async () => {
    const d = await loadDataset({ kind: 'moons', n: 50, noise: 0 });
    expect(classCounts(d)).toEqual([25, 25]);
    for (let i = 0; i < d.n; i++) {
      const [x, y] = [d.x[2 * i], d.x[2 * i + 1]];
      const r = d.y[i] === 0 ? Math.hypot(x, y) : Math.hypot(x - 1, y - 0.5);
      expect(r).toBeCloseTo(1, 12);
    }
  });
  it('circles without noise have radii 1 and factor', async () => {
    const d = await loadDataset({ kind: 'circles', n: 40, noise: 0, factor: 0.5 });
    for (let i = 0; i < d.n; i++) {
      expect(Math.hypot(d.x[2 * i], d.x[2 * i + 1])).toBeCloseTo(d.y[i] === 0 ? 1 : 0.5, 12);
    }
  });
  it('blobs split rows evenly over the centres; spirals stay within radius 1', async () => {
    expect(classCounts(await loadDataset({ kind: 'blobs', n: 100, centers: 3 }))).toEqual([
      34, 33, 33,
    ]);
    const s = await loadDataset({ kind: 'spirals', n: 90, classes: 3 });
    expect(classCounts(s)).toEqual([30, 30, 30]);
    for (let i = 0; i < s.n; i++) {
      expect(Math.hypot(s.x[2 * i], s.x[2 * i + 1])).toBeLessThanOrEqual(1 + 1e-12);
    }
  });
});

describe('real datasets (shipped as JSON modules)', () => {
  it.each([
    ['iris', 150, 4, [50, 50, 50]],
    ['digits', 1797, 64, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]],
    ['wine', 178, 13, [59, 71, 48]],
    ['breast-cancer', 569, 30, [212, 357]],
  ] as const)('%s: %i rows × %i features, class counts %j', async (kind, n, features, counts) => {
    const d = await loadDataset({ kind });
    expect([d.n, d.features, d.classes]).toEqual([n, features, counts.length]);
    expect(classCounts(d)).toEqual(counts);
    expect(d.featureNames).toHaveLength(features);
    expect(d.classNames).toHaveLength(counts.length);
    expect(DATASETS[kind].source).toMatch(/UCI/);
  });
  it('values survive the conversion (first rows as in the source files)', async () => {
    const iris = await loadDataset({ kind: 'iris' });
    expect(Array.from(iris.x.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2]);
    expect(iris.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    const digits = await loadDataset({ kind: 'digits' });
    expect(Array.from(digits.x.subarray(0, 16))).toEqual([
      0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0,
    ]);
    expect(digits.y[0]).toBe(0);
    expect(digits.x.every((v) => Number.isInteger(v) && v >= 0 && v <= 16)).toBe(true);
    const cancer = await loadDataset({ kind: 'breast-cancer' });
    expect(cancer.x[0]).toBe(17.99);
    expect(cancer.classNames).toEqual(['malignant', 'benign']);
    expect((await loadDataset({ kind: 'wine' })).x[12]).toBe(1065);
  });
});

describe('loadDataset errors', () => {
  it('names the unknown kind, the option and the allowed values', async () => {
    await expect(loadDataset({ kind: 'emnist' })).rejects.toThrow(
      'unknown dataset "emnist"; known: linear, random-classification, blobs, moons, circles, spirals, iris, digits, wine, breast-cancer, fashion-mnist, mnist, idx, deepobs-quadratic, csv',
    );
    await expect(loadDataset({ kind: 'moons', noise: -1 })).rejects.toThrow(
      'dataset "moons": option "noise" must be ≥ 0, got -1',
    );
    await expect(loadDataset({ kind: 'moons', n: 10.5 })).rejects.toThrow(
      'dataset "moons": option "n" must be an integer, got 10.5',
    );
    await expect(loadDataset({ kind: 'iris', seed: 1 })).rejects.toThrow(
      'dataset "iris": unknown option "seed"; known: (none)',
    );
    await expect(
      loadDataset({ kind: 'random-classification', n: 1_000_000, features: 1000 }),
    ).rejects.toThrow('exceeds the limit');
    await expect(loadDataset({ kind: 'csv' })).rejects.toThrow(
      'dataset "csv": the CSV contents are required: give "text", or a file in "path"',
    );
  });
});

/** A small labelled dataset: row i has feature i and class i % 3. */
function toy(n: number): Dataset {
  return {
    name: 'toy',
    task: 'classification',
    n,
    features: 1,
    classes: 3,
    x: Float64Array.from({ length: n }, (_, i) => i),
    y: Float64Array.from({ length: n }, (_, i) => i % 3),
  };
}

describe('trainTestSplit', () => {
  it('partitions the rows, seeded', () => {
    const { train, test } = trainTestSplit(toy(40), { testFraction: 0.25, seed: 3 });
    expect([train.n, test.n]).toEqual([30, 10]);
    const rows = [...train.x, ...test.x].sort((a, b) => a - b);
    expect(rows).toEqual(Array.from({ length: 40 }, (_, i) => i));
    // Labels travel with their rows.
    for (const part of [train, test]) {
      part.x.forEach((v, i) => expect(part.y[i]).toBe(v % 3));
    }
    const again = trainTestSplit(toy(40), { testFraction: 0.25, seed: 3 });
    expect(again.test.x).toEqual(test.x);
    expect(trainTestSplit(toy(40), { testFraction: 0.25, seed: 4 }).test.x).not.toEqual(test.x);
  });
  it('stratified: each class keeps its share', () => {
    const { train, test } = trainTestSplit(toy(60), { testFraction: 0.2, stratify: true, seed: 1 });
    expect(classCounts(test)).toEqual([4, 4, 4]);
    expect(classCounts(train)).toEqual([16, 16, 16]);
  });
  it('refuses a fraction outside (0, 1)', () => {
    expect(() => trainTestSplit(toy(10), { testFraction: 1 })).toThrow(
      'trainTestSplit: testFraction must be in (0, 1), got 1',
    );
  });
});

describe('standardisation', () => {
  it('fits mean and population std on train only and applies them to test', () => {
    const make = (rows: number[][]): Dataset => ({
      name: 'm',
      task: 'regression',
      n: rows.length,
      features: 2,
      classes: 0,
      x: Float64Array.from(rows.flat()),
      y: new Float64Array(rows.length),
    });
    const train = make([
      [1, 5],
      [3, 5],
      [5, 5],
    ]);
    const test = make([[7, 6]]);
    const out = standardize(train, test);
    const s = Math.sqrt(8 / 3);
    expectAllClose(out.scaler.mean, [3, 5], 0);
    expectAllClose(out.scaler.std, [s, 1], 1e-15);
    expectAllClose(out.train.x, [-2 / s, 0, 0, 0, 2 / s, 0], 1e-15);
    expectAllClose(out.test!.x, [4 / s, 1], 1e-15);
    expect(train.x[0]).toBe(1); // the input is not modified
    expect(() => Standardizer.fit(train).transform(toy(3))).toThrow(
      'Standardizer: fitted on 2 features, toy has 1',
    );
  });
});

describe('BatchSampler', () => {
  it('covers every row once per epoch; same seed same order, new order each epoch', () => {
    const a = new BatchSampler(10, { batchSize: 4, seed: 7 });
    const b = new BatchSampler(10, { batchSize: 4, seed: 7 });
    const e1 = a.nextEpoch();
    expect(e1.map((x) => x.length)).toEqual([4, 4, 2]);
    expect([...e1.flatMap((x) => Array.from(x))].sort((p, q) => p - q)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(b.nextEpoch()).toEqual(e1);
    expect(a.nextEpoch()).not.toEqual(e1);
    expect(a.batchesPerEpoch).toBe(3);
  });
  it("without shuffle it walks the rows in order (the tutorial's X[i:i+batch_size])", () => {
    const s = new BatchSampler(5, { batchSize: 2, shuffle: false, dropLast: true });
    expect(s.nextEpoch().map((x) => Array.from(x))).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });
  it('the indices feed backend.gather and toTensors', () => {
    const be = cpu({ dtype: 'float64' });
    const data = toy(6);
    const { x, y } = toTensors(be, data);
    expect([x.shape, y.shape]).toEqual([[6, 1], [6]]);
    const rows = [4, 1];
    expect(Array.from(be.gather(x, rows).dataSync())).toEqual([4, 1]);
    expect(Array.from(toTensors(be, data, rows).y.dataSync())).toEqual([1, 1]);
    expect(subset(data, rows).n).toBe(2);
    expect(() => new BatchSampler(5, { batchSize: 0 })).toThrow(
      'BatchSampler: batchSize must be a positive integer, got 0',
    );
  });
});
