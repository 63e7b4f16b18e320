import { describe, expect, it } from 'vitest';
import { cpu } from '@optlab/tensor';
import {
  DATASETS,
  FUNCTIONS,
  MODELS,
  checkDatasetOptions,
  checkFunctionOptions,
  checkModelOptions,
  createFunction,
  createModel,
  datasetShape,
  functionDimension,
  loadDataset,
  modelParameterCount,
  modelParameterLayout,
} from '../src/index.js';

const PROPERTY_NAMES = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'];

describe('registries: own names only', () => {
  it.each(PROPERTY_NAMES)(
    '%s is an unknown dataset, model and function everywhere',
    async (name) => {
      const known = (r: object) => Object.keys(r).join(', ');
      expect(checkDatasetOptions(name)).toEqual([
        { path: ['type'], message: `unknown dataset "${name}"; known: ${known(DATASETS)}` },
      ]);
      expect(checkModelOptions(name)).toEqual([
        { path: ['type'], message: `unknown model "${name}"; known: ${known(MODELS)}` },
      ]);
      expect(checkFunctionOptions(name)).toEqual([
        { path: ['type'], message: `unknown function "${name}"; known: ${known(FUNCTIONS)}` },
      ]);
      await expect(loadDataset({ kind: name })).rejects.toThrow(`unknown dataset "${name}"`);
      expect(() =>
        createModel(cpu(), { kind: name }, { features: 2, classes: 2, seed: 0 }),
      ).toThrow(`unknown model "${name}"`);
      expect(() => createFunction({ kind: name })).toThrow(`unknown function "${name}"`);
    },
  );
});

describe('checkDatasetOptions / checkModelOptions / checkFunctionOptions', () => {
  it('refuses what loading would refuse, with the option named', async () => {
    expect(checkDatasetOptions('csv', {})).toEqual([
      {
        path: ['text'],
        message: 'the CSV contents are required: give "text", or a file in "path"',
      },
    ]);
    expect(checkDatasetOptions('moons', { seed: 2 ** 53 })).toEqual([
      { path: ['seed'], message: 'must be ≤ 2147483647, got 9007199254740992' },
    ]);
    expect(checkDatasetOptions('random-classification', { n: 1_000_000, features: 60 })).toEqual([
      { path: ['n'], message: 'n × features = 60000000 values exceeds the limit of 50000000' },
    ]);
    await expect(
      loadDataset({ kind: 'random-classification', n: 1_000_000, features: 60 }),
    ).rejects.toThrow('n × features = 60000000 values exceeds the limit of 50000000');
    expect(checkModelOptions('mlp', { hidden: [] })).toEqual([
      { path: ['hidden'], message: 'must list at least 1 number, got []' },
    ]);
    expect(checkModelOptions('mlp', { hidden: [4.5] })).toEqual([
      { path: ['hidden', 0], message: 'must be an integer, got 4.5' },
    ]);
    expect(checkFunctionOptions('quadratic', { coefficients: [] })).toEqual([
      { path: ['coefficients'], message: 'must list at least 1 number, got []' },
    ]);
    expect(checkFunctionOptions('rosenbrock', { a: 1 })).toEqual([]);
  });
});

describe('sizes known before anything is built', () => {
  it('datasetShape, modelParameterCount, functionDimension', () => {
    expect(datasetShape('blobs', { n: 30, centers: 5 })).toEqual({
      rows: 30,
      features: 2,
      classes: 5,
    });
    expect(datasetShape('iris')).toEqual({ rows: 150, features: 4, classes: 3 });
    expect(datasetShape('csv', { text: 'a,b\n1,2' })).toEqual({
      rows: null,
      features: null,
      classes: null,
    });
    expect(modelParameterCount('mlp', { hidden: [8192] }, 100_000, 3)).toBe(
      100_000 * 8192 + 8192 + 8192 * 3 + 3,
    );
    expect(modelParameterCount('logistic-regression', {}, 4, 2)).toBe(5);
    expect(modelParameterCount('logistic-regression', {}, 4, 3)).toBe(15);
    expect(modelParameterCount('linear-regression', {}, 4, 0)).toBe(5);
    // The count agrees with the model built.
    const mlp = createModel(
      cpu(),
      { kind: 'mlp', hidden: [3, 2] },
      { features: 4, classes: 3, seed: 0 },
    );
    const built = mlp.parameters().reduce((s, p) => s + p.value.size, 0);
    expect(modelParameterCount('mlp', { hidden: [3, 2] }, 4, 3)).toBe(built);
    expect(functionDimension('quadratic', { coefficients: [1, 2, 3] })).toBe(3);
    expect(functionDimension('rastrigin', { dim: 7 })).toBe(7);
    expect(functionDimension('rosenbrock')).toBe(2);
    expect(functionDimension('constructor')).toBeUndefined();
  });
});

describe('modelParameterLayout: the names and ranks of parameters(), known before building', () => {
  it.each([
    ['mlp', { hidden: [8, 4] }, 5, 3],
    ['mlp', {}, 2, 2],
    ['logistic-regression', {}, 4, 2],
    ['linear-regression', {}, 3, 0],
  ])('%s %j', (type, options, features, classes) => {
    const model = createModel(cpu(), { kind: type, ...options }, { features, classes, seed: 0 });
    expect(modelParameterLayout(type, options)).toEqual(
      model.parameters().map((p) => ({ name: p.name, rank: p.shape.length })),
    );
    model.dispose();
  });

  it('names the layers of an MLP layer1 … layerN', () => {
    expect(modelParameterLayout('mlp', { hidden: [3] })!.map((p) => p.name)).toEqual([
      'layer1.W',
      'layer1.b',
      'layer2.W',
      'layer2.b',
    ]);
    expect(modelParameterLayout('nope', {})).toBeUndefined();
  });
});
