// ResultsTable mounted in Chromium with a LabState holding results: rows, formatting, sorting.
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import ResultsTable from '../../src/renderer/src/components/ResultsTable.svelte';
import { BrowserBridge } from '../../src/renderer/src/lib/bridge/browser.js';
import { MemoryStore } from '../../src/renderer/src/lib/bridge/key-value.js';
import { fromSpec } from '../../src/renderer/src/lib/draft.js';
import { LabState, type WorkerFactory } from '../../src/renderer/src/lib/lab.svelte.js';
import { appendPoints, emptyResult, type RunResult } from '../../src/renderer/src/lib/series.js';

let component: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (component) unmount(component);
  document.body.innerHTML = '';
});

function finished(loss: number[], metrics: Record<string, unknown>, device: string): RunResult {
  const result = emptyResult();
  appendPoints(
    result,
    loss.map((l, i) => ({ step: i, loss: l, time: i / 10 })),
  );
  return { ...result, status: 'done', metrics, device };
}

function setup() {
  const draft = fromSpec({
    version: 1,
    name: 'table',
    task: { kind: 'regression', dataset: { type: 'linear' } },
    training: { epochs: 2 },
    runs: [
      { name: 'SGD', optimizer: { type: 'SGD' }, backend: 'cpu64' },
      { name: 'Adam', optimizer: { type: 'Adam' }, backend: 'gpu', gpuMode: 'webgl2' },
      { name: 'Idle', optimizer: { type: 'SGD' }, backend: 'cpu' },
    ],
  });
  const bridge = new BrowserBridge(new MemoryStore(), {
    pickFile: async () => null,
    download: () => undefined,
    settings: { getItem: () => null, setItem: () => undefined },
  });
  const lab = new LabState(bridge, (() => ({})) as unknown as WorkerFactory, draft);
  const [sgd, adam] = draft.runs;
  lab.load(draft, {
    [sgd.id]: finished(
      [4, 2, 1.5],
      {
        finalLoss: 1.5,
        bestLoss: 1.5,
        wallTimeMs: 200,
        stepsPerSecond: 10,
        epochsToConverge: 2,
        linearRegression: { weights: [3.9, 3.1], leastSquares: [3.97732, 3.08179] },
      },
      'cpu float64',
    ),
    [adam.id]: finished(
      [4, 3, 3.25],
      {
        finalLoss: 3.25,
        bestLoss: 3,
        wallTimeMs: 1500,
        stepsPerSecond: 2,
        epochsToConverge: 3,
        linearRegression: { weights: [1, 1], leastSquares: [3.97732, 3.08179] },
      },
      'gpu.js webgl2 (WebGL2Kernel)',
    ),
  });
  const target = document.createElement('div');
  document.body.append(target);
  component = mount(ResultsTable, { target, props: { lab } });
  flushSync();
  const names = () =>
    [...target.querySelectorAll('[data-testid=result-row]')].map((r) => r.getAttribute('data-run'));
  const cellOf = (run: string, col: string) =>
    target.querySelector(`[data-run="${run}"] [data-col=${col}]`)!.textContent!.trim();
  const header = (label: string) =>
    [...target.querySelectorAll('th button')].find((b) =>
      b.textContent!.startsWith(label),
    ) as HTMLButtonElement;
  return { names, cellOf, header, target };
}

describe('ResultsTable', () => {
  it('shows one row per run with the runner’s metrics and the backend that ran', () => {
    const { names, cellOf, target } = setup();
    expect(names()).toEqual(['SGD', 'Adam', 'Idle']);
    expect(cellOf('SGD', 'finalLoss')).toBe('1.5');
    expect(cellOf('Adam', 'bestLoss')).toBe('3');
    expect(cellOf('Adam', 'seconds')).toBe('1.5');
    expect(cellOf('SGD', 'finalWeights')).toBe('3.9, 3.1');
    expect(cellOf('SGD', 'leastSquares')).toBe('3.97732, 3.08179');
    // A short label, with the full device string as its tooltip (issue 15).
    expect(cellOf('Adam', 'device')).toBe('gpu webgl2');
    expect(
      target
        .querySelector('[data-run="Adam"] [data-col=device] [data-device]')!
        .getAttribute('title'),
    ).toBe('gpu.js webgl2 (WebGL2Kernel)');
    expect(cellOf('Idle', 'finalLoss')).toBe('—');
    expect(cellOf('Idle', 'status')).toBe('idle');
  });

  it('sorts by a column when its header is clicked, missing values last both ways', () => {
    const { names, header } = setup();
    header('Final loss').click();
    flushSync();
    expect(names()).toEqual(['SGD', 'Adam', 'Idle']);
    header('Final loss').click();
    flushSync();
    expect(names()).toEqual(['Adam', 'SGD', 'Idle']);
    header('Time (s)').click();
    flushSync();
    expect(names()).toEqual(['SGD', 'Adam', 'Idle']);
    expect(header('Time (s)').closest('th')!.getAttribute('aria-sort')).toBe('ascending');
  });
});
