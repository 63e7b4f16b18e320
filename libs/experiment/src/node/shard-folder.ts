import { closeSync, createReadStream, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { decodeUtf8 } from '@optlab/models';
import type { ExperimentSummary, RunMetrics } from '../runner/events.js';
import { formatShard, type Shard } from '../runner/shard.js';
import { summarize } from '../runner/summary.js';
import { analyzeComparison } from '../protocol/analysis.js';
import { resolveProtocol } from '../protocol/resolve.js';
import { expandSweeps } from '../sweep/expand.js';
import type { RunUnit } from '../runner/units.js';
import { defaultCatalog } from '../spec/default-catalog.js';
import type { SpecIssue } from '../spec/issues.js';
import { RESULT_FILES, SHARD_FILE, prepareOutputFolder } from './output-folder.js';
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

/** Largest shard.json or summary.json read by `mergeShards`. */
const RECORD_LIMIT_BYTES = 256 * 2 ** 20;

export type MergeOutcome =
  { ok: true; summary: ExperimentSummary; shards: number } | { ok: false; issues: SpecIssue[] };

interface ShardFolder {
  readonly dir: string;
  readonly record: ShardRecord;
  readonly summary: ExperimentSummary;
  readonly csvRows: string[];
}

/**
 * Node-only: `optlab merge`. Combines the result folders of shards 1/N … N/N of one spec into one
 * folder equal to the unsharded run's, apart from timing fields:
 *
 * - spec.json is the first shard's;
 * - metrics.jsonl has the experiment's first event, then every unit's events in the experiment's
 *   unit order (read line by line, so a large file is never held whole), then the summary;
 * - summary.json is built by `summarize` from the units' metrics, as the runner builds it; its
 *   `startedAt` is the earliest shard's and its `wallTimeMs` the shards' sum (machine time);
 * - results.csv has the shards' rows in unit order (copied, so a value the CSV writes as NaN
 *   stays NaN: JSON has no NaN and would give back null).
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
  const metrics: RunMetrics[] = [];
  const csvRows: string[] = [];
  for (let i = 0; i < total; i++) {
    const { folder, k } = locate(i);
    metrics.push(folder.summary.runs[k]);
    csvRows.push(folder.csvRows[k]);
  }
  const summary = {
    ...summarize(spec, metrics, {
      startedAt: shards.map((s) => s.summary.startedAt).sort()[0],
      wallTimeMs: shards.reduce((t, s) => t + s.summary.wallTimeMs, 0),
    }),
    // Shards are plain experiments (no sweep, no protocol): one phase, as runComparison reports it.
    analysis: analyzeComparison(expandSweeps(spec), resolveProtocol(spec), metrics, []),
  };
  const specText = readShardFolderText(join(first.dir, RESULT_FILES.spec));
  writeAtomic(join(out, RESULT_FILES.spec), specText);
  const merged = await mergeMetrics(byIndex, total, join(out, RESULT_FILES.metrics), summary);
  if (!merged.ok) return merged;
  writeAtomic(join(out, RESULT_FILES.csv), [csvHeader(first), ...csvRows].join('\n') + '\n');
  writeAtomic(join(out, RESULT_FILES.summary), JSON.stringify(summary, null, 2) + '\n');
  return { ok: true, summary, shards: shards.length };
}

function csvHeader(folder: ShardFolder): string {
  return readShardFolderText(join(folder.dir, RESULT_FILES.csv)).split('\n')[0];
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
  const read = readRegularFile(join(dir, RESULT_FILES.csv), RECORD_LIMIT_BYTES);
  if (!read.ok) {
    issues.push({ path: '', message: `${join(dir, RESULT_FILES.csv)}: ${read.why}` });
    return null;
  }
  // One row per unit: quoted cells never hold a line break (labels and names have none).
  const csvRows = decodeUtf8(read.bytes, dir).trimEnd().split('\n').slice(1);
  if (
    !Array.isArray(summary.runs) ||
    summary.runs.length !== record.units.length ||
    csvRows.length !== record.units.length
  ) {
    issues.push({
      path: '',
      message: `${dir}: shard ${record.shard} lists ${record.units.length} runs but its results hold ${summary.runs?.length ?? 0}`,
    });
    return null;
  }
  return { dir, record, summary, csvRows };
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
  path: string,
  summary: ExperimentSummary,
): Promise<MergeOutcome | { ok: true }> {
  const readers = shards.map((s) => lineReader(join(s.dir, RESULT_FILES.metrics)));
  const fd = openSync(path, 'w');
  try {
    for (const [k, reader] of readers.entries()) {
      const head = await reader.next();
      const start = head === null ? null : (JSON.parse(head) as Record<string, unknown>);
      if (start?.type !== 'experiment-start') {
        return badMetrics(shards[k].dir, 'does not begin with the experiment-start event');
      }
      if (k === 0) writeSync(fd, JSON.stringify({ ...start, total }) + '\n');
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
    writeSync(fd, JSON.stringify({ type: 'summary', summary }) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
    for (const r of readers) r.close();
  }
  return { ok: true };
}

function badMetrics(dir: string, what: string): MergeOutcome {
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
