import type { DiagnosticsEvent, LandscapeResult } from '@optlab/experiment';
import { describe, expect, it } from 'vitest';
import {
  diagnosticsRecordOf,
  layerLines,
  sharpnessLines,
} from '../src/renderer/src/lib/diagnostics.js';
import { gridLoss, landscapeBox, toCanvas } from '../src/renderer/src/lib/landscape.js';
import { applyRunEvent } from '../src/renderer/src/lib/run-events.js';
import { emptyResult } from '../src/renderer/src/lib/series.js';

const event = (step: number, sharpness?: number): DiagnosticsEvent => ({
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
    ? { sharpness: { value: sharpness, twoOverLr: 1, iterations: 3, converged: true, batch: 'b' } }
    : {}),
});

describe('diagnostics in the lab', () => {
  it("collects a run's diagnostics from its worker's messages, in order", () => {
    let r = applyRunEvent(emptyResult(), {
      type: 'diagnostics',
      records: [diagnosticsRecordOf(event(10, 0.9))],
    });
    r = applyRunEvent(r, { type: 'diagnostics', records: [diagnosticsRecordOf(event(20, 1.1))] });
    expect(r.diagnostics!.map((d) => [d.step, d.sharpness, d.twoOverLr])).toEqual([
      [10, 0.9, 1],
      [20, 1.1, 1],
    ]);
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
