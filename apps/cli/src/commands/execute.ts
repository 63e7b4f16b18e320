import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  formatShard,
  runComparison,
  shardUnits,
  trainingsOf,
  tuningSpec,
  unitsOf,
  suiteProfile,
  type BackendName,
  type Shard,
  type ExperimentSpec,
  type ExperimentSummary,
  type SpecDocument,
  type SpecIssue,
} from '@optlab/experiment';
import {
  OutputFolderError,
  ResultWriter,
  SUITE_FILE,
  prepareOutputFolder,
  recordedSpec,
  ExperimentPool,
  readTunedFolder,
  shardRecord,
  specHash,
  writeAtomic,
  writeShardMetrics,
  writeShardRecord,
  type TunedRead,
} from '@optlab/experiment/node';
import { formatIssues } from '../render/issues.js';
import { EXIT, type CliIo } from '../io.js';
import { progressView } from '../render/progress.js';
import { resultsTable } from '../render/table.js';
import { comparisonText, isComparison } from '../render/comparison.js';
import { suiteProfileText } from '../render/performance-profile.js';

export interface ExecuteOptions {
  /** Output folder; a suite writes one subfolder per experiment. */
  readonly out: string;
  /** Reuse a non-empty output folder after clearing OptLab's files in it (prepareOutputFolder). */
  readonly force?: boolean;
  readonly json: boolean;
  /** Overrides every run's backend. */
  readonly backend?: BackendName;
  /** Runs trained at once on worker threads (`--jobs`); 1 trains them one after the other here. */
  readonly jobs: number;
  /**
   * Run only this shard of the experiment's tuning phase (`--shard K/N`: every configuration of
   * its sweeps on the tune seeds; a plain spec's own runs); experiments only.
   */
  readonly shard?: Shard;
  /**
   * A merged tuning phase of this spec (`--tuned DIR`, written by `optlab merge`): only the
   * protocol's rerun phase trains; experiments only.
   */
  readonly tuned?: string;
}

/** Every run of the spec on one backend (`--backend`); a gpu.js mode only stays for "gpu". */
export function withBackend(
  spec: ExperimentSpec,
  backend: BackendName | undefined,
): ExperimentSpec {
  if (!backend) return spec;
  return {
    ...spec,
    runs: spec.runs.map((r) => ({
      ...r,
      backend,
      gpuMode: backend === 'gpu' ? r.gpuMode : undefined,
    })),
  };
}

/**
 * Folder-safe form of a name: runs of other characters become '-'; leading dots go too, so that
 * no name becomes '.', '..' or a hidden folder.
 */
export function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'experiment';
}

/**
 * The folder of each experiment of a suite, or the problems: two experiments whose names give the
 * same folder (compared without case, as macOS and Windows file systems do) would overwrite each
 * other, and a folder named like the suite's own file would clash with it.
 */
export function suiteFolders(
  experiments: readonly ExperimentSpec[],
): { ok: true; folders: string[] } | { ok: false; issues: SpecIssue[] } {
  const issues: SpecIssue[] = [];
  const seen = new Map<string, number>();
  const folders = experiments.map((spec, i) => {
    const folder = slug(spec.name);
    const key = folder.toLowerCase();
    const path = `experiments[${i}].name`;
    const first = seen.get(key);
    if (key === SUITE_FILE) {
      issues.push({
        path,
        message: `"${spec.name}" names a folder "${folder}", which is the suite's own file`,
      });
    } else if (first !== undefined) {
      issues.push({
        path,
        message:
          `"${spec.name}" and "${experiments[first].name}" (experiments[${first}]) both map to ` +
          `the folder "${folder}"; give them names that differ in letters, digits, '.', '_' or '-'`,
      });
    } else seen.set(key, i);
    return folder;
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, folders };
}

/**
 * Runs a validated document, writing result files as events come, showing progress, and
 * printing the table (or, with --json, the summaries as JSON on stdout). Returns the exit code.
 */
export async function executeDocument(
  doc: SpecDocument,
  options: ExecuteOptions,
  io: CliIo,
): Promise<number> {
  // Validation may have taken a while; a signal that came meanwhile cancels before anything is
  // written (the runner would only notice it after creating the folder).
  if (io.signal?.aborted) {
    io.stderr('cancelled before the first run: nothing was written\n');
    return EXIT.cancelled;
  }
  const folders =
    doc.kind === 'experiment'
      ? { ok: true as const, folders: [] }
      : suiteFolders(doc.suite.experiments);
  if (!folders.ok) {
    io.stderr(formatIssues(folders.issues));
    return EXIT.badInput;
  }
  // A merged tuning phase is checked before anything is written.
  let tuned: TunedRead | undefined;
  if (options.tuned !== undefined && doc.kind === 'experiment') {
    const spec = withBackend(doc.spec, options.backend);
    tuned = readTunedFolder(options.tuned, specHash(spec), unitsOf(tuningSpec(spec)).length);
    if (!tuned.ok) {
      io.stderr(formatIssues(tuned.issues));
      return EXIT.badInput;
    }
  }
  try {
    prepareOutputFolder(options.out, { force: options.force });
  } catch (err) {
    if (!(err instanceof OutputFolderError)) throw err;
    io.stderr(formatIssues([{ path: '--out', message: err.message }]));
    return EXIT.badInput;
  }
  const specs =
    doc.kind === 'experiment'
      ? [{ spec: withBackend(doc.spec, options.backend), dir: options.out }]
      : doc.suite.experiments.map((s, i) => ({
          spec: withBackend(s, options.backend),
          dir: join(options.out, folders.folders[i]),
        }));
  const summaries: ExperimentSummary[] = [];
  if (doc.kind === 'suite' && !options.json) {
    const n = doc.suite.experiments.length;
    io.stdout(`suite ${doc.suite.name}: ${n} experiment${n === 1 ? '' : 's'}\n`);
    io.stdout(`tuning budget: ${doc.suite.tuningBudget}\n`);
  }
  for (const { spec, dir } of specs) {
    const summary = await executeSpec(spec, dir, io, options, tuned?.ok ? tuned : undefined);
    if (!summary) return EXIT.cancelled;
    summaries.push(summary);
    if (!options.json) {
      io.stdout(`\n${spec.name} — ${summary.task}\n`);
      io.stdout(resultsTable(summary));
      if (isComparison(spec)) io.stdout(comparisonText(summary));
      io.stdout(`results: ${dir}\n`);
    }
  }
  if (doc.kind === 'suite') {
    if (!options.json) io.stdout(`\n${suiteProfileText(summaries)}`);
    writeAtomic(
      join(options.out, SUITE_FILE),
      JSON.stringify(
        {
          suite: doc.suite.name,
          tuningBudget: doc.suite.tuningBudget,
          experiments: summaries.map((s, i) => ({
            name: s.experiment,
            folder: folders.folders[i],
            status: s.status,
          })),
        },
        null,
        2,
      ) + '\n',
    );
  }
  if (options.json) {
    const payload =
      doc.kind === 'experiment'
        ? { out: options.out, summary: summaries[0] }
        : {
            out: options.out,
            suite: doc.suite.name,
            tuningBudget: doc.suite.tuningBudget,
            performanceProfile: {
              steps: suiteProfile(summaries, 'steps'),
              ms: suiteProfile(summaries, 'ms'),
            },
            summaries,
          };
    io.stdout(JSON.stringify(payload, null, 2) + '\n');
  }
  return summaries.some((s) => s.status === 'diverged') ? EXIT.diverged : EXIT.done;
}

async function executeSpec(
  spec: ExperimentSpec,
  dir: string,
  io: CliIo,
  options: ExecuteOptions,
  tuned?: Extract<TunedRead, { ok: true }>,
): Promise<ExperimentSummary | null> {
  // Shards deal out the tuning phase's units: the rerun phase depends on all of them.
  const all = unitsOf(tuningSpec(spec));
  const units = options.shard ? shardUnits(all.length, options.shard) : undefined;
  const writer = new ResultWriter(dir);
  writer.open(recordedSpec(spec));
  if (options.shard) {
    const record = shardRecord(
      options.shard,
      specHash(spec),
      all.length,
      units!.map((i) => all[i]),
    );
    writeShardRecord(dir, record);
    if (!options.json) {
      io.stderr(`shard ${formatShard(options.shard)}: ${units!.length} of ${all.length} runs\n`);
    }
  }
  const progress = progressView(options.json ? { ...io, isTTY: false, stderr: () => {} } : io);
  // Worker threads only where two runs can share them; one run trains here, without a thread.
  const toTrain = tuned ? trainingsOf(spec) - all.length : (units?.length ?? trainingsOf(spec));
  const parallel = options.jobs > 1 && toTrain > 1;
  // One pool for every phase: the rerun phase reuses the tuning phase's threads and their JIT.
  const pool = parallel ? new ExperimentPool({ jobs: options.jobs }) : null;
  // Sweeps expand and the protocol's phases run here (tune, then rerun the best), each phase on
  // the pool when there is one; a spec without them trains exactly as `runExperiment` does. A
  // shard trains its share of the tuning phase only; with --tuned, only the rerun phase trains.
  const events = runComparison(spec, {
    units,
    signal: io.signal,
    execute: pool ? (s, o) => pool.run(s, { units: o.units, signal: o.signal }) : undefined,
    tuneOnly: options.shard !== undefined,
    tuned: tuned?.metrics,
  });
  try {
    for await (const event of events) {
      writer.append(event);
      progress.update(event);
      // The tuning phase's events, as merged from the shards, follow the experiment's start.
      if (event.type === 'experiment-start' && tuned) await copyRunLines(tuned.metricsPath, writer);
      if (event.type === 'summary') {
        writer.finish(event.summary);
        if (options.shard) writeShardMetrics(dir, event.summary.runs);
        return event.summary;
      }
    }
    return null;
  } finally {
    progress.stop();
    writer.close();
    await pool?.close();
  }
}

/** Copies a metrics.jsonl's run lines (all but its first line, the experiment's start). */
async function copyRunLines(path: string, writer: ResultWriter): Promise<void> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }) });
  let first = true;
  for await (const line of lines) {
    if (!first && line.length > 0) writer.appendLine(line);
    first = false;
  }
}
