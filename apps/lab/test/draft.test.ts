import { describe, expect, it } from 'vitest';
import {
  addRun,
  duplicateRun,
  fromSpec,
  moveRun,
  removeRun,
  toSpec,
  uniqueRunName,
  updateRun,
} from '../src/renderer/src/lib/draft.js';

const spec = {
  version: 1,
  name: 'SGD vs Adam',
  task: { kind: 'function', function: { type: 'rosenbrock' }, start: [-1.5, 2] },
  training: { steps: 100 },
  runs: [
    { name: 'SGD', optimizer: { type: 'SGD', lr: 0.001 }, backend: 'cpu', seed: 1 },
    { name: 'Adam', optimizer: { type: 'Adam', lr: 0.01 }, backend: 'cpu' },
  ],
};

describe('experiment draft', () => {
  it('round-trips a spec, adding ids that never reach the file', () => {
    const draft = fromSpec(spec);
    expect(draft.runs.map((r) => r.id).every((id) => id.startsWith('run-'))).toBe(true);
    expect(new Set(draft.runs.map((r) => r.id)).size).toBe(2);
    expect(toSpec(draft)).toEqual(spec);
  });

  it('refuses documents that are not specs, saying what is missing', () => {
    expect(() => fromSpec([])).toThrow('must be a JSON object');
    expect(() => fromSpec({ ...spec, version: 2 })).toThrow('unsupported spec version 2');
    expect(() => fromSpec({ ...spec, runs: [] })).toThrow('spec.runs must list at least one run');
    expect(() => fromSpec({ ...spec, runs: [{ name: 'x' }] })).toThrow(
      'spec.runs[0].optimizer is missing',
    );
  });

  it('duplicates a run right after it with a unique name and a new id', () => {
    const draft = fromSpec(spec);
    const next = duplicateRun(draft, draft.runs[0].id);
    expect(next.runs.map((r) => r.name)).toEqual(['SGD', 'SGD copy', 'Adam']);
    expect(next.runs[1].id).not.toBe(draft.runs[0].id);
    expect(next.runs[1].optimizer).toEqual(draft.runs[0].optimizer);
    expect(next.runs[1].optimizer).not.toBe(draft.runs[0].optimizer);
    expect(duplicateRun(next, draft.runs[0].id).runs[1].name).toBe('SGD copy 2');
  });

  it('moves runs and ignores moves past the ends', () => {
    const draft = fromSpec(spec);
    const [sgd, adam] = draft.runs;
    expect(moveRun(draft, adam.id, -1).runs.map((r) => r.name)).toEqual(['Adam', 'SGD']);
    expect(moveRun(draft, sgd.id, -1)).toBe(draft);
    expect(moveRun(draft, adam.id, 1)).toBe(draft);
  });

  it('removes runs but keeps the last one', () => {
    const draft = fromSpec(spec);
    const one = removeRun(draft, draft.runs[0].id);
    expect(one.runs.map((r) => r.name)).toEqual(['Adam']);
    expect(removeRun(one, one.runs[0].id)).toBe(one);
    expect(() => removeRun(draft, 'nope')).toThrow('no run with id nope');
  });

  it('updates a run and deletes fields patched to undefined', () => {
    const draft = fromSpec(spec);
    const id = draft.runs[0].id;
    const gpu = updateRun(draft, id, { backend: 'gpu', gpuMode: 'webgl2' });
    expect(gpu.runs[0]).toMatchObject({ backend: 'gpu', gpuMode: 'webgl2' });
    const back = updateRun(gpu, id, { backend: 'cpu', gpuMode: undefined });
    expect('gpuMode' in back.runs[0]).toBe(false);
    expect(draft.runs[0].backend).toBe('cpu');
  });

  it('adds runs with unique names', () => {
    const draft = addRun(fromSpec(spec), {
      name: 'Adam',
      optimizer: { type: 'Adam' },
      backend: 'cpu',
    });
    expect(draft.runs.map((r) => r.name)).toEqual(['SGD', 'Adam', 'Adam 2']);
    expect(uniqueRunName('Adam 2', ['Adam', 'Adam 2'])).toBe('Adam 3');
  });
});
