import { describe, expect, it, vi } from 'vitest';
import { catalog } from '../src/renderer/src/lib/catalog.js';
import { workerCheck } from '../src/renderer/src/lib/check-client.js';
import { DebouncedCheck, type Timers } from '../src/renderer/src/lib/debounced-check.js';
import { fromSpec, type ExperimentDraft } from '../src/renderer/src/lib/draft.js';
import { checkDraft, issuesUnder } from '../src/renderer/src/lib/spec-check.js';

function csvDraft(
  text: string | undefined,
  dataset: Record<string, unknown> = {},
): ExperimentDraft {
  return fromSpec({
    version: 1,
    name: 'csv',
    task: {
      kind: 'classification',
      dataset: { type: 'csv', ...(text === undefined ? {} : { text }), ...dataset },
      model: { type: 'logistic-regression' },
    },
    training: { epochs: 2 },
    runs: [
      { name: 'a', optimizer: { type: 'Adam' } },
      { name: 'b', optimizer: { type: 'SGD', lr: -1 } },
    ],
  });
}

describe('checkDraft: the CLI’s validation, then the CSV parse', () => {
  it('gives the validator’s issues with their paths', () => {
    const report = checkDraft(csvDraft('x,y,label\n1,2,a\n3,4,b\n'), catalog);
    expect(report.issues).toEqual([
      { path: 'runs[1].optimizer.lr', message: 'must be ≥ 0, got -1' },
    ]);
    expect(issuesUnder(report.issues, 'runs[1]')).toHaveLength(1);
    expect(issuesUnder(report.issues, 'runs[0]')).toEqual([]);
    expect(issuesUnder([{ path: 'runs[10].name', message: 'x' }], 'runs[1]')).toEqual([]);
    expect(report.csv).toEqual({
      ok: true,
      rows: 2,
      features: 2,
      classes: 2,
      // The first rows as the runner reads them: the header's names, a class by its name.
      head: {
        columns: ['x', 'y', 'class'],
        rows: [
          ['1', '2', 'a'],
          ['3', '4', 'b'],
        ],
      },
    });
  });

  it('names the line and column of a bad cell', () => {
    const report = checkDraft(csvDraft('x,y,label\n1,2,a\n3,oops,b\n'), catalog);
    expect(report.csv).toEqual({ ok: false, message: expect.stringMatching(/line 3.*column 2/) });
  });

  it('does not parse when the dataset’s options are already refused, or there is no text', () => {
    const bad = checkDraft(csvDraft('x,y\n1,2\n', { delimiter: 7 }), catalog);
    expect(issuesUnder(bad.issues, 'task.dataset').length).toBeGreaterThan(0);
    expect(bad.csv).toBeUndefined();
    const none = checkDraft(csvDraft(undefined), catalog);
    expect(issuesUnder(none.issues, 'task.dataset')).toEqual([
      { path: 'task.dataset.text', message: expect.stringContaining('CSV contents are required') },
    ]);
    expect(none.csv).toBeUndefined();
  });

  it('parses a text once while other parts of the experiment change', () => {
    const text = 'x,y,label\n1,2,a\n3,4,b\n';
    const first = checkDraft(csvDraft(text), catalog).csv;
    const again = checkDraft({ ...csvDraft(text), name: 'renamed' }, catalog).csv;
    expect(again).toBe(first);
  });
});

/** Timers a test moves by hand. */
function manualTimers(): Timers & { fire(): void; pending(): number } {
  const queue = new Map<number, () => void>();
  let next = 0;
  return {
    set: (callback) => (queue.set(++next, callback), next),
    clear: (handle) => queue.delete(handle as number),
    fire: () => {
      const callbacks = [...queue.values()];
      queue.clear();
      callbacks.forEach((c) => c());
    },
    pending: () => queue.size,
  };
}

describe('DebouncedCheck: once per edit burst', () => {
  it('checks only the last input of a burst', async () => {
    const timers = manualTimers();
    const check = vi.fn(async (n: number) => n * 10);
    const results: number[] = [];
    const debounced = new DebouncedCheck(check, (r) => results.push(r), 300, timers);
    for (let i = 1; i <= 20; i++) debounced.request(i);
    expect(timers.pending()).toBe(1);
    expect(check).not.toHaveBeenCalled();
    timers.fire();
    await Promise.resolve();
    await Promise.resolve();
    expect(check).toHaveBeenCalledTimes(1);
    expect(check).toHaveBeenCalledWith(20);
    expect(results).toEqual([200]);
  });

  it('drops a slow result when a newer input has been sent since', async () => {
    const timers = manualTimers();
    const settle: ((v: string) => void)[] = [];
    const check = (input: string) =>
      new Promise<string>((resolve) => settle.push(() => resolve(input)));
    const results: string[] = [];
    const debounced = new DebouncedCheck(check, (r) => results.push(r), 300, timers);
    debounced.request('old');
    timers.fire();
    debounced.request('new');
    timers.fire();
    settle[1]('');
    await new Promise((r) => setTimeout(r, 0));
    settle[0]('');
    await new Promise((r) => setTimeout(r, 0));
    expect(results).toEqual(['new']);
    debounced.dispose();
    debounced.request('after');
    expect(timers.pending()).toBe(0);
  });
});

describe('workerCheck', () => {
  it('matches replies to requests, and answers every waiting check when the worker fails', async () => {
    const posted: { id: number }[] = [];
    const worker = {
      postMessage: (m: { id: number }) => posted.push(m),
      onmessage: null as ((e: MessageEvent) => void) | null,
      onerror: null as ((e: ErrorEvent) => void) | null,
    };
    const check = workerCheck(worker as unknown as Worker);
    const draft = csvDraft('x,y\n1,2\n');
    const a = check(draft);
    const b = check(draft);
    worker.onmessage!({ data: { id: posted[1].id, report: { issues: [] } } } as MessageEvent);
    expect(await b).toEqual({ issues: [] });
    worker.onerror!({ message: 'boom' } as ErrorEvent);
    expect(await a).toEqual({ issues: [{ path: '', message: 'the spec check failed: boom' }] });
  });
});
