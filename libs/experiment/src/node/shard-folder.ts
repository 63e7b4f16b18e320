import { closeSync, createReadStream, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { deserialize, serialize } from 'node:v8';
import { decodeUtf8 } from '@optlab/models';
import { resolveProtocol } from '../protocol/resolve.js';
import type { ExperimentSummary, RunMetrics } from '../runner/events.js';
import { comparisonSummary, hasRerunPhase, selectedConfigurations } from '../runner/protocol.js';
import { formatShard, type Shard } from '../runner/shard.js';
import type { RunUnit } from '../runner/units.js';
import { toCsv } from '../results/csv.js';
import { defaultCatalog } from '../spec/default-catalog.js';
import type { SpecIssue } from '../spec/issues.js';
import type { ExperimentSpec } from '../spec/schema.js';
import { trainingsOf } from '../spec/validate-sweep.js';
import {
  RESULT_FILES,
  SHARD_FILE,
  SHARD_METRICS_FILE,
  TUNING_FILE,
  TUNING_METRICS_FILE,
  prepareOutputFolder,
} from './output-folder.js';
import { readRegularFile } from './read-file.js';
import { readDocumentFile } from './read-spec.js';
import { writeAtomic } from './writer.js';

/** What `shard.json` says about the shard whose results lie beside it. */
export interface ShardRecord {
  /** `K/N`, for people. */
  readonly shard: string;
  readonly index: number;
  readonly count: number;
  /** `specHash` of the spec as run: shards of one spec have the same. */
  readonly specHash: string;
  /** Units of the whole experiment. */
  readonly totalUnits: number;
  /** This shard's units (positions in the experiment's unit order), in order. */
  readonly units: readonly RunUnit[];
}

export function shardRecord(
  shard: Shard,
  specHash: string,
  totalUnits: number,
  units: readonly RunUnit[],
): ShardRecord {
  return { shard: formatShard(shard), ...shard, specHash, totalUnits, units };
}

/** Writes `shard.json` into a shard's result folder (before its first run starts). */
export function writeShardRecord(dir: string, record: ShardRecord): void {
  writeAtomic(join(dir, SHARD_FILE), JSON.stringify(record, null, 2) + '\n');
}

/** Writes a finished shard's units' metrics losslessly (`SHARD_METRICS_FILE`), in unit order. */
export function writeShardMetrics(dir: string, metrics: readonly RunMetrics[]): void {
  writeAtomic(join(dir, SHARD_METRICS_FILE), serialize(metrics));
}

/**
 * What `tuning.json` says about a merged tuning phase: whose it is, what it chose, and what runs
 * next. `optlab run SPEC --tuned DIR` reads it (with `TUNING_METRICS_FILE`) to run the rerun phase.
 */
export interface TuningRecord {
  readonly specHash: string;
  /** Trainings of the tuning phase (all merged here). */
  readonly tuningRuns: number;
  /** Trainings the rerun phase still has to do. */
  readonly rerunRuns: number;
  readonly rerunSeeds: readonly number[];
  /** Each run's best configuration by the protocol's selection metric, in spec order. */
  readonly selected: readonly string[];
  /** The earliest shard's start, and the shards' machine time (their wall times summed). */
  readonly startedAt: string;
  readonly wallTimeMs: number;
}

/** Largest shard.json or summary.json read by `mergeShards`. */
const RECORD_LIMIT_BYTES = 256 * 2 ** 20;

/**
 * A merge gives the experiment's result (`summary`), or — for a comparison whose protocol reruns
 * each best configuration on more seeds — its tuning phase (`tuning`), whose rerun is run next.
 */
export type MergeOutcome =
  | { ok: true; summary: ExperimentSummary; spec: ExperimentSpec; shards: number }
  | { ok: true; tuning: TuningRecord; shards: number }
  | { ok: false; issues: SpecIssue[] };

interface ShardFolder {
  readonly dir: string;
  readonly record: ShardRecord;
  readonly summary: ExperimentSummary;
  /** The units' final metrics, lossless (NaN stays NaN). */
  readonly metrics: readonly RunMetrics[];
}

/**
 * Node-only: `optlab merge`. Combines the result folders of shards 1/N … N/N of one spec into one
 * folder equal to the unsharded run's, apart from timing fields. A shard holds units of the
 * spec's tuning phase (`tuningSpec`: every configuration of its sweeps; a plain spec's own runs):
 *
 * - spec.json is the first shard's;
 * - metrics.jsonl has the experiment's first event, then every unit's events in the experiment's
 *   unit order (read line by line, so a large file is never held whole), then the summary;
 * - summary.json is built by `comparisonSummary` from the units' metrics (read losslessly from
 *   each shard's `SHARD_METRICS_FILE`), as the runner builds it — the selection, budgets,
 *   statistics and verdicts included; its `startedAt` is the earliest shard's and its
 *   `wallTimeMs` the shards' sum (machine time);
 * - results.csv is written from that summary, as the runner writes it.
 *
 * When the spec's protocol reruns each run's best configuration on more seeds, the merge makes
 * the selection but cannot train: the folder then holds the tuning phase (spec.json,
 * metrics.jsonl without a summary, `TUNING_FILE` and `TUNING_METRICS_FILE`) and the outcome says
 * what was selected; `optlab run SPEC --tuned DIR` trains the rerun phase and writes the
 * experiment's whole folder (`readTunedFolder`).
 *
 * Refused, before anything is written, with issues naming the folders: a folder that is not a
 * shard (no shard.json) or did not finish (no summary.json), shards of different specs (their
 * spec hashes differ), of different shard counts, a shard given twice, and a missing shard.
 */
export async function mergeShards(
  dirs: readonly string[],
  out: string,
  options: { force?: boolean } = {},
): Promise<MergeOutcome> {
  const issues: SpecIssue[] = [];
  const shards: ShardFolder[] = [];
  for (const dir of dirs) {
    const folder = readShardFolder(dir, issues);
    if (folder) shards.push(folder);
  }
  if (issues.length > 0) return { ok: false, issues };
  checkShardSet(shards, issues);
  if (issues.length > 0) return { ok: false, issues };
  const first = shards[0];
  const specRead = readDocumentFile(join(first.dir, RESULT_FILES.spec), defaultCatalog());
  if (!specRead.ok || specRead.value.kind !== 'experiment') {
    return {
      ok: false,
      issues: specRead.ok
        ? [{ path: '', message: `${first.dir}: spec.json is a suite, not an experiment` }]
        : specRead.issues,
    };
  }
  const spec = specRead.value.spec;
  const byIndex = [...shards].sort((a, b) => a.record.index - b.record.index);
  const total = first.record.totalUnits;
  // Unit i lies in shard (i mod N) + 1, as its (⌊i / N⌋ + 1)-th unit (`shardUnits`).
  const locate = (i: number) => ({
    folder: byIndex[i % byIndex.length],
    k: Math.floor(i / byIndex.length),
  });
  for (let i = 0; i < total; i++) {
    const { folder, k } = locate(i);
    const unit = folder.record.units[k];
    if (!unit || unit.index !== i) {
      return {
        ok: false,
        issues: [
          {
            path: '',
            message: `${folder.dir}: shard.json does not list unit ${i} where shard ${folder.record.shard} should hold it`,
          },
        ],
      };
    }
  }
  try {
    prepareOutputFolder(out, options);
  } catch (err) {
    return { ok: false, issues: [{ path: '--out', message: (err as Error).message }] };
  }
  const tune: RunMetrics[] = [];
  for (let i = 0; i < total; i++) {
    const { folder, k } = locate(i);
    tune.push(folder.metrics[k]);
  }
  const timing = {
    startedAt: shards.map((s) => s.summary.startedAt).sort()[0],
    wallTimeMs: shards.reduce((t, s) => t + s.summary.wallTimeMs, 0),
  };
  const specText = readShardFolderText(join(first.dir, RESULT_FILES.spec));
  writeAtomic(join(out, RESULT_FILES.spec), specText);
  const metricsPath = join(out, RESULT_FILES.metrics);
  if (hasRerunPhase(spec)) {
    const merged = await mergeMetrics(byIndex, total, trainingsOf(spec), metricsPath, null);
    if (!merged.ok) return merged;
    const tuning = tuningRecord(spec, first.record.specHash, tune, timing);
    writeAtomic(join(out, TUNING_METRICS_FILE), serialize(tune));
    writeAtomic(join(out, TUNING_FILE), JSON.stringify(tuning, null, 2) + '\n');
    return { ok: true, tuning, shards: shards.length };
  }
  const summary = comparisonSummary(spec, tune, [], timing);
  const merged = await mergeMetrics(byIndex, total, trainingsOf(spec), metricsPath, summary);
  if (!merged.ok) return merged;
  writeAtomic(join(out, RESULT_FILES.csv), toCsv(summary.runs, summary.analysis));
  writeAtomic(join(out, RESULT_FILES.summary), JSON.stringify(summary, null, 2) + '\n');
  return { ok: true, summary, spec, shards: shards.length };
}

function tuningRecord(
  spec: ExperimentSpec,
  specHash: string,
  tune: readonly RunMetrics[],
  timing: { startedAt: string; wallTimeMs: number },
): TuningRecord {
  const { rerunSeeds } = resolveProtocol(spec);
  const selected = selectedConfigurations(spec, tune);
  return {
    specHash,
    tuningRuns: tune.length,
    rerunRuns: selected.length * rerunSeeds.length,
    rerunSeeds,
    selected: selected.map((c) => c.run.name),
    ...timing,
  };
}

export type TunedRead =
  | {
      ok: true;
      record: TuningRecord;
      metrics: RunMetrics[];
      /** The tuning phase's metrics.jsonl: its first line is the experiment's start. */
      metricsPath: string;
    }
  | { ok: false; issues: SpecIssue[] };

/**
 * Node-only: a merged tuning phase (`mergeShards`) for `optlab run SPEC --tuned DIR`, checked to
 * be of this spec (its spec hash) and whole (every tuning unit's metrics).
 */
export function readTunedFolder(dir: string, specHash: string, tuningRuns: number): TunedRead {
  const issue = (message: string): TunedRead => ({
    ok: false,
    issues: [{ path: '--tuned', message }],
  });
  const read = readRegularFile(join(dir, TUNING_FILE), RECORD_LIMIT_BYTES);
  if (!read.ok) {
    return issue(
      read.why === 'no such file'
        ? `${dir}: not a merged tuning phase (no ${TUNING_FILE}): optlab merge writes one from the shards of a spec whose protocol reruns its best configurations`
        : `${join(dir, TUNING_FILE)}: ${read.why}`,
    );
  }
  let record: TuningRecord;
  try {
    record = JSON.parse(decodeUtf8(read.bytes, join(dir, TUNING_FILE))) as TuningRecord;
  } catch (err) {
    return issue(`${join(dir, TUNING_FILE)}: ${(err as Error).message}`);
  }
  if (record?.specHash !== specHash) {
    return issue(
      `${dir} holds the tuning phase of another spec (spec hash ${String(record?.specHash)}, this spec's is ${specHash})`,
    );
  }
  const metrics = readMetricsFile(join(dir, TUNING_METRICS_FILE));
  if (!metrics.ok) return issue(metrics.why);
  if (metrics.value.length !== tuningRuns) {
    return issue(
      `${join(dir, TUNING_METRICS_FILE)} holds ${metrics.value.length} runs; this spec's tuning phase has ${tuningRuns}`,
    );
  }
  return { ok: true, record, metrics: metrics.value, metricsPath: join(dir, RESULT_FILES.metrics) };
}

/** Final metrics written with V8's serializer (`writeShardMetrics`, the tuning phase's). */
function readMetricsFile(
  path: string,
): { ok: true; value: RunMetrics[] } | { ok: false; why: string } {
  const read = readRegularFile(path, RECORD_LIMIT_BYTES);
  if (!read.ok) return { ok: false, why: `${path}: ${read.why}` };
  try {
    const value = deserialize(read.bytes) as unknown;
    if (
      Array.isArray(value) &&
      value.every((m) => typeof m === 'object' && m !== null && 'run' in m)
    ) {
      return { ok: true, value: value as RunMetrics[] };
    }
  } catch {
    // Reported below, as any file that is not a list of metrics.
  }
  return { ok: false, why: `${path}: not run metrics written by optlab` };
}

function readShardFolderText(path: string): string {
  const read = readRegularFile(path, RECORD_LIMIT_BYTES);
  if (!read.ok) throw new Error(`${path}: ${read.why}`);
  return decodeUtf8(read.bytes, path);
}

/** A shard's shard.json, summary.json and results.csv rows, or an issue naming the folder. */
function readShardFolder(dir: string, issues: SpecIssue[]): ShardFolder | null {
  const readJson = (name: string, missing: string): unknown => {
    const read = readRegularFile(join(dir, name), RECORD_LIMIT_BYTES);
    if (!read.ok) {
      issues.push({
        path: '',
        message:
          read.why === 'no such file' ? `${dir}: ${missing}` : `${join(dir, name)}: ${read.why}`,
      });
      return null;
    }
    try {
      return JSON.parse(decodeUtf8(read.bytes, join(dir, name)));
    } catch (err) {
      issues.push({ path: '', message: `${join(dir, name)}: ${(err as Error).message}` });
      return null;
    }
  };
  const record = readJson(
    SHARD_FILE,
    'not a shard folder (no shard.json): run it with --shard K/N',
  );
  if (record === null) return null;
  if (!isShardRecord(record)) {
    issues.push({
      path: '',
      message: `${join(dir, SHARD_FILE)}: not a shard record written by optlab`,
    });
    return null;
  }
  const summary = readJson(
    RESULT_FILES.summary,
    `shard ${record.shard} did not finish (no summary.json)`,
  ) as ExperimentSummary | null;
  if (summary === null) return null;
  const metrics = readMetricsFile(join(dir, SHARD_METRICS_FILE));
  if (!metrics.ok) {
    issues.push({ path: '', message: metrics.why });
    return null;
  }
  if (
    !Array.isArray(summary.runs) ||
    summary.runs.length !== record.units.length ||
    metrics.value.length !== record.units.length
  ) {
    issues.push({
      path: '',
      message: `${dir}: shard ${record.shard} lists ${record.units.length} runs but its results hold ${summary.runs?.length ?? 0}`,
    });
    return null;
  }
  return { dir, record, summary, metrics: metrics.value };
}

function isShardRecord(v: unknown): v is ShardRecord {
  const r = v as ShardRecord;
  return (
    typeof v === 'object' &&
    v !== null &&
    Number.isInteger(r.index) &&
    Number.isInteger(r.count) &&
    r.index >= 1 &&
    r.index <= r.count &&
    typeof r.specHash === 'string' &&
    typeof r.shard === 'string' &&
    Number.isInteger(r.totalUnits) &&
    Array.isArray(r.units) &&
    r.units.every(
      (u) => Number.isInteger(u?.index) && typeof u.run === 'string' && Number.isInteger(u.seed),
    )
  );
}

/** One spec, one shard count, every shard exactly once. */
function checkShardSet(shards: readonly ShardFolder[], issues: SpecIssue[]): void {
  const first = shards[0];
  for (const s of shards.slice(1)) {
    if (s.record.specHash !== first.record.specHash) {
      issues.push({
        path: '',
        message:
          `${first.dir} and ${s.dir} are shards of different specs ` +
          `(spec hashes ${first.record.specHash} and ${s.record.specHash}): only shards of one spec merge`,
      });
    } else if (
      s.record.count !== first.record.count ||
      s.record.totalUnits !== first.record.totalUnits
    ) {
      issues.push({
        path: '',
        message: `${first.dir} is shard ${first.record.shard} and ${s.dir} is shard ${s.record.shard}: shard counts differ`,
      });
    }
  }
  if (issues.length > 0) return;
  const seen = new Map<number, string>();
  for (const s of shards) {
    const other = seen.get(s.record.index);
    if (other !== undefined) {
      issues.push({
        path: '',
        message: `shard ${s.record.shard} is given twice: ${other} and ${s.dir}`,
      });
    } else seen.set(s.record.index, s.dir);
  }
  const missing: string[] = [];
  for (let k = 1; k <= first.record.count; k++)
    if (!seen.has(k)) missing.push(`${k}/${first.record.count}`);
  if (missing.length > 0) {
    issues.push({
      path: '',
      message: `shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing: merge needs every shard of the spec`,
    });
  }
}

/**
 * Writes the merged metrics.jsonl: the first shard's experiment-start line (its `total` made the
 * experiment's), every unit's lines in unit order, taken in turn from each shard's file, read
 * line by line, and the summary line.
 */
async function mergeMetrics(
  shards: readonly ShardFolder[],
  total: number,
  trainings: number,
  path: string,
  summary: ExperimentSummary | null,
): Promise<{ ok: false; issues: SpecIssue[] } | { ok: true }> {
  const readers = shards.map((s) => lineReader(join(s.dir, RESULT_FILES.metrics)));
  const fd = openSync(path, 'w');
  try {
    for (const [k, reader] of readers.entries()) {
      const head = await reader.next();
      const start = head === null ? null : (JSON.parse(head) as Record<string, unknown>);
      if (start?.type !== 'experiment-start') {
        return badMetrics(shards[k].dir, 'does not begin with the experiment-start event');
      }
      if (k === 0) writeSync(fd, JSON.stringify({ ...start, total: trainings }) + '\n');
    }
    for (let i = 0; i < total; i++) {
      const k = i % shards.length;
      const unit = shards[k].record.units[Math.floor(i / shards.length)];
      const reader = readers[k];
      const first = await reader.next();
      const start = first === null ? null : (JSON.parse(first) as Record<string, unknown>);
      if (start?.type !== 'start' || start.run !== unit.run || start.seed !== unit.seed) {
        return badMetrics(
          shards[k].dir,
          `does not hold run "${unit.run}" (seed ${unit.seed}) where shard.json puts it`,
        );
      }
      let chunk = first + '\n';
      for (;;) {
        const line = await reader.next();
        if (line === null)
          return badMetrics(shards[k].dir, `ends inside run "${unit.run}" (seed ${unit.seed})`);
        chunk += line + '\n';
        if (line.startsWith('{"type":"end"')) break;
        if (chunk.length > 1 << 20) {
          writeSync(fd, chunk);
          chunk = '';
        }
      }
      writeSync(fd, chunk);
    }
    // A tuning phase (its rerun still to come) has no summary yet.
    if (summary) writeSync(fd, JSON.stringify({ type: 'summary', summary }) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
    for (const r of readers) r.close();
  }
  return { ok: true };
}

function badMetrics(dir: string, what: string): { ok: false; issues: SpecIssue[] } {
  return {
    ok: false,
    issues: [{ path: '', message: `${join(dir, RESULT_FILES.metrics)} ${what}` }],
  };
}

/** The lines of a file, one at a time (null at the end), without reading it whole. */
function lineReader(path: string): { next(): Promise<string | null>; close(): void } {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const it = lines[Symbol.asyncIterator]();
  return {
    async next() {
      const r = await it.next();
      return r.done ? null : r.value;
    },
    close() {
      lines.close();
      stream.destroy();
    },
  };
}
