// The lab's store with fake workers, for image folders, classification reports and progress.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BrowserBridge } from '../src/renderer/src/lib/bridge/browser.js';
import { MemoryStore } from '../src/renderer/src/lib/bridge/key-value.js';
import { fromSpec } from '../src/renderer/src/lib/draft.js';
import { loadPickedFolder } from '../src/renderer/src/lib/idx-folder.js';
import { LabState, type WorkerFactory } from '../src/renderer/src/lib/lab.svelte.js';
import { runTimeLeft } from '../src/renderer/src/lib/time-left.js';
import type { FromWorker, ToWorker } from '../src/renderer/src/lib/worker-protocol.js';

class FakeWorker {
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  received: ToWorker[] = [];
  postMessage(message: ToWorker): void {
    this.received.push(message);
  }
  terminate(): void {}
  emit(message: FromWorker): void {
    this.onmessage?.({ data: message } as MessageEvent<FromWorker>);
  }
}

const FOLDER = join(import.meta.dirname, '../../../libs/models/test/fixtures/idx/plain');

function setup() {
  const workers: FakeWorker[] = [];
  const factory = (() => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as ReturnType<WorkerFactory>;
  }) as WorkerFactory;
  const bridge = new BrowserBridge(new MemoryStore(), {
    pickFile: async () => null,
    download: () => undefined,
    settings: { getItem: () => null, setItem: () => undefined },
  });
  const lab = new LabState(
    bridge,
    factory,
    fromSpec({
      version: 1,
      name: 'images',
      task: {
        kind: 'classification',
        dataset: { type: 'idx', folder: 'plain' },
        model: { type: 'mlp' },
      },
      training: { epochs: 1 },
      runs: [{ name: 'SGD', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu' }],
    }),
  );
  return { lab, workers };
}

describe('LabState with an image folder', () => {
  it('refuses to start before the folder is picked, then hands its bytes to the worker only', async () => {
    const { lab, workers } = setup();
    expect(lab.runAll()).toBe(false);
    expect(lab.problems).toEqual([
      "task.dataset.folder: the lab reads the idx files from a folder you pick (plain): choose the folder in the task's form",
    ]);
    expect(workers).toHaveLength(0);
    const picked = readdirSync(FOLDER).map((name) => {
      const bytes = new Uint8Array(readFileSync(join(FOLDER, name)));
      return {
        name,
        size: bytes.length,
        webkitRelativePath: `plain/${name}`,
        arrayBuffer: async () => bytes.slice().buffer,
      };
    });
    const loaded = await loadPickedFolder(picked, 'idx');
    if (!loaded.ok) throw new Error(loaded.error);
    lab.folders.set(loaded.loaded);
    expect(lab.runAll()).toBe(true);
    const start = workers[0].received[0];
    if (start.type !== 'start') throw new Error('a start message');
    expect(start.report).toBe(true);
    const dataset = (start.spec['task'] as { dataset: Record<string, unknown> }).dataset;
    expect(dataset['folder']).toBe('plain');
    expect(dataset['files']).toBe(loaded.loaded.files);
    // The experiment itself never holds the bytes.
    expect(JSON.stringify(lab.draft)).not.toContain('files');
  });

  it('keeps the report, redraws charts only for new points, and tracks the time left', async () => {
    const { lab, workers } = setup();
    const picked = readdirSync(FOLDER).map((name) => {
      const bytes = new Uint8Array(readFileSync(join(FOLDER, name)));
      return {
        name,
        size: bytes.length,
        webkitRelativePath: `plain/${name}`,
        arrayBuffer: async () => bytes.slice().buffer,
      };
    });
    const loaded = await loadPickedFolder(picked, 'idx');
    if (!loaded.ok) throw new Error(loaded.error);
    lab.folders.set(loaded.loaded);
    lab.runAll();
    const id = lab.draft.runs[0].id;
    const w = workers[0];
    w.emit({ type: 'started', device: 'cpu' });
    const version = lab.version;
    w.emit({ type: 'points', points: [], progress: 0.1, step: 1, elapsedMs: 1000 });
    expect(lab.version).toBe(version); // progress alone: the bars move, the charts do not redraw
    expect(lab.results[id].elapsedMs).toBe(1000);
    expect(runTimeLeft(id, lab.results[id])).toBeNull();
    w.emit({ type: 'points', points: [], progress: 0.3, step: 3, elapsedMs: 2000 });
    // 20% a second: 70% left takes 3.5 s.
    expect(runTimeLeft(id, lab.results[id])).toBeCloseTo(3500, 6);
    w.emit({
      type: 'points',
      points: [{ step: 3, loss: 1 }],
      progress: 0.3,
      step: 3,
      elapsedMs: 2000,
    });
    expect(lab.version).toBe(version + 1);
    const report = {
      split: 'test' as const,
      rows: 3,
      classes: 3,
      classNames: ['0', '1', '2'],
      confusion: [1, 0, 0, 0, 0, 1, 0, 0, 1],
      misclassifiedCount: 1,
      misclassified: [{ index: 1, label: 1, predicted: 2, confidence: 0.5, pixels: [0, 1] }],
      imageShape: [1, 2],
    };
    w.emit({ type: 'report', report });
    expect(lab.results[id].report).toBe(report);
    w.emit({ type: 'finished', status: 'done' });
    expect(lab.results[id].report).toBe(report);
    expect(runTimeLeft(id, lab.results[id])).toBeNull(); // done: no time left shown
  });
});
