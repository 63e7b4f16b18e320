import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCatalog, prepareTask, validateDocument, type ExperimentSpec } from './helpers.js';

/** The committed MNIST-format fixtures: 6 training and 3 test images of 3×4 pixels, 3 classes. */
const FOLDER = new URL('../../models/test/fixtures/idx/gzip/', import.meta.url).pathname;
const files = Object.fromEntries(
  readdirSync(FOLDER).map((f) => [f, new Uint8Array(readFileSync(join(FOLDER, f)))]),
);

function spec(task: Record<string, unknown>): ExperimentSpec {
  const r = validateDocument(
    {
      version: 1,
      name: 'own-test',
      task: {
        kind: 'classification',
        dataset: { type: 'idx', folder: FOLDER },
        model: { type: 'mlp', hidden: [4] },
        ...task,
      },
      training: { epochs: 1, batchSize: 2 },
      runs: [{ name: 'a', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu64' }],
    },
    defaultCatalog(),
  );
  if (!r.ok || r.value.kind !== 'experiment') throw new Error(JSON.stringify(r));
  const s = r.value.spec;
  if (s.task.kind === 'function') throw new Error('a data task');
  // What the CLI's loadDataFiles adds: the bytes of the folder's files.
  return {
    ...s,
    task: { ...s.task, dataset: { ...s.task.dataset, files } as typeof s.task.dataset },
  };
}

describe('prepareTask: a dataset with its own test set', () => {
  it('tests on it, trains on all the training rows, and splits validation off those', async () => {
    const p = await prepareTask(spec({}));
    if (p.kind === 'function') throw new Error('a data task');
    expect([p.train.n, p.test?.n, p.validation]).toEqual([6, 3, null]);
    expect(Array.from(p.test?.y ?? [])).toEqual([0, 1, 2]);
    expect(p.train.test).toBeUndefined();
    const v = await prepareTask(spec({ validationFraction: 0.5 }));
    if (v.kind === 'function') throw new Error('a data task');
    expect([v.train.n, v.validation?.n, v.test?.n]).toEqual([3, 3, 3]);
  });
  it('refuses a testFraction, naming it', async () => {
    await expect(prepareTask(spec({ testFraction: 0.2 }))).rejects.toThrow(
      'task.testFraction: the idx dataset brings its own test set: set testFraction to 0',
    );
  });
});
