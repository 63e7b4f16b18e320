// Sweeps in the lab: the worker executor gives runComparison's analysis (the CLI's), bounded to
// `concurrency` workers at once; the sensitivity and leaderboard data read it.
import { describe, expect, it, vi } from 'vitest';
import {
  assertSpec,
  comparisonSummary,
  defaultCatalog,
  runComparison,
  runExperiment,
  type ExperimentSummary,
  type RunMetrics,
} from '@optlab/experiment';
import { runSweep } from '../src/renderer/src/lib/sweep-run.js';
import { sensitivity, sweptPaths } from '../src/renderer/src/lib/sensitivity.js';
import { leaderboardRows } from '../src/renderer/src/lib/leaderboard.js';
import type { FromWorker, ToWorker } from '../src/renderer/src/lib/worker-protocol.js';
import { BrowserBridge } from '../src/renderer/src/lib/bridge/browser.js';
import { MemoryStore } from '../src/renderer/src/lib/bridge/key-value.js';
import { fromSpec } from '../src/renderer/src/lib/draft.js';
import { LabState } from '../src/renderer/src/lib/lab.svelte.js';

// ½·(x² + 4y²) from (1, 1): SGD's contraction max|1 − lr·c| is 0.99, 0.954, 0.785, 3 at
// lr 0.01, 0.0464, 0.215, 1 — lr 0.215 is best, lr 1 diverges.
const SPEC = assertSpec(
  {
    version: 1,
    name: 'sweep-unit',
    task: {
      kind: 'function',
      function: { type: 'quadratic', coefficients: [1, 4] },
      start: [1, 1],
    },
    training: { steps: 50 },
    runs: [
      {
        name: 'SGD',
        optimizer: { type: 'SGD' },
        backend: 'cpu64',
        sweep: { 'optimizer.lr': { logspace: [0.01, 1, 4] } },
      },
      {
        name: 'Adam',
        optimizer: { type: 'Adam' },
        backend: 'cpu64',
        sweep: { 'optimizer.lr': { logspace: [0.001, 1, 4] } },
      },
    ],
    protocol: { tuneSeeds: [0], rerunSeeds: 3 },
  },
  defaultCatalog(),
);

/** A run worker in-process: it trains what the real one trains (its spec's run, validated). */
function fakeWorkers(log: { live: number; most: number; summarized?: number }) {
  return () => {
    const worker = {
      onmessage: null as ((e: MessageEvent<FromWorker>) => void) | null,
      onerror: null,
      terminated: false,
      training: false,
      terminate() {
        if (this.training && !this.terminated) log.live -= 1;
        this.terminated = true;
      },
      postMessage(message: ToWorker) {
        if (message.type === 'summarize') {
          // The summary worker: comparisonSummary of the spec it is sent, as run.worker.ts does.
          log.summarized = (log.summarized ?? 0) + 1;
          const summary = comparisonSummary(
            assertSpec(message.spec, defaultCatalog()),
            message.tune,
            message.rerun,
            message.timing,
          );
          setTimeout(
            () =>
              worker.onmessage?.({
                data: { type: 'summary', summary },
              } as MessageEvent<FromWorker>),
            1,
          );
          return;
        }
        if (message.type !== 'start') return;
        worker.training = true;
        log.live += 1;
        log.most = Math.max(log.most, log.live);
        void (async () => {
          const runs = message.spec['runs'] as unknown[];
          const single = assertSpec(
            { ...message.spec, runs: [runs[message.runIndex]] },
            defaultCatalog(),
          );
          const seeds: RunMetrics[] = [];
          for await (const e of runExperiment(single)) if (e.type === 'end') seeds.push(e.metrics);
          await new Promise((r) => setTimeout(r, 1));
          worker.onmessage?.({
            data: { type: 'finished', status: seeds[0].status, metrics: seeds[0], seeds },
          } as unknown as MessageEvent<FromWorker>);
        })();
      },
    };
    return worker as unknown as Worker;
  };
}

async function labSummary(concurrency: number) {
  const log = { live: 0, most: 0, summarized: 0 };
  const progress: number[] = [];
  const summary = await runSweep(SPEC, fakeWorkers(log), {
    concurrency,
    signal: new AbortController().signal,
    onProgress: (p) => progress.push(p.done * 100 + p.total),
  });
  return { summary: summary!, log, progress };
}

async function cliSummary(): Promise<ExperimentSummary> {
  let summary: ExperimentSummary | null = null;
  for await (const e of runComparison(SPEC)) if (e.type === 'summary') summary = e.summary;
  return summary!;
}

describe('runSweep on workers', () => {
  it("gives the CLI's analysis, at most `concurrency` workers at a time", async () => {
    const { summary, log, progress } = await labSummary(3);
    expect(log.most).toBe(3);
    expect(log.live).toBe(0);
    // The analysis is computed by a worker, once, not on the page's thread.
    expect(log.summarized).toBe(1);
    // 8 tuning trainings, then 2 × 3 reruns; progress is done/total.
    expect(progress).toEqual(Array.from({ length: 14 }, (_, i) => (i + 1) * 100 + 14));
    const cli = await cliSummary();
    const choices = (s: ExperimentSummary) =>
      s.analysis!.groups.map((g) => [
        g.name,
        g.best,
        g.budget,
        g.configurations.map((c) => c.score),
      ]);
    expect(choices(summary)).toEqual(choices(cli));
    expect(summary.analysis!.groups[0].best).toBe('SGD[lr=0.215]');
    expect(summary.analysis!.leaderboard).toEqual(cli.analysis!.leaderboard);
  });

  it('stops at the abort: workers terminated, null', async () => {
    const log = { live: 0, most: 0 };
    const abort = new AbortController();
    const summary = await runSweep(SPEC, fakeWorkers(log), {
      concurrency: 2,
      signal: abort.signal,
      onProgress: (p) => p.done === 1 && abort.abort(),
    });
    expect(summary).toBeNull();
    expect(log.live).toBe(0);
  });
});

describe('the analysis in a worker', () => {
  it('is stopped with the sweep: its worker terminated, null', async () => {
    const log = { live: 0, most: 0 };
    const abort = new AbortController();
    const train = fakeWorkers(log);
    let analysis: { terminated: boolean } | null = null;
    const factory = () => {
      const worker = train() as unknown as {
        postMessage: (m: ToWorker) => void;
        terminated: boolean;
      };
      const post = worker.postMessage.bind(worker);
      worker.postMessage = (m: ToWorker) => {
        // The stop comes while the summary worker computes: it never answers.
        if (m.type === 'summarize') {
          analysis = worker;
          abort.abort();
          return;
        }
        post(m);
      };
      return worker as unknown as Worker;
    };
    const summary = await runSweep(SPEC, factory, {
      concurrency: 2,
      signal: abort.signal,
      onProgress: () => undefined,
    });
    expect(summary).toBeNull();
    expect(analysis).not.toBeNull();
    expect(analysis!.terminated).toBe(true);
    expect(log.live).toBe(0);
  });

  it("fails the sweep with the worker's message", async () => {
    const train = fakeWorkers({ live: 0, most: 0 });
    const factory = () => {
      const worker = train() as unknown as {
        postMessage: (m: ToWorker) => void;
        onmessage: ((e: MessageEvent<FromWorker>) => void) | null;
      };
      const post = worker.postMessage.bind(worker);
      worker.postMessage = (m: ToWorker) => {
        if (m.type !== 'summarize') return post(m);
        setTimeout(
          () =>
            worker.onmessage?.({
              data: { type: 'error', message: 'out of memory' },
            } as MessageEvent<FromWorker>),
          1,
        );
      };
      return worker as unknown as Worker;
    };
    await expect(
      runSweep(SPEC, factory, {
        concurrency: 2,
        signal: new AbortController().signal,
        onProgress: () => undefined,
      }),
    ).rejects.toThrow("the comparison's analysis failed: out of memory");
  });
});

describe('sensitivity and leaderboard data', () => {
  it('draws each run against its lr: scores, bands, the best and the diverged', async () => {
    const { summary } = await labSummary(2);
    const a = summary.analysis!;
    expect(sweptPaths(a)).toEqual(['optimizer.lr']);
    const s = sensitivity(a, 'optimizer.lr');
    expect(s.metric).toBe('final loss');
    expect(s.band).toBe(true);
    expect(s.xs.map((x) => Number(x.toPrecision(3)))).toEqual([0.001, 0.01, 0.0464, 0.1, 0.215, 1]);
    const [sgd, adam] = s.lines;
    const sgdScores = a.groups[0].configurations.map((c) => c.score);
    // SGD did not try 0.001 or 0.1 (Adam's grid): null there; at lr 1 it diverged.
    expect(sgdScores[3]).toBeNull();
    expect(sgd.median).toEqual([null, sgdScores[0], sgdScores[1], null, sgdScores[2], null]);
    expect(sgd.q1).toEqual(sgd.median);
    expect(sgd.diverged).toEqual([1]);
    expect(sgd.best).toBeCloseTo(10 ** (-2 / 3), 12);
    expect(adam.median.filter((v) => v !== null)).toHaveLength(4 - adam.diverged.length);
    expect(adam.best).toBe(a.groups[1].bestValues['optimizer.lr']);
  });

  it('lists the runs best first with configuration, CI, seeds and budget', async () => {
    const { summary } = await labSummary(2);
    const rows = leaderboardRows(summary);
    expect(rows.map((r) => r.run)).toEqual(summary.analysis!.leaderboard);
    const sgd = rows.find((r) => r.run === 'SGD')!;
    const stats = summary.analysis!.groups[0].reported.stats.finalLoss!;
    const f = (v: number) => Number(v.toPrecision(4)).toString();
    expect(sgd).toEqual({
      rank: rows.indexOf(sgd) + 1,
      run: 'SGD',
      optimizer: 'SGD',
      best: 'SGD[lr=0.215]',
      metric: `${f(stats.median!)} [${f(stats.medianCi!.low)}–${f(stats.medianCi!.high)}]`,
      seeds: 3,
      budget: 4,
      targetSteps: null,
      targetTime: null,
      gridEdges: [],
    });
  });
});

describe('LabState with a sweep', () => {
  it('runs the comparison on at most `concurrency` workers; Stop ends it', async () => {
    const started: { received: ToWorker[]; terminated: boolean }[] = [];
    const factory = () => {
      const w = {
        received: [] as ToWorker[],
        terminated: false,
        onmessage: null,
        onerror: null,
        postMessage(m: ToWorker) {
          this.received.push(m);
        },
        terminate() {
          this.terminated = true;
        },
      };
      started.push(w);
      return w as unknown as Worker;
    };
    const bridge = new BrowserBridge(new MemoryStore(), {
      pickFile: async () => null,
      download: () => undefined,
      settings: { getItem: () => null, setItem: () => undefined },
    });
    const { $schema: _s, ...spec } = SPEC as unknown as Record<string, unknown>;
    const lab = new LabState(bridge, factory, fromSpec(spec), () => [], 2);
    expect(lab.runAll()).toBe(true);
    expect(lab.sweep?.status).toBe('running');
    await vi.waitFor(() => expect(started).toHaveLength(2));
    const starts = started.map((w) => w.received[0] as Extract<ToWorker, { type: 'start' }>);
    // The tuning phase: 8 configurations, trained alone by index, without decision boundaries.
    expect(starts.map((m) => m.runIndex)).toEqual([0, 1]);
    expect((starts[0].spec['runs'] as { name: string }[]).map((r) => r.name)).toEqual([
      'SGD[lr=0.01]',
      'SGD[lr=0.0464]',
      'SGD[lr=0.215]',
      'SGD[lr=1]',
      'Adam[lr=1e-3]',
      'Adam[lr=0.01]',
      'Adam[lr=0.1]',
      'Adam[lr=1]',
    ]);
    expect(starts.every((m) => m.boundary === false && !('protocol' in m.spec))).toBe(true);
    expect(lab.running).toBe(true);
    // Pause acts on the runs' own workers only; a comparison is stopped, not paused.
    expect(lab.pausable).toBe(false);
    lab.stopAll();
    expect(lab.sweep?.status).toBe('stopped');
    await vi.waitFor(() => expect(started.every((w) => w.terminated)).toBe(true));
    expect(started).toHaveLength(2);
    expect(lab.running).toBe(false);
  });
});
