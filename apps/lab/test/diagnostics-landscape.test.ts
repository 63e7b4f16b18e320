import type { DiagnosticsEvent, LandscapeResult } from '@optlab/experiment';
import { describe, expect, it } from 'vitest';
import {
  diagnosticsRecordOf,
  layerLines,
  runsWithoutThreshold,
  sharpnessLines,
  storedDiagnostics,
} from '../src/renderer/src/lib/diagnostics.js';
import { gridLoss, landscapeBox, toCanvas } from '../src/renderer/src/lib/landscape.js';
import { fromSpec } from '../src/renderer/src/lib/draft.js';
import { parseExperiment, serializeExperiment } from '../src/renderer/src/lib/results-file.js';
import { applyRunEvent } from '../src/renderer/src/lib/run-events.js';
import { emptyResult } from '../src/renderer/src/lib/series.js';

const GD = { value: 1, rule: '2/η' };
const event = (
  step: number,
  sharpness?: number,
  stability: { value: number; rule: string } | null = GD,
): DiagnosticsEvent => ({
  type: 'diagnostics',
  run: 'GD',
  seed: 0,
  step,
  epoch: null,
  lr: 2,
  layers: [
    { name: 'layer1.W', gradNorm: 0.5, updateNorm: 1, weightNorm: 4, updateRatio: 0.25 },
    { name: 'layer1.b', gradNorm: null, updateNorm: 0, weightNorm: 0, updateRatio: null },
  ],
  ...(sharpness !== undefined
    ? {
        sharpness: {
          value: sharpness,
          twoOverLr: 1,
          stability,
          iterations: 3,
          converged: true,
          batch: 'b',
        },
      }
    : {}),
});

describe('diagnostics in the lab', () => {
  it("collects a run's diagnostics from its worker's messages, in order", () => {
    let r = applyRunEvent(emptyResult(), {
      type: 'diagnostics',
      records: [diagnosticsRecordOf(event(10, 0.9))],
    });
    r = applyRunEvent(r, { type: 'diagnostics', records: [diagnosticsRecordOf(event(20, 1.1))] });
    expect(r.diagnostics!.map((d) => [d.step, d.sharpness, d.threshold, d.thresholdRule])).toEqual([
      [10, 0.9, 1, '2/η'],
      [20, 1.1, 1, '2/η'],
    ]);
  });

  it('draws an adaptive run’s sharpness with no threshold line, and names it for the caption', () => {
    const records = [
      diagnosticsRecordOf(event(10, 30, null)),
      diagnosticsRecordOf(event(20, 40, null)),
    ];
    const runs = [
      { label: 'Adam', color: '#e69f00', records },
      { label: 'GD', color: '#0072b2', records: [diagnosticsRecordOf(event(10, 0.9))] },
    ];
    expect(sharpnessLines(runs).map((l) => l.label)).toEqual([
      'Adam sharpness',
      'GD sharpness',
      'GD 2/η',
    ]);
    expect(runsWithoutThreshold(runs)).toEqual(['Adam']);
  });

  it('labels a momentum run’s line by its rule, (2+2β)/η', () => {
    const records = [diagnosticsRecordOf(event(10, 5, { value: 38, rule: '(2+2β)/η' }))];
    expect(sharpnessLines([{ label: 'Momentum', color: '#000', records }])[1]).toMatchObject({
      label: 'Momentum (2+2β)/η',
      y: [38],
      dash: [8, 5],
    });
  });

  it('draws each run’s sharpness beside its dashed 2/η line, and one line per parameter', () => {
    const records = [diagnosticsRecordOf(event(10, 0.9)), diagnosticsRecordOf(event(20, 1.1))];
    const runs = [
      { label: 'GD', color: '#0072b2', records },
      { label: 'none', color: '#e69f00', records: [diagnosticsRecordOf(event(10))] },
    ];
    const lines = sharpnessLines(runs);
    expect(lines.map((l) => [l.label, l.color, l.x, l.y, l.dash])).toEqual([
      ['GD sharpness', '#0072b2', [10, 20], [0.9, 1.1], undefined],
      ['GD 2/η', '#0072b2', [10, 20], [1, 1], [8, 5]],
    ]);
    const grads = layerLines(runs.slice(0, 1), 'gradNorm');
    expect(grads.map((l) => l.label)).toEqual(['GD · layer1.W', 'GD · layer1.b']);
    expect(grads[0].y).toEqual([0.5, 0.5]);
    expect(grads[1].y.every(Number.isNaN)).toBe(true);
    expect(grads[1].dash).toEqual([6, 3]);
    expect(layerLines(runs.slice(0, 1), 'updateRatio')[0].y).toEqual([0.25, 0.25]);
  });
});

describe('diagnostics in the lab file', () => {
  it('are saved with the run and read back, NaN as NaN and null as null', () => {
    const draft = fromSpec({
      version: 1,
      name: 'x',
      task: { kind: 'classification' },
      training: { steps: 20 },
      runs: [{ name: 'GD', optimizer: { type: 'SGD', lr: 2 } }],
    });
    const records = [diagnosticsRecordOf(event(10, NaN)), diagnosticsRecordOf(event(20, 1.1))];
    const result = { ...emptyResult(), status: 'done' as const, diagnostics: records };
    const reopened = parseExperiment(serializeExperiment(draft, { [draft.runs[0].id]: result }));
    const back = Object.values(reopened.results)[0].diagnostics!;
    expect(back.map((r) => r.step)).toEqual([10, 20]);
    // JSON has no NaN: a non-finite sharpness comes back as null (no point on the chart).
    expect(back[0].sharpness).toBeNull();
    expect(back[1]).toEqual(records[1]);
    expect(back[0].layers[1]).toEqual({
      name: 'layer1.b',
      gradNorm: null,
      updateNorm: 0,
      updateRatio: null,
    });
  });
});

describe('diagnostics saved before thresholds had rules', () => {
  it('read their twoOverLr back as the 2/η line they were drawn with', () => {
    const [old] = storedDiagnostics([
      { step: 10, lr: 2, layers: [], sharpness: 0.9, twoOverLr: 1 },
    ])!;
    expect([old.threshold, old.thresholdRule]).toEqual([1, '2/η']);
    const [none] = storedDiagnostics([
      { step: 10, lr: 2, layers: [], sharpness: 30, threshold: null, thresholdRule: null },
    ])!;
    expect([none.threshold, none.thresholdRule]).toEqual([null, null]);
  });
});

describe('the landscape image', () => {
  const result = {
    dim: 2,
    xs: [-1, 0, 1],
    ys: [-1, 0, 1],
    // loss = x + 10·(y + 1) on the grid (rows are y): bilinear interpolation reproduces it.
    losses: [-1, 0, 1, 9, 10, 11, 19, 20, 21],
    trajectory: [
      { step: 0, x: -2, y: 0.5 },
      { step: 5, x: 0, y: 0 },
    ],
  } as unknown as LandscapeResult;

  it('interpolates the grid bilinearly and is NaN outside it', () => {
    expect(gridLoss(result, 0.5, -0.5)).toBeCloseTo(0.5 + 10 * 0.5, 12);
    expect(gridLoss(result, -1, -1)).toBe(-1);
    expect(gridLoss(result, 1, 1)).toBe(21);
    expect(gridLoss(result, 1.5, 0)).toBeNaN();
  });

  it('widens the view to the trajectory and maps coordinates to the canvas', () => {
    const box = landscapeBox(result);
    expect(box).toEqual({ x: [-2, 1], y: [-1, 1] });
    expect(toCanvas(box, 300, -2, 1)).toEqual([0, 0]);
    expect(toCanvas(box, 300, 1, -1)).toEqual([300, 300]);
  });
});
