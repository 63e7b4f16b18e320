import { describe, expect, it } from 'vitest';
import {
  MAX_TRAJECTORY_EVENT_BYTES,
  TRAJECTORY_FULL_LIMIT,
  assertSpec,
  defaultCatalog,
  logParams,
  runExperiment,
  type ExperimentEvent,
  type StepEvent,
} from './helpers.js';

describe('trajectory logging', () => {
  it('logs a point in full up to 64 numbers', () => {
    const point = Array.from({ length: TRAJECTORY_FULL_LIMIT }, (_, i) => i / 3);
    expect(logParams(point)).toEqual({ params: point, paramsMode: 'full' });
  });

  it('samples every k-th coordinate above 64 numbers, with the dimension, stride and norm', () => {
    const point = Float64Array.from({ length: 130 }, (_, i) => (i % 2 === 0 ? 3 : -4));
    // ceil(130 / 64) = 3: coordinates 0, 3, …, 129 (44 of them); ‖x‖² = 65·9 + 65·16.
    expect(logParams(point)).toEqual({
      params: Array.from({ length: 44 }, (_, k) => ((3 * k) % 2 === 0 ? 3 : -4)),
      paramsMode: 'sampled',
      paramsSample: { dimension: 130, stride: 3, norm: Math.sqrt(65 * 25) },
    });
    // The norm neither overflows for large values nor hides a NaN.
    const big = new Float64Array(100).fill(1e300);
    expect(logParams(big).paramsSample!.norm).toBeCloseTo(1e301, -290);
    big[50] = NaN;
    expect(logParams(big).paramsSample!.norm).toBeNaN();
  });

  it('keeps every event of a 10,000-D quadratic over 1,000 steps under 4 KiB, saying it is sampled', async () => {
    // Before the cap every step event carried the 10,000 coordinates (about 220 KB a line, 222 MB
    // of metrics.jsonl for the run).
    const dim = 10_000;
    const c = Array.from({ length: dim }, (_, i) => 0.5 + (i % 10) / 10);
    const spec = assertSpec(
      {
        version: 1,
        name: 'wide',
        task: { kind: 'function', function: { type: 'quadratic', coefficients: c } },
        training: { steps: 1000 },
        runs: [{ name: 'gd', optimizer: { type: 'SGD', lr: 0.001 }, backend: 'cpu64' }],
      },
      defaultCatalog(),
    );
    const lines: string[] = [];
    const steps: StepEvent[] = [];
    let end: Extract<ExperimentEvent, { type: 'end' }> | undefined;
    for await (const e of runExperiment(spec)) {
      lines.push(JSON.stringify(e));
      if (e.type === 'step') steps.push(e);
      if (e.type === 'end') end = e;
    }
    expect(steps).toHaveLength(1000);
    for (const line of lines) expect(line.length).toBeLessThan(MAX_TRAJECTORY_EVENT_BYTES);
    const total = lines.reduce((n, l) => n + l.length + 1, 0);
    expect(total).toBeLessThan(1002 * MAX_TRAJECTORY_EVENT_BYTES);
    // Gradient descent on a diagonal quadratic from 1: x_i = (1 − lr·c_i)^t, sampled every 157th.
    const stride = Math.ceil(dim / 64);
    const at = (t: number) => Array.from({ length: dim }, (_, i) => (1 - 0.001 * c[i]) ** t);
    const last = steps[999];
    expect(last.paramsMode).toBe('sampled');
    expect(last.paramsSample).toMatchObject({ dimension: dim, stride });
    const want = at(1000);
    expect(last.params).toHaveLength(64);
    last.params!.forEach((v, k) => expect(v).toBeCloseTo(want[k * stride], 12));
    expect(last.paramsSample!.norm).toBeCloseTo(Math.hypot(...want), 9);
    expect(end!.metrics.finalParamsMode).toBe('sampled');
    expect(end!.metrics.finalParams).toEqual(last.params);
    expect(end!.metrics.finalParamsSample).toEqual(last.paramsSample);
  }, 60_000);

  it('keeps the full point, and says so, for small functions', async () => {
    const spec = assertSpec(
      {
        version: 1,
        name: 'booth',
        task: { kind: 'function', function: { type: 'booth' }, start: [0, 0] },
        training: { steps: 2 },
        runs: [{ name: 'gd', optimizer: { type: 'SGD', lr: 0.01 }, backend: 'cpu64' }],
      },
      defaultCatalog(),
    );
    const events: ExperimentEvent[] = [];
    for await (const e of runExperiment(spec)) events.push(e);
    const start = events.find((e) => e.type === 'start')!;
    expect(start).toMatchObject({ params: [0, 0], paramsMode: 'full' });
    expect(start).not.toHaveProperty('paramsSample');
    const end = events.find((e) => e.type === 'end')!;
    expect(end.metrics).toMatchObject({ finalParamsMode: 'full', finalParamsSample: null });
  });
});
