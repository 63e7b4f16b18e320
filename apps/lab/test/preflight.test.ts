import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '@optlab/experiment';
import { runsFinishedNote } from '../src/renderer/src/lib/boundary.js';
import { fromSpec } from '../src/renderer/src/lib/draft.js';
import { experimentProblems } from '../src/renderer/src/lib/preflight.js';
import {
  differenceDetails,
  differenceSummary,
  runDifferences,
  sharedSettings,
} from '../src/renderer/src/lib/run-differences.js';
import { readTaskCsv } from '../src/renderer/src/lib/task-csv.js';

const catalog = defaultCatalog();

function csvSpec(dataset: Record<string, unknown>) {
  return {
    version: 1,
    name: 'csv',
    task: { kind: 'classification', dataset: { type: 'csv', ...dataset }, model: { type: 'mlp' } },
    training: { epochs: 2 },
    runs: [
      { name: 'A', optimizer: { type: 'SGD', lr: 0.1 } },
      { name: 'B', optimizer: { type: 'Adam' } },
    ],
  };
}

const threeClasses = 'a,b,c,d,label\n1,2,3,4,x\n2,3,4,5,y\n3,4,5,6,z\n';

describe('checking the experiment before any worker starts', () => {
  it('finds a CSV the page cannot read or parse, once, with its JSON path', () => {
    expect(experimentProblems(csvSpec({ path: 'data/f.csv' }), catalog)).toEqual([
      'task.dataset.path: the lab trains on a CSV\'s contents and cannot read "data/f.csv" (the CLI reads paths): choose the file in the task\'s form so that its contents go in "text"',
    ]);
    const bad = experimentProblems(csvSpec({ text: 'a,b,label\n1,2,x\n3,oops,y\n' }), catalog);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/^task\.dataset\.text: CSV line 3, column 2/);
    expect(experimentProblems(csvSpec({ text: threeClasses }), catalog)).toEqual([]);
  });

  it('reports the spec’s own problems first, as the validation words them', () => {
    const spec = csvSpec({ text: threeClasses });
    spec.runs[0].optimizer.lr = -1;
    const problems = experimentProblems(spec, catalog);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^runs\[0\]\.optimizer\.lr: /);
  });

  it('reads a CSV task’s shape (the paths view needs its features)', () => {
    const csv = readTaskCsv(csvSpec({ text: threeClasses }).task);
    expect(csv?.ok && [csv.dataset.features, csv.dataset.classes]).toEqual([4, 3]);
    expect(readTaskCsv({ kind: 'classification', dataset: { type: 'iris' } })).toBeNull();
  });
});

describe('the paths view’s note on finished runs', () => {
  it('says how many runs finished', () => {
    expect(runsFinishedNote([undefined, 'idle'])).toBeNull();
    expect(runsFinishedNote(['done', 'diverged'])).toBe(
      'Both runs finished: Compare has their charts and results.',
    );
    expect(runsFinishedNote(['done', 'running', 'done'])).toMatch(/^2 of 3 runs finished/);
    expect(runsFinishedNote(['done'])).toMatch(/^The run finished/);
  });
});

describe('runs that differ in more than what is compared', () => {
  const spec = {
    version: 1,
    name: 'x',
    task: { kind: 'function', function: { type: 'rosenbrock' } },
    training: { steps: 10 },
    runs: [
      { name: 'SGD', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu64', seed: 0 },
      {
        name: 'Adam',
        optimizer: { type: 'Adam' },
        schedule: { type: 'StepLR' },
        backend: 'cpu64',
        seed: 0,
      },
      { name: 'Fast', optimizer: { type: 'Adam', lr: 1 }, backend: 'cpu', seed: 3 },
    ],
  };

  it('names each setting that differs, with the runs of each value', () => {
    const runs = fromSpec(spec).runs;
    expect(runDifferences(runs.slice(0, 2))).toEqual([]);
    const differences = runDifferences(runs);
    expect(differenceSummary(differences)).toBe('backend and seed');
    expect(differenceDetails(differences)).toBe(
      'backend: cpu64 (SGD, Adam); cpu (Fast)\nseed: 0 (SGD, Adam); 3 (Fast)',
    );
  });

  it('gives a new run the settings most runs have', () => {
    expect(sharedSettings(fromSpec(spec).runs)).toEqual({ backend: 'cpu64', seed: 0 });
    const gpu = {
      ...spec,
      runs: spec.runs.map((r) => ({ ...r, backend: 'gpu', gpuMode: 'webgl2', seed: undefined })),
    };
    expect(sharedSettings(fromSpec(gpu).runs)).toEqual({ backend: 'gpu', gpuMode: 'webgl2' });
  });
});
