import { describe, expect, it } from 'vitest';
import { alignSeries, positiveForLog } from '../src/renderer/src/lib/chart-data.js';
import { resultsToCsv, csvField } from '../src/renderer/src/lib/csv.js';
import { fromSpec } from '../src/renderer/src/lib/draft.js';
import { FrameBatcher } from '../src/renderer/src/lib/frame-batch.js';
import {
  LAB_FILE_FORMAT,
  parseExperiment,
  serializeExperiment,
} from '../src/renderer/src/lib/results-file.js';
import {
  appendPoints,
  emptyResult,
  smooth,
  type RunResult,
} from '../src/renderer/src/lib/series.js';
import { formatNumber, resultRow, sortRows } from '../src/renderer/src/lib/table.js';
import { benchmarkJobs, centre, finishRow } from '../src/renderer/src/lib/benchmark.js';

const spec = {
  version: 1,
  name: 'Two runs',
  task: { kind: 'function', function: { type: 'rosenbrock' }, start: [-1.5, 2] },
  training: { steps: 2 },
  runs: [
    { name: 'SGD', optimizer: { type: 'SGD', lr: 0.001 }, backend: 'cpu' },
    { name: 'Adam, fast', optimizer: { type: 'Adam', lr: 0.1 }, backend: 'gpu', gpuMode: 'webgl2' },
  ],
};

function resultWith(
  points: { step: number; loss: number; time: number; position?: number[] }[],
): RunResult {
  const result = emptyResult();
  appendPoints(result, points);
  return result;
}

describe('series', () => {
  it('appends points as columns, NaN for absent values, positions as the trajectory', () => {
    const r = resultWith([
      { step: 0, loss: 4, time: 0, position: [1, 2] },
      { step: 1, loss: 2, time: 0.5, position: [0.5, 1] },
    ]);
    expect(r.series.loss).toEqual([4, 2]);
    expect(r.series.lr.every(Number.isNaN)).toBe(true);
    expect(r.trajectory).toEqual([
      [1, 2],
      [0.5, 1],
    ]);
  });

  it('smooths with a debiased EMA (TensorBoard), passing non-finite values through', () => {
    expect(smooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
    const s = smooth([1, 3, NaN, 5], 0.5);
    expect(s[0]).toBeCloseTo(1, 12);
    // (0.5·1 + 3·0.5… debiased): ema1 = 0.5, ema2 = 0.25+1.5 = 1.75 → 1.75/0.75
    expect(s[1]).toBeCloseTo(1.75 / 0.75, 12);
    expect(s[2]).toBeNaN();
    expect(s[3]).toBeCloseTo((1.75 * 0.5 + 2.5) / 0.875, 12);
  });
});

describe('chart data', () => {
  it('aligns runs on the union of their x values with nulls for gaps', () => {
    const table = alignSeries([
      { x: [0, 1, 2], y: [3, 2, 1] },
      { x: [0, 2, 4], y: [5, NaN, 1] },
    ]);
    expect(table).toEqual([
      [0, 1, 2, 4],
      [3, 2, 1, null],
      [5, null, null, 1],
    ]);
  });

  it('makes values drawable on a log axis', () => {
    expect(positiveForLog(0.5)).toBe(0.5);
    expect(positiveForLog(0)).toBeGreaterThan(0);
    expect(positiveForLog(-1)).toBeLessThan(1e-30);
    expect(positiveForLog(Infinity)).toBeNull();
  });
});

describe('results file', () => {
  it('round-trips the spec and every finished run (NaN stored as null)', () => {
    const draft = fromSpec(spec);
    const results = {
      [draft.runs[0].id]: {
        ...resultWith([
          { step: 0, loss: 24.2, time: 0, position: [-1.5, 2] },
          { step: 1, loss: NaN, time: 0.1, position: [-1.4, 1.9] },
        ]),
        status: 'diverged' as const,
        divergedAt: 1,
        device: 'cpu float32',
        metrics: { finalLoss: 24.2 },
      },
    };
    const text = serializeExperiment(draft, results);
    const stored = JSON.parse(text);
    expect(stored.format).toBe(LAB_FILE_FORMAT);
    expect(stored.spec).toEqual(spec);
    expect(stored.results).toHaveLength(1);
    expect(stored.results[0].series.loss).toEqual([24.2, null]);

    const reopened = parseExperiment(text);
    expect(reopened.draft.runs.map((r) => r.name)).toEqual(['SGD', 'Adam, fast']);
    const result = reopened.results[reopened.draft.runs[0].id];
    expect(result.status).toBe('diverged');
    expect(result.divergedAt).toBe(1);
    expect(result.series.loss[0]).toBe(24.2);
    expect(result.series.loss[1]).toBeNaN();
    expect(result.trajectory).toEqual([
      [-1.5, 2],
      [-1.4, 1.9],
    ]);
    expect(reopened.results[reopened.draft.runs[1].id]).toBeUndefined();
  });

  it('opens a bare spec (an example file) without results', () => {
    const { draft, results } = parseExperiment(JSON.stringify(spec));
    expect(draft.name).toBe('Two runs');
    expect(results).toEqual({});
  });

  it('says what is wrong with a bad file', () => {
    expect(() => parseExperiment('{oops')).toThrow('not valid JSON');
    expect(() => parseExperiment('[1]')).toThrow('the file must hold a JSON object');
    expect(() => parseExperiment(JSON.stringify({ format: LAB_FILE_FORMAT, version: 9 }))).toThrow(
      'unsupported lab file version 9',
    );
  });
});

describe('CSV export', () => {
  it('writes one row per run and point, quoting where needed', () => {
    const draft = fromSpec(spec);
    const results = {
      [draft.runs[0].id]: {
        ...resultWith([{ step: 0, loss: 24.2, time: 0 }]),
        status: 'done' as const,
        device: 'cpu float32',
      },
      [draft.runs[1].id]: {
        ...resultWith([{ step: 0, loss: 1.5, time: 0.25 }]),
        status: 'done' as const,
        device: 'gpu.js "webgl2"',
      },
    };
    const lines = resultsToCsv(draft, results).trim().split('\n');
    expect(lines[0]).toBe(
      'run,optimizer,backend,device,status,step,epoch,time,loss,lr,trainAccuracy,testAccuracy,testLoss',
    );
    expect(lines[1]).toBe('SGD,SGD,cpu,cpu float32,done,0,,0,24.2,,,,');
    expect(lines[2]).toBe('"Adam, fast",Adam,gpu,"gpu.js ""webgl2""",done,0,,0.25,1.5,,,,');
    expect(csvField(NaN)).toBe('');
  });
});

describe('results table', () => {
  it('prefers the runner metrics and falls back to the columns while training', () => {
    const draft = fromSpec(spec);
    const live = resultWith([
      { step: 0, loss: 4, time: 0 },
      { step: 10, loss: 1, time: 2 },
      { step: 20, loss: 2, time: 4 },
    ]);
    const row = resultRow(draft.runs[0], live);
    expect(row).toMatchObject({
      finalLoss: 2,
      bestLoss: 1,
      seconds: 4,
      stepsPerSecond: 5,
      status: 'idle',
    });
    const finished = {
      ...live,
      status: 'done' as const,
      metrics: {
        finalLoss: 2.5,
        bestLoss: 0.5,
        wallTimeMs: 1500,
        stepsPerSecond: 13.3,
        epochsToConverge: 7,
        target: { step: 10, epoch: null, elapsedMs: 250 },
        linearRegression: {
          weights: [4.2, 2.9],
          leastSquares: [4.22, 2.97],
          maxAbsDifference: 0.07,
        },
      },
    };
    expect(resultRow(draft.runs[1], finished)).toMatchObject({
      finalLoss: 2.5,
      bestLoss: 0.5,
      seconds: 1.5,
      stepsPerSecond: 13.3,
      epochsToConverge: 7,
      stepToTarget: 10,
      secondsToTarget: 0.25,
      finalWeights: [4.2, 2.9],
      leastSquares: [4.22, 2.97],
      backend: 'gpu webgl2',
    });
  });

  it('sorts with missing values last in both directions', () => {
    const draft = fromSpec(spec);
    const a = resultRow(draft.runs[0], resultWith([{ step: 0, loss: 3, time: 0 }]));
    const b = resultRow(draft.runs[1], resultWith([{ step: 0, loss: 1, time: 0 }]));
    const none = { ...a, id: 'x', finalLoss: NaN };
    expect(sortRows([a, none, b], 'finalLoss', true).map((r) => r.finalLoss)).toEqual([1, 3, NaN]);
    expect(sortRows([a, none, b], 'finalLoss', false).map((r) => r.finalLoss)).toEqual([3, 1, NaN]);
    expect(sortRows([a, b], 'name', false).map((r) => r.name)).toEqual(['SGD', 'Adam, fast']);
  });

  it('formats numbers for reading', () => {
    expect(formatNumber(0.123456789)).toBe('0.123457');
    expect(formatNumber(1.5e-7)).toBe('1.5000e-7');
    expect(formatNumber(NaN)).toBe('—');
  });
});

describe('FrameBatcher', () => {
  it('runs each scheduled job once per frame however often it was scheduled', () => {
    const frames: (() => void)[] = [];
    const batcher = new FrameBatcher(
      (cb) => frames.push(cb),
      () => 0,
    );
    let a = 0;
    let b = 0;
    const jobA = () => (a += 1);
    for (let i = 0; i < 100; i++) batcher.schedule(jobA);
    batcher.schedule(() => (b += 1));
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect([a, b, batcher.flushes]).toEqual([1, 1, 1]);
    batcher.schedule(jobA);
    expect(frames).toHaveLength(1);
  });
});

describe('chart data fast path', () => {
  it('gives the same table as the general path when runs share their x values', () => {
    const x = [0, 1, 2, 3];
    const table = alignSeries(
      [
        { x, y: [4, 3, 2, 1] },
        { x: [...x], y: [1, NaN, 0, -1] },
      ],
      positiveForLog,
    );
    expect(table[0]).toEqual(x);
    expect(table[1]).toEqual([4, 3, 2, 1]);
    expect(table[2][1]).toBeNull();
    expect(table[2][2]).toBeGreaterThan(0);
    expect(table[2][2]).toBeLessThan(1e-30);
  });
});

describe('benchmark jobs', () => {
  const suite = {
    kind: 'suite',
    experiments: [
      { ...spec, name: 'size-10', runs: [spec.runs[0]] },
      { ...spec, name: 'size-50', runs: spec.runs },
    ],
  };

  it('lists every (experiment, run) pair in order, with GPU twins when asked', () => {
    expect(benchmarkJobs(suite, null).map((j) => `${j.experiment}/${j.run}/${j.backend}`)).toEqual([
      'size-10/SGD/cpu',
      'size-50/SGD/cpu',
      'size-50/Adam, fast/gpu webgl2',
    ]);
    const withGpu = benchmarkJobs(suite, 'webgl2');
    expect(withGpu.map((j) => `${j.experiment}/${j.run}/${j.backend}`)).toEqual([
      'size-10/SGD/cpu',
      'size-10/SGD (gpu webgl2)/gpu webgl2',
      'size-50/SGD/cpu',
      'size-50/Adam, fast/gpu webgl2',
      'size-50/SGD (gpu webgl2)/gpu webgl2',
    ]);
    const twin = withGpu[1];
    expect((twin.spec['runs'] as Record<string, unknown>[])[twin.runIndex]).toMatchObject({
      backend: 'gpu',
      gpuMode: 'webgl2',
      optimizer: { type: 'SGD', lr: 0.001 },
    });
  });

  it('shows the runner’s median and spread when there are several seeds', () => {
    const [job] = benchmarkJobs(spec, null);
    const row = finishRow(
      { ...job, status: 'done' },
      { finalLoss: 2, wallTimeMs: 1000, stepsPerSecond: 50, epochsToConverge: 3, bestLoss: 1 },
      {
        finalLoss: { n: 3, median: 1.5, min: 1, max: 2, q1: 1.2, q3: 1.8 },
        wallTimeMs: { n: 3, median: 2000, min: 1000, max: 3000, q1: 0, q3: 0 },
      },
    );
    expect(row.finalLoss).toEqual({ n: 3, median: 1.5, min: 1, max: 2 });
    expect(row.seconds).toEqual({ n: 3, median: 2, min: 1, max: 3 });
    expect(row.stepsPerSecond).toBe(50);
    expect(centre(row.finalLoss)).toBe(1.5);
    expect(centre(undefined)).toBeNaN();
  });
});
