import {
  mkdirSync,
  readdirSync,
  rmdirSync,
  statSync,
  unlinkSync,
  type Dirent,
  type Stats,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Node-only: the output folder a run (or a suite) writes into, made safe to reuse.
 *
 * - A folder is created one level at a time. Node's own `mkdirSync(dir, { recursive: true })`
 *   spins forever when `mkdir` answers ENOENT under a parent that exists (a path under /proc, a
 *   dangling link): it steps back to the parent, finds it, and retries the child for ever.
 * - A folder that already holds files is refused, so a new run never leaves a mix of its own
 *   files and an older run's. `force` clears it first, but only when everything in it is a file
 *   OptLab writes (see `isResultFileName`), in the folder or in one level of subfolders (a
 *   suite's experiments): a mistyped `--out ~ --force` removes nothing. Links are never followed
 *   or removed: one inside the folder makes it foreign.
 */

/** The files of one experiment's result folder (written by ResultWriter). */
export const RESULT_FILES = {
  spec: 'spec.json',
  metrics: 'metrics.jsonl',
  summary: 'summary.json',
  csv: 'results.csv',
} as const;

/** The files of a loss landscape's folder (`optlab landscape`). */
export const LANDSCAPE_FILES = {
  json: 'landscape.json',
  csv: 'landscape.csv',
  trajectory: 'trajectory.csv',
} as const;

/** The file a suite writes beside its experiments' folders. */
export const SUITE_FILE = 'suite.json';

/** The file a shard (`optlab run --shard K/N`) writes beside its results: its shard and spec hash. */
export const SHARD_FILE = 'shard.json';

/**
 * A shard's units' final metrics, stored with V8's serializer so NaN and ±Infinity survive (JSON
 * writes them null): `optlab merge` computes the selection and the statistics from these exactly
 * as the unsharded run computes them.
 */
export const SHARD_METRICS_FILE = 'shard-metrics.v8';

/**
 * A merged tuning phase (`optlab merge` of a comparison with a rerun phase): what was selected and
 * the command that runs the rest; its metrics lie beside it in `TUNING_METRICS_FILE`.
 */
export const TUNING_FILE = 'tuning.json';
export const TUNING_METRICS_FILE = 'tuning-metrics.v8';

/** A problem with the output folder, worded for the user; `dir` is the folder asked for. */
export class OutputFolderError extends Error {
  constructor(
    readonly dir: string,
    message: string,
  ) {
    super(message);
    this.name = 'OutputFolderError';
  }
}

/** Files OptLab writes in a result folder, and the temporary files an interrupted atomic write leaves. */
export function isResultFileName(name: string): boolean {
  const base = /^(.*)\.\d+\.tmp$/.exec(name)?.[1] ?? name;
  return (
    base === SUITE_FILE ||
    base === SHARD_FILE ||
    base === SHARD_METRICS_FILE ||
    base === TUNING_FILE ||
    base === TUNING_METRICS_FILE ||
    (Object.values(RESULT_FILES) as string[]).includes(base) ||
    (Object.values(LANDSCAPE_FILES) as string[]).includes(base)
  );
}

/** Creates `dir` and any missing parents; throws OutputFolderError with a clear reason. */
export function makeDirectory(dir: string): void {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    const stats = statOrNull(dir, current);
    if (stats?.isDirectory()) break;
    if (stats) throw new OutputFolderError(dir, `cannot create ${dir}: ${current} is not a folder`);
    const parent = dirname(current);
    missing.push(current);
    if (parent === current) break;
    current = parent;
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path);
    } catch (err) {
      if (errorCode(err) === 'EEXIST' && statOrNull(dir, path)?.isDirectory()) continue;
      throw new OutputFolderError(dir, `cannot create ${dir}: ${describe(err, path)}`);
    }
  }
}

/**
 * Makes `dir` ready for a new result: creates it, accepts it empty, and otherwise refuses it, or
 * with `force` empties it when everything in it is OptLab's. Throws OutputFolderError.
 */
export function prepareOutputFolder(dir: string, options: { force?: boolean } = {}): void {
  const stats = statOrNull(dir, dir);
  if (!stats) return makeDirectory(dir);
  if (!stats.isDirectory()) throw new OutputFolderError(dir, `${dir} is not a folder`);
  const entries = readEntries(dir, dir);
  if (entries.length === 0) return;
  if (!options.force) {
    const names = entries.map((e) => e.name).sort();
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '');
    throw new OutputFolderError(
      dir,
      `${dir} is not empty (it holds ${shown}): choose a new folder, or add --force to replace ` +
        `the OptLab results in it`,
    );
  }
  const foreign = foreignEntry(dir, entries, 1);
  if (foreign) {
    throw new OutputFolderError(
      dir,
      `--force only clears OptLab's result files, and ${foreign} is not one: nothing was removed`,
    );
  }
  clear(dir, entries);
}

/** The first entry (as a path) that OptLab did not write, looking `depth` subfolders deep. */
function foreignEntry(dir: string, entries: readonly Dirent[], depth: number): string | null {
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // Dirent does not follow links: a link is neither a file nor a folder here.
    if (entry.isFile() && isResultFileName(entry.name)) continue;
    if (entry.isDirectory() && depth > 0) {
      const inner = foreignEntry(path, readEntries(dir, path), depth - 1);
      if (inner) return inner;
      continue;
    }
    return path;
  }
  return null;
}

/** Removes what `foreignEntry` accepted: files, then the emptied subfolders. */
function clear(dir: string, entries: readonly Dirent[]): void {
  for (const entry of entries) {
    const path = join(dir, entry.name);
    try {
      if (entry.isDirectory()) {
        clear(path, readEntries(dir, path));
        rmdirSync(path);
      } else unlinkSync(path);
    } catch (err) {
      if (err instanceof OutputFolderError) throw err;
      throw new OutputFolderError(dir, `cannot clear ${dir}: ${describe(err, path)}`);
    }
  }
}

function readEntries(dir: string, path: string): Dirent[] {
  try {
    return readdirSync(path, { withFileTypes: true });
  } catch (err) {
    throw new OutputFolderError(dir, `cannot read ${path}: ${describe(err, path)}`);
  }
}

/** stat (following links) or null where nothing is there; other failures are thrown, explained. */
function statOrNull(dir: string, path: string): Stats | null {
  try {
    return statSync(path);
  } catch (err) {
    // ENOTDIR: a parent is a file; the walk up finds and names it.
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return null;
    throw new OutputFolderError(dir, `cannot use ${dir}: ${describe(err, path)}`);
  }
}

function errorCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many levels of links',
  EEXIST: 'it exists and is not a folder (a broken link?)',
  // mkdir under a parent that exists: the file system (procfs, sysfs) does not create folders.
  ENOENT: 'this file system does not allow creating folders there',
};

function describe(err: unknown, path: string): string {
  const code = errorCode(err);
  const reason = code !== undefined && Object.hasOwn(REASONS, code) ? REASONS[code] : undefined;
  return `${path}: ${reason ?? (err instanceof Error ? err.message : String(err))}`;
}
