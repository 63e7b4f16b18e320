import { describe, expect, it } from 'vitest';
import { isSoftwareGpu } from '../src/renderer/src/lib/device-label.js';
import { fromSpec } from '../src/renderer/src/lib/draft.js';
import { METRIC_DOCS } from '../src/renderer/src/lib/metric-docs.js';
import { appendPoints, emptyResult, type RunResult } from '../src/renderer/src/lib/series.js';
import { SUMMARY_COLUMNS, summaryToCsv } from '../src/renderer/src/lib/summary-csv.js';

describe('the backend label', () => {
  it('warns for software renderers and gpu.js on the CPU, on GPU runs only', () => {
    const swiftshader =
      'gpu.js webgl2 (WebGL2Kernel; ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver))';
    expect(isSoftwareGpu('gpu webgl2', swiftshader)).toBe(true);
    expect(isSoftwareGpu('gpu', 'gpu.js cpu (CPUKernel; JavaScript on the CPU)')).toBe(true);
    expect(isSoftwareGpu('gpu', 'gpu.js webgl2 (WebGL2Kernel; NVIDIA GeForce RTX 3060)')).toBe(
      false,
    );
    expect(isSoftwareGpu('cpu64', 'cpu float64 (typed arrays)')).toBe(false);
  });
});

describe('the summary CSV', () => {
  it('has one row per run that ran, the table’s numbers at full precision', () => {
    const draft = fromSpec({
      version: 1,
      name: 'x',
      task: { kind: 'function', function: { type: 'rosenbrock' } },
      training: { steps: 2 },
      runs: [
        { name: 'SGD, slow', optimizer: { type: 'SGD', lr: 0.001 }, backend: 'cpu' },
        { name: 'Adam', optimizer: { type: 'Adam' }, backend: 'cpu' },
      ],
    });
    const result: RunResult = {
      ...emptyResult(),
      status: 'done',
      device: 'cpu float32 (typed arrays)',
    };
    appendPoints(result, [
      { step: 0, time: 0, loss: 24.2 },
      { step: 2, time: 0.5, loss: 1 / 3 },
    ]);
    result.metrics = {
      finalLoss: 1 / 3,
      bestLoss: 1 / 3,
      initialLoss: 24.2,
      steps: 2,
      wallTimeMs: 500,
    };
    const lines = summaryToCsv(draft, { [draft.runs[0].id]: result })
      .trim()
      .split('\n');
    expect(lines[0]).toBe(SUMMARY_COLUMNS.join(','));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      `"SGD, slow",SGD,cpu,cpu float32 (typed arrays),done,,2,${1 / 3},${1 / 3},0.5,4,,,,,,,`,
    );
  });

  it('defines every column the table shows', () => {
    for (const doc of Object.values(METRIC_DOCS))
      expect(doc!.definition.length).toBeGreaterThan(20);
  });
});
