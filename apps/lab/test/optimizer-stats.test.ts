// The Compare view's charts of optimizer estimates (Prodigy's d): which charts, which lines.
import { describe, expect, it } from 'vitest';
import { optimizerStatCharts } from '../src/renderer/src/lib/optimizer-stats.js';
import { applyRunEvent } from '../src/renderer/src/lib/run-events.js';
import { emptyResult, type RunResult, type SeriesPoint } from '../src/renderer/src/lib/series.js';

function resultOf(points: SeriesPoint[]): RunResult {
  return applyRunEvent(emptyResult(), { type: 'points', points, progress: 1 });
}

describe('optimizerStatCharts', () => {
  it('one chart per estimate, one line per run that reports it, against the chosen x column', () => {
    const prodigy = resultOf([
      { step: 0, epoch: 0, time: 0, loss: 3 },
      { step: 10, epoch: 1, time: 1, loss: 2, optimizerStats: { d: 1e-6 } },
      { step: 20, epoch: 2, time: 2, loss: 1, optimizerStats: { d: 4e-5 } },
    ]);
    const adam = resultOf([
      { step: 0, epoch: 0, time: 0, loss: 3 },
      { step: 10, epoch: 1, time: 1, loss: 2.5 },
    ]);
    const charts = optimizerStatCharts(
      [
        { label: 'Adam', color: '#111111', result: adam },
        { label: 'Prodigy', color: '#222222', result: prodigy },
        { label: 'not run', color: '#333333', result: undefined },
      ],
      'epoch',
    );
    expect(charts).toEqual([
      {
        name: 'd',
        lines: [{ label: 'Prodigy', color: '#222222', x: [0, 1, 2], y: [NaN, 1e-6, 4e-5] }],
      },
    ]);
    expect(
      optimizerStatCharts([{ label: 'Prodigy', color: '#2', result: prodigy }], 'step')[0].lines[0]
        .x,
    ).toEqual([0, 10, 20]);
  });

  it('no chart when no run reports a finite estimate; estimates keep the order first seen', () => {
    const none = resultOf([{ step: 0, time: 0, loss: 1, optimizerStats: { d: NaN } }]);
    expect(optimizerStatCharts([{ label: 'a', color: '#1', result: none }], 'step')).toEqual([]);
    const two = resultOf([{ step: 1, time: 0, loss: 1, optimizerStats: { k: 2, d: 3 } }]);
    const charts = optimizerStatCharts(
      [
        { label: 'a', color: '#1', result: two },
        { label: 'b', color: '#2', result: two },
      ],
      'step',
    );
    expect(charts.map((c) => [c.name, c.lines.map((l) => l.label)])).toEqual([
      ['k', ['a', 'b']],
      ['d', ['a', 'b']],
    ]);
  });
});
