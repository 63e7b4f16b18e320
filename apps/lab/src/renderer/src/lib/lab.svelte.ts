/**
 * The lab's state: the experiment being edited, the results of its runs, which file it came
 * from, and the workers that are training. Components read it; every change goes through its
 * methods. Result columns are large, so they are kept out of Svelte's deep reactivity
 * ($state.raw) and `version` is bumped when they grow.
 */
import { assertSpec, type ExperimentSummary } from '@optlab/experiment';
import type { LabBridge } from '../../../shared/bridge.js';
import { catalog } from './catalog.js';
import { fileStem } from '../../../shared/paths.js';
import {
  addRun,
  duplicateRun,
  moveRun,
  removeRun,
  toSpec,
  updateRun,
  type ExperimentDraft,
  type RunDraft,
} from './draft.js';
import { parseExperiment, serializeExperiment } from './results-file.js';
import { resultsToCsv } from './csv.js';
import { experimentSettings } from './stale.js';
import { summaryToCsv } from './summary-csv.js';
import { applyRunEvent } from './run-events.js';
import { emptyResult, isActive, type RunResult } from './series.js';
import type { SpecReport } from './spec-check.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';
import { isSweepSpec, runSweep, type SweepProgress } from './sweep-run.js';
import { FolderStore } from './folder-data.js';
import { ProfileFiles } from './profile-store.svelte.js';

export type View =
  | 'build'
  | 'compare'
  | 'paths'
  | 'boundary'
  | 'benchmark'
  | 'sweep'
  | 'learn'
  | 'landscape'
  | 'profile';

/** A comparison (sweeps, protocol) in the lab: its progress, then its summary with the analysis. */
export interface SweepState {
  status: 'running' | 'done' | 'stopped' | 'error';
  progress: SweepProgress;
  summary: ExperimentSummary | null;
  error?: string;
}

/** Starts a worker for one run; replaced in tests. */
export type WorkerFactory = () => Pick<
  Worker,
  'postMessage' | 'terminate' | 'onmessage' | 'onerror'
>;

export const EXPERIMENTS_DIR = 'experiments';

export class LabState {
  // Edits replace the draft (pure functions in draft.ts), so it needs no deep proxy.
  draft = $state.raw<ExperimentDraft>() as ExperimentDraft;
  results = $state.raw<Record<string, RunResult>>({});
  /** Bumped whenever result columns grow (charts redraw on it, batched per frame). */
  version = $state(0);
  view = $state<View>('build');
  filePath = $state<string | null>(null);
  dirty = $state(false);
  notice = $state<{ kind: 'info' | 'error'; text: string } | null>(null);
  /** The last check of the draft (validator issues, CSV parse), made off the UI thread. */
  check = $state.raw<SpecReport | null>(null);
  /** Why the experiment cannot run, one line each with its JSON path; empty when it can. */
  problems = $state<string[]>([]);

  /** Dataset folders picked in this page (their bytes go to the workers, not into the file). */
  readonly folders = new FolderStore();
  /** The CLI result files opened in the performance profile view. */
  readonly profiles = new ProfileFiles();

  /** The last comparison run (a spec with sweeps or a protocol); null before any. */
  sweep = $state.raw<SweepState | null>(null);

  private readonly workers = new Map<string, ReturnType<WorkerFactory>>();
  private sweepAbort: AbortController | null = null;

  constructor(
    readonly bridge: LabBridge,
    readonly startWorker: WorkerFactory,
    initial: ExperimentDraft,
    /** Problems of a spec, one line each (`runs[1].optimizer.lr: must be > 0`); empty when it can run. */
    private readonly validate: (spec: Record<string, unknown>) => string[] = () => [],
    /** Workers a comparison (sweep) runs at once. */
    private readonly concurrency = globalThis.navigator?.hardwareConcurrency || 2,
  ) {
    this.draft = initial;
  }

  /** Some run has a worker (queued, running or paused). */
  get running(): boolean {
    return (
      this.sweep?.status === 'running' ||
      Object.values(this.results).some((r) => isActive(r.status))
    );
  }

  /** Some run's own worker is active: pause applies to those (a comparison only stops). */
  get pausable(): boolean {
    return Object.values(this.results).some((r) => isActive(r.status));
  }

  /** Some run is paused, and none of the others is training (the toolbar offers "Resume all"). */
  get allPaused(): boolean {
    const active = Object.values(this.results).filter((r) => isActive(r.status));
    return active.length > 0 && active.every((r) => r.status === 'paused');
  }

  // ---- editing -------------------------------------------------------------------------------

  edit(next: ExperimentDraft): void {
    this.draft = next;
    this.dirty = true;
  }

  editRun(id: string, patch: Partial<Omit<RunDraft, 'id'>>): void {
    this.edit(updateRun(this.draft, id, patch));
  }

  addRun(run: Omit<RunDraft, 'id'>): void {
    this.edit(addRun(this.draft, run));
  }

  duplicateRun(id: string): void {
    this.edit(duplicateRun(this.draft, id));
  }

  moveRun(id: string, delta: number): void {
    this.edit(moveRun(this.draft, id, delta));
  }

  removeRun(id: string): void {
    this.stopRun(id);
    this.edit(removeRun(this.draft, id));
    const { [id]: _removed, ...rest } = this.results;
    this.results = rest;
  }

  /** Replaces the experiment (a preset, an opened file); stops whatever is training. */
  load(
    draft: ExperimentDraft,
    results: Record<string, RunResult> = {},
    filePath: string | null = null,
  ): void {
    this.stopAll();
    this.draft = draft;
    this.results = results;
    this.filePath = filePath;
    this.dirty = false;
    this.problems = [];
    this.version += 1;
  }

  // ---- running -------------------------------------------------------------------------------

  /** Starts every run, each in its worker; returns false (and says why) when the spec is invalid. */
  runAll(): boolean {
    if (!this.checkSpec()) return false;
    const spec = toSpec(this.draft);
    if (isSweepSpec(spec)) {
      void this.runComparison(spec);
      return true;
    }
    for (const run of this.draft.runs) this.start(run.id);
    return true;
  }

  /**
   * Runs the spec as the CLI does (`runComparison`): every configuration of its sweeps, then the
   * reruns of each run's best, on at most `concurrency` workers at a time.
   */
  private async runComparison(spec: Record<string, unknown>): Promise<void> {
    this.stopSweep();
    const abort = new AbortController();
    this.sweepAbort = abort;
    this.sweep = { status: 'running', progress: { done: 0, total: 0 }, summary: null };
    const update = (patch: Partial<SweepState>) => {
      if (this.sweepAbort === abort && this.sweep) this.sweep = { ...this.sweep, ...patch };
    };
    try {
      const summary = await runSweep(
        this.folders.withFiles(assertSpec(spec, catalog)),
        this.startWorker,
        {
          concurrency: this.concurrency,
          signal: abort.signal,
          onProgress: (progress) => update({ progress }),
        },
      );
      update(summary ? { status: 'done', summary } : { status: 'stopped' });
    } catch (error) {
      update({ status: 'error', error: (error as Error).message });
    } finally {
      if (this.sweepAbort === abort) this.sweepAbort = null;
    }
  }

  private stopSweep(): void {
    if (!this.sweepAbort) return;
    this.sweepAbort.abort();
    this.sweepAbort = null;
    if (this.sweep?.status === 'running') this.sweep = { ...this.sweep, status: 'stopped' };
  }

  /** (Re)starts one run in its own worker; the other runs and their results are untouched. */
  runOne(id: string): boolean {
    if (!this.checkSpec()) return false;
    this.start(id);
    return true;
  }

  /** The whole experiment is checked before any worker starts; its problems are listed in one place. */
  private checkSpec(): boolean {
    const spec = toSpec(this.draft);
    this.problems = this.validate(spec);
    if (this.problems.length === 0) this.problems = this.folders.problems(spec);
    return this.problems.length === 0;
  }

  private start(id: string): void {
    this.stopRun(id, false);
    const runIndex = this.draft.runs.findIndex((r) => r.id === id);
    if (runIndex < 0) return;
    const spec = this.folders.withFiles(toSpec(this.draft));
    const result: RunResult = {
      ...emptyResult(),
      status: 'queued',
      runSpec: (spec['runs'] as unknown[])[runIndex],
      settings: structuredClone(experimentSettings(this.draft)),
      startedAt: Date.now(),
    };
    this.setResult(id, result);
    const worker = this.startWorker();
    this.workers.set(id, worker);
    worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(id, worker, event.data);
    worker.onerror = (event: ErrorEvent) => {
      this.receive(id, worker, {
        type: 'error',
        message: event.message || 'the run worker failed to start',
      });
    };
    worker.postMessage({
      type: 'start',
      spec,
      runIndex,
      boundary: true,
      evaluations: true,
      report: true,
      seedPoints: true,
    } satisfies ToWorker);
  }

  stopRun(id: string, mark = true): void {
    const worker = this.workers.get(id);
    if (!worker) return;
    worker.terminate();
    this.workers.delete(id);
    const result = this.results[id];
    if (mark && result && isActive(result.status)) {
      this.setResult(id, { ...result, status: 'stopped' });
    }
  }

  /**
   * Pauses a training run: its worker stops pulling the runner's events (so it stops computing)
   * and the run's clock stops, so its times do not count the pause. Its results stay.
   */
  pauseRun(id: string): void {
    const worker = this.workers.get(id);
    const result = this.results[id];
    if (!worker || !result || (result.status !== 'running' && result.status !== 'queued')) return;
    worker.postMessage({ type: 'pause' } satisfies ToWorker);
    this.setResult(id, { ...result, status: 'paused' });
  }

  resumeRun(id: string): void {
    const worker = this.workers.get(id);
    const result = this.results[id];
    if (!worker || result?.status !== 'paused') return;
    worker.postMessage({ type: 'resume' } satisfies ToWorker);
    this.setResult(id, { ...result, status: 'running' });
  }

  pauseAll(): void {
    for (const id of [...this.workers.keys()]) this.pauseRun(id);
  }

  resumeAll(): void {
    for (const id of [...this.workers.keys()]) this.resumeRun(id);
  }

  /** Resumes all when every active run is paused; pauses all otherwise. */
  togglePauseAll(): void {
    if (this.allPaused) this.resumeAll();
    else this.pauseAll();
  }

  stopAll(): void {
    this.stopSweep();
    for (const id of [...this.workers.keys()]) this.stopRun(id);
  }

  /** A worker's message: the result follows it (applyRunEvent); a finished worker is let go. */
  private receive(id: string, worker: ReturnType<WorkerFactory>, message: FromWorker): void {
    if (this.workers.get(id) !== worker) return;
    const result = this.results[id];
    if (!result) return;
    if (message.type === 'finished' || message.type === 'error') {
      this.workers.delete(id);
      worker.terminate();
    }
    // Progress alone (no new points) moves the bars, not the charts: no `version` bump.
    const redraw = message.type !== 'points' || message.points.length > 0 || !!message.evaluations;
    this.setResult(id, applyRunEvent(result, message), redraw);
  }

  private setResult(id: string, result: RunResult, redraw = true): void {
    this.results = { ...this.results, [id]: result };
    if (redraw) this.version += 1;
  }

  // ---- files ---------------------------------------------------------------------------------

  /** Saves to the current file, or to `experiments/<name>.json` the first time. */
  async save(
    path = this.filePath ?? `${EXPERIMENTS_DIR}/${fileStem(this.draft.name)}.json`,
  ): Promise<string> {
    await this.bridge.writeFile(path, serializeExperiment(this.draft, this.results));
    await this.bridge.addRecentFile(path);
    this.filePath = path;
    this.dirty = false;
    this.notify('info', `Saved ${path}`);
    return path;
  }

  /** Opens a workspace file (its results come back without rerunning). */
  async openPath(path: string): Promise<void> {
    const text = await this.bridge.readFile(path);
    const { draft, results } = parseExperiment(text);
    this.load(draft, results, path);
    await this.bridge.addRecentFile(path);
    const count = Object.keys(results).length;
    this.notify(
      'info',
      `Opened ${path}${count ? ` with the results of ${count} run${count === 1 ? '' : 's'}` : ''}`,
    );
  }

  /** Opens a file the user picks (dialog or upload). */
  async openDialog(): Promise<void> {
    const file = await this.bridge.openFileDialog();
    if (!file) return;
    const { draft, results } = parseExperiment(file.text);
    this.load(draft, results, file.path);
    this.notify('info', `Opened ${file.name}`);
  }

  async exportCsv(): Promise<void> {
    await this.bridge.exportFile(
      `${fileStem(this.draft.name)}.csv`,
      resultsToCsv(this.draft, this.results),
    );
  }

  /** One row per run: the results table's numbers at full precision. */
  async exportSummaryCsv(): Promise<void> {
    await this.bridge.exportFile(
      `${fileStem(this.draft.name)}-summary.csv`,
      summaryToCsv(this.draft, this.results),
    );
  }

  async exportJson(): Promise<void> {
    await this.bridge.exportFile(
      `${fileStem(this.draft.name)}-results.json`,
      serializeExperiment(this.draft, this.results),
    );
  }

  notify(kind: 'info' | 'error', text: string): void {
    this.notice = { kind, text };
  }
}
