import { describe, expect, it } from 'vitest';
import { assertSpec, defaultCatalog, parseShard, shardUnits } from './helpers.js';
import { canonicalJson, specHash } from '../src/node/index.js';

describe('shards', () => {
  it('deal the units round-robin: every unit in exactly one shard', () => {
    expect(shardUnits(5, { index: 1, count: 3 })).toEqual([0, 3]);
    expect(shardUnits(5, { index: 2, count: 3 })).toEqual([1, 4]);
    expect(shardUnits(5, { index: 3, count: 3 })).toEqual([2]);
    expect(shardUnits(2, { index: 3, count: 3 })).toEqual([]);
    const all = [1, 2, 3, 4].flatMap((k) => shardUnits(11, { index: k, count: 4 }));
    expect(all.sort((a, b) => a - b)).toEqual([...Array(11).keys()]);
  });

  it('parse K/N', () => {
    expect(parseShard(' 2 / 3 ')).toEqual({ ok: true, shard: { index: 2, count: 3 } });
    expect(parseShard('3/2')).toEqual({ ok: false, message: '"3/2": K must be 1 … 2, not 3' });
    expect(parseShard('1/10001')).toEqual({
      ok: false,
      message: '"1/10001": N must be 1 … 10000, not 10001',
    });
  });
});

describe('specHash', () => {
  const base = {
    version: 1,
    name: 'h',
    task: { kind: 'function', function: { type: 'rosenbrock' } },
    training: { steps: 10 },
    runs: [{ name: 'a', optimizer: { type: 'SGD', lr: 0.1 } }],
  };
  it('ignores key order and changes with any value', () => {
    const a = specHash(assertSpec(base, defaultCatalog()));
    const reordered = specHash(
      assertSpec(
        { runs: base.runs, training: base.training, task: base.task, name: 'h', version: 1 },
        defaultCatalog(),
      ),
    );
    expect(reordered).toBe(a);
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    const other = specHash(assertSpec({ ...base, training: { steps: 11 } }, defaultCatalog()));
    expect(other).not.toBe(a);
    expect(canonicalJson({ b: [1, { d: 2, c: undefined }], a: 'x' })).toBe(
      '{"a":"x","b":[1,{"d":2}]}',
    );
  });

  it("counts a csv dataset by its text, not by its file's path", () => {
    const csv = (path: string, text: string) =>
      assertSpec(
        {
          ...base,
          task: {
            kind: 'regression',
            dataset: { type: 'csv', path, text },
            model: { type: 'linear-regression' },
          },
        },
        defaultCatalog(),
      );
    const text = 'x,y\n1,2\n2,4\n3,6\n';
    expect(specHash(csv('/a/data.csv', text))).toBe(specHash(csv('/b/d.csv', text)));
    expect(specHash(csv('/a/data.csv', text))).not.toBe(
      specHash(csv('/a/data.csv', text + '4,8\n')),
    );
  });
});
