import { appendFileSync, closeSync, fsyncSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentEvent, ExperimentSummary } from '../runner/events.js';
import type { ExperimentSpec } from '../spec/schema.js';
import { toCsv } from '../results/csv.js';
import { RESULT_FILES, makeDirectory } from './output-folder.js';

/**
 * Node-only: the result files of one experiment in an output folder.
 *
 * - `spec.json`     the spec as run (defaults filled in), written before the first run starts;
 * - `metrics.jsonl` every event, one JSON object per line, appended (and flushed) as it comes:
 *                   a crash loses at most the line being written;
 * - `summary.json`  written once at the end, atomically (a temporary file, fsync, rename), so it
 *                   is either absent or complete;
 * - `results.csv`   one row per (run, seed), also written atomically.
 *
 * Nothing is created before `open()`, which callers invoke only with a valid spec. Whether the
 * folder may be reused is the caller's decision (`prepareOutputFolder`): `open()` overwrites.
 */
export class ResultWriter {
  #metricsFd: number | null = null;

  constructor(readonly dir: string) {}

  get paths() {
    return {
      spec: join(this.dir, RESULT_FILES.spec),
      metrics: join(this.dir, RESULT_FILES.metrics),
      summary: join(this.dir, RESULT_FILES.summary),
      csv: join(this.dir, RESULT_FILES.csv),
    };
  }

  /** Creates the folder (OutputFolderError if it cannot), writes spec.json, starts metrics.jsonl. */
  open(spec: ExperimentSpec): void {
    makeDirectory(this.dir);
    writeAtomic(this.paths.spec, JSON.stringify(spec, null, 2) + '\n');
    this.#metricsFd = openSync(this.paths.metrics, 'w');
  }

  /** Appends one event as a line; the line reaches the file before this returns. */
  append(event: ExperimentEvent): void {
    if (this.#metricsFd === null) throw new Error('ResultWriter: open() first');
    appendFileSync(this.#metricsFd, JSON.stringify(event) + '\n');
  }

  /** Appends a line written earlier by a writer (an event as JSON): copied, not parsed. */
  appendLine(line: string): void {
    if (this.#metricsFd === null) throw new Error('ResultWriter: open() first');
    appendFileSync(this.#metricsFd, line + '\n');
  }

  /** Writes summary.json and results.csv atomically and closes metrics.jsonl. */
  finish(summary: ExperimentSummary): void {
    this.close();
    writeAtomic(this.paths.csv, toCsv(summary.runs, summary.analysis));
    writeAtomic(this.paths.summary, JSON.stringify(summary, null, 2) + '\n');
  }

  close(): void {
    if (this.#metricsFd !== null) {
      fsyncSync(this.#metricsFd);
      closeSync(this.#metricsFd);
      this.#metricsFd = null;
    }
  }
}

/** Write-then-rename: readers see the old file or the whole new one, never a part. */
export function writeAtomic(path: string, text: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
