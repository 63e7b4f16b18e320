// The lab's store with fake workers: running, divergence, rerunning one run, stopping, saving.
import { describe, expect, it } from 'vitest';
import { BrowserBridge } from '../src/renderer/src/lib/bridge/browser.js';
import { MemoryStore } from '../src/renderer/src/lib/bridge/key-value.js';
import { fromSpec } from '../src/renderer/src/lib/draft.js';
import { LabState, type WorkerFactory } from '../src/renderer/src/lib/lab.svelte.js';
import type { FromWorker, ToWorker } from '../src/renderer/src/lib/worker-protocol.js';
import { runMetrics } from './run-metrics.js';

class FakeWorker {
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  received: ToWorker[] = [];
  terminated = false;
  postMessage(message: ToWorker): void {
    this.received.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  emit(message: FromWorker): void {
    this.onmessage?.({ data: message } as MessageEvent<FromWorker>);
  }
}

const spec = {
  version: 1,
  name: 'Three runs',
  task: { kind: 'function', function: { type: 'rosenbrock' }, start: [-1.5, 2] },
  training: { steps: 10 },
  runs: [
    { name: 'SGD', optimizer: { type: 'SGD', lr: 0.001 }, backend: 'cpu' },
    { name: 'Big lr', optimizer: { type: 'SGD', lr: 10 }, backend: 'cpu' },
    { name: 'Adam', optimizer: { type: 'Adam', lr: 0.1 }, backend: 'cpu64' },
  ],
};

function setup(validate?: (spec: Record<string, unknown>) => string[]) {
  const workers: FakeWorker[] = [];
  const factory = (() => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as ReturnType<WorkerFactory>;
  }) as WorkerFactory;
  const settings = new Map<string, string>();
  const bridge = new BrowserBridge(new MemoryStore(), {
    pickFile: async () => null,
    download: () => undefined,
    settings: {
      getItem: (k) => settings.get(k) ?? null,
      setItem: (k, v) => void settings.set(k, v),
    },
  });
  const lab = new LabState(bridge, factory, fromSpec(spec), validate);
  return { lab, workers, bridge };
}

describe('LabState', () => {
  it('starts one worker per run with the whole spec and the run index', () => {
    const { lab, workers } = setup();
    expect(lab.runAll()).toBe(true);
    expect(workers).toHaveLength(3);
    const starts = workers.map((w) => w.received[0] as Extract<ToWorker, { type: 'start' }>);
    expect(starts.map((m) => m.runIndex)).toEqual([0, 1, 2]);
    expect((starts[0].spec as { runs: unknown[] }).runs).toHaveLength(3);
    expect(starts.every((m) => m.boundary === true)).toBe(true);
    expect(lab.running).toBe(true);
  });

  it('marks a diverged run at its step while the others go on', () => {
    const { lab, workers } = setup();
    lab.runAll();
    const [sgd, big, adam] = lab.draft.runs;
    workers[1].emit({ type: 'started', device: 'cpu float32' });
    workers[1].emit({
      type: 'points',
      points: [{ step: 1, time: 0.01, loss: 1e30 }],
      progress: 0.1,
    });
    workers[1].emit({ type: 'diverged', step: 2 });
    workers[1].emit({
      type: 'finished',
      status: 'diverged',
      metrics: runMetrics({ finalLoss: NaN }),
    });
    workers[0].emit({ type: 'points', points: [{ step: 1, time: 0.01, loss: 3 }], progress: 0.1 });
    expect(lab.results[big.id]).toMatchObject({
      status: 'diverged',
      divergedAt: 2,
      device: 'cpu float32',
    });
    expect(workers[1].terminated).toBe(true);
    expect(lab.results[sgd.id].status).toBe('running');
    expect(lab.results[sgd.id].series.loss).toEqual([3]);
    expect(lab.results[adam.id].status).toBe('queued');
  });

  it('reruns one run without touching the others, ignoring its old worker', () => {
    const { lab, workers } = setup();
    lab.runAll();
    const [sgd, big] = lab.draft.runs;
    workers[0].emit({ type: 'points', points: [{ step: 1, time: 0, loss: 3 }], progress: 1 });
    workers[0].emit({ type: 'finished', status: 'done', metrics: runMetrics({ finalLoss: 3 }) });
    lab.editRun(big.id, { optimizer: { type: 'SGD', lr: 0.01 } });
    lab.runOne(big.id);
    expect(workers).toHaveLength(4);
    expect(workers[1].terminated).toBe(true);
    workers[1].emit({ type: 'points', points: [{ step: 5, time: 0, loss: 99 }], progress: 1 });
    expect(lab.results[big.id].series.loss).toEqual([]);
    expect((lab.results[big.id].runSpec as { optimizer: { lr: number } }).optimizer.lr).toBe(0.01);
    expect(lab.results[sgd.id]).toMatchObject({ status: 'done', metrics: { finalLoss: 3 } });
  });

  it('stops runs, keeping what they produced, and reports worker errors on their run', () => {
    const { lab, workers } = setup();
    lab.runAll();
    const [sgd, , adam] = lab.draft.runs;
    workers[0].emit({ type: 'points', points: [{ step: 1, time: 0, loss: 3 }], progress: 0.5 });
    workers[2].emit({ type: 'error', message: 'gpu.js could not start' });
    lab.stopAll();
    expect(lab.results[sgd.id]).toMatchObject({ status: 'stopped' });
    expect(lab.results[sgd.id].series.loss).toEqual([3]);
    expect(lab.results[adam.id]).toMatchObject({
      status: 'error',
      error: 'gpu.js could not start',
    });
    expect(lab.running).toBe(false);
  });

  it('does not start anything when the spec is invalid, and lists why in one place', () => {
    const problems = [
      'runs[1].optimizer.lr: must be > 0',
      'task.dataset.text: CSV: the text is empty',
    ];
    let valid = false;
    const { lab, workers } = setup(() => (valid ? [] : problems));
    expect(lab.runAll()).toBe(false);
    expect(lab.runOne(lab.draft.runs[0].id)).toBe(false);
    expect(workers).toHaveLength(0);
    expect(lab.problems).toEqual(problems);
    expect(lab.notice).toBeNull();
    // Fixed: the problems go, the runs start.
    valid = true;
    expect(lab.runAll()).toBe(true);
    expect(lab.problems).toEqual([]);
  });

  it('saves to the workspace and reopens with results, without rerunning', async () => {
    const { lab, workers, bridge } = setup();
    lab.runAll();
    workers[0].emit({ type: 'points', points: [{ step: 1, time: 0.1, loss: 3 }], progress: 1 });
    workers[0].emit({
      type: 'finished',
      status: 'done',
      metrics: runMetrics({ finalLoss: 3 }),
      device: 'cpu float32',
    });
    lab.stopAll();
    const path = await lab.save();
    expect(path).toBe('experiments/three-runs.json');
    expect(lab.dirty).toBe(false);
    expect(await bridge.recentFiles()).toEqual(['experiments/three-runs.json']);

    const { lab: other, workers: none } = setup();
    Object.defineProperty(other, 'bridge', { value: bridge });
    await other.openPath(path);
    expect(none).toHaveLength(0);
    const first = other.draft.runs[0];
    expect(other.results[first.id]).toMatchObject({
      status: 'done',
      device: 'cpu float32',
      metrics: { finalLoss: 3 },
    });
    expect(other.results[first.id].series.loss).toEqual([3]);
    expect(other.filePath).toBe(path);
  });

  it('pauses and resumes one run or all of them; a paused run can be stopped', () => {
    const { lab, workers } = setup();
    lab.runAll();
    const [sgd, big, adam] = lab.draft.runs;
    workers.forEach((w) => w.emit({ type: 'started', device: 'cpu float32' }));
    lab.pauseRun(big.id);
    expect(workers[1].received.at(-1)).toEqual({ type: 'pause' });
    expect(lab.results[big.id].status).toBe('paused');
    expect(lab.allPaused).toBe(false);
    // What the worker flushed before it stopped pulling still arrives, and the run stays paused.
    workers[1].emit({
      type: 'points',
      points: [{ step: 4, time: 0, loss: 2 }],
      progress: 0.4,
      step: 4,
    });
    expect(lab.results[big.id]).toMatchObject({ status: 'paused', step: 4, progress: 0.4 });

    lab.togglePauseAll();
    expect(workers.map((w) => w.received.filter((m) => m.type === 'pause').length)).toEqual([
      1, 1, 1,
    ]);
    expect(lab.allPaused).toBe(true);
    expect(lab.running).toBe(true);

    lab.resumeRun(sgd.id);
    expect(workers[0].received.at(-1)).toEqual({ type: 'resume' });
    expect(lab.results[sgd.id].status).toBe('running');
    lab.togglePauseAll(); // not all paused: pauses the one running again
    expect(lab.results[sgd.id].status).toBe('paused');
    lab.togglePauseAll(); // all paused: resumes all
    expect(Object.values(lab.results).map((r) => r.status)).toEqual([
      'running',
      'running',
      'running',
    ]);
    expect(workers.map((w) => w.received.at(-1))).toEqual([
      { type: 'resume' },
      { type: 'resume' },
      { type: 'resume' },
    ]);

    lab.pauseRun(adam.id);
    // A run paused before it reported its start stays paused when the report comes.
    workers[2].emit({ type: 'started', device: 'cpu float64' });
    expect(lab.results[adam.id]).toMatchObject({ status: 'paused', device: 'cpu float64' });
    lab.stopRun(adam.id);
    expect(lab.results[adam.id].status).toBe('stopped');
    expect(workers[2].terminated).toBe(true);
    lab.resumeRun(adam.id); // no worker: nothing to resume
    expect(workers[2].received.at(-1)).toEqual({ type: 'pause' });
    expect(lab.results[adam.id].status).toBe('stopped');
  });

  it('does not pause a finished run, and saves a paused run as stopped', async () => {
    const { lab, workers } = setup();
    lab.runAll();
    const [sgd, big] = lab.draft.runs;
    workers[0].emit({ type: 'points', points: [{ step: 1, time: 0, loss: 3 }], progress: 1 });
    workers[0].emit({ type: 'finished', status: 'done', metrics: runMetrics({ finalLoss: 3 }) });
    lab.pauseRun(sgd.id);
    expect(lab.results[sgd.id].status).toBe('done');
    expect(workers[0].received.map((m) => m.type)).toEqual(['start']);
    workers[1].emit({ type: 'points', points: [{ step: 2, time: 0, loss: 5 }], progress: 0.2 });
    lab.pauseRun(big.id);
    const path = await lab.save();
    const text = await lab.bridge.readFile(path);
    const stored = JSON.parse(text).results as { name: string; status: string }[];
    expect(stored.find((r) => r.name === 'Big lr')?.status).toBe('stopped');
  });

  it('keeps decision-boundary frames with the training points, and saves the last one', async () => {
    const { lab, workers, bridge } = setup();
    lab.runAll();
    const [sgd] = lab.draft.runs;
    const grid = { size: 2, x: [-1, 1] as [number, number], y: [-1, 1] as [number, number] };
    const frame = (step: number) => ({
      step,
      classes: 2,
      grid,
      predicted: [0, 1, 1, step % 2],
      confidence: [0.5, 0.9, 0.8, 0.7],
    });
    const points = { x: [0.5, 0.5, -0.5, -0.5], labels: [1, 0] };
    workers[0].emit({ type: 'boundary', frames: [frame(0), frame(5)], points });
    workers[0].emit({ type: 'boundary', frames: [frame(10)] });
    expect(lab.results[sgd.id].boundary?.frames.map((f) => f.step)).toEqual([0, 5, 10]);
    expect(lab.results[sgd.id].boundary?.points).toEqual(points);
    workers[0].emit({ type: 'finished', status: 'done', metrics: runMetrics({ finalLoss: 1 }) });
    lab.stopAll();
    const path = await lab.save();

    const { lab: other } = setup();
    Object.defineProperty(other, 'bridge', { value: bridge });
    await other.openPath(path);
    const reopened = other.results[other.draft.runs[0].id].boundary;
    expect(reopened).toEqual({ frames: [frame(10)], points });
  });
});
