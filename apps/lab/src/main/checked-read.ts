/**
 * Reading a file so that what was checked is what is read: the path is opened once (without
 * following a final link), and every check — regular file, one link, size, where it really is —
 * is made on that open descriptor, which is then read. A path swapped between the check and the
 * read (a folder replaced by a link, a file by a hard link) cannot bring in other content.
 */
import { constants } from 'node:fs';
import { open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import { WorkspacePathError } from '../shared/paths.js';

// O_NOFOLLOW does not exist on Windows; there, the location check below still holds.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

export interface CheckedReadOptions {
  /** Larger files are refused before any byte is read, and reading stops there too. */
  readonly maxBytes: number;
  /** The file's real path must satisfy this (e.g. lie inside the workspace). */
  readonly isAllowedLocation?: (realPath: string) => boolean;
  /** Refuse files with more than one hard link: another name may lie outside the workspace. */
  readonly singleLink?: boolean;
  /** How the file is named in error messages. */
  readonly label: string;
}

/**
 * Reads a regular file's bytes. `path` should already be resolved (realpath); a final link is
 * refused and the descriptor's own location is checked again after opening.
 */
export async function readCheckedFile(path: string, options: CheckedReadOptions): Promise<Buffer> {
  const { label, maxBytes } = options;
  let handle: FileHandle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    throw refusal(label, error);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new WorkspacePathError(`${label} is not a regular file`);
    if (options.singleLink && info.nlink !== 1) {
      throw new WorkspacePathError(
        `${label} has ${info.nlink} hard links; files with other names are not read`,
      );
    }
    if (info.size > maxBytes) {
      throw new WorkspacePathError(`${label} is larger than ${maxBytes} bytes (${info.size})`);
    }
    if (options.isAllowedLocation) {
      const opened = await openedLocation(handle, path, info);
      if (opened === null || !options.isAllowedLocation(opened)) {
        throw new WorkspacePathError(`${label} links outside the workspace`);
      }
    }
    return await readAtMost(handle, maxBytes, label);
  } finally {
    await handle.close();
  }
}

/**
 * Where the open descriptor really is. On Linux the kernel says (/proc/self/fd); elsewhere the
 * path is resolved again and must still name the very file that is open (same device and inode).
 * Null when that cannot be established.
 */
async function openedLocation(
  handle: FileHandle,
  path: string,
  info: { dev: number; ino: number },
): Promise<string | null> {
  if (process.platform === 'linux') {
    try {
      return await readlink(`/proc/self/fd/${handle.fd}`);
    } catch {
      // /proc not mounted: fall through to the portable check.
    }
  }
  try {
    const real = await realpath(path);
    const now = await stat(real);
    return now.dev === info.dev && now.ino === info.ino ? real : null;
  } catch {
    return null;
  }
}

/** Reads up to `maxBytes` (a file that grew since fstat is refused, not cut). */
async function readAtMost(handle: FileHandle, maxBytes: number, label: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) {
      throw new WorkspacePathError(`${label} is larger than ${maxBytes} bytes`);
    }
  }
  return Buffer.concat(chunks, total);
}

function refusal(label: string, error: unknown): WorkspacePathError {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new WorkspacePathError(`${label} does not exist`);
  if (code === 'ELOOP' || code === 'EMLINK') return new WorkspacePathError(`${label} is a link`);
  if (code === 'EACCES' || code === 'EPERM')
    return new WorkspacePathError(`${label} is not readable`);
  if (code === 'EISDIR') return new WorkspacePathError(`${label} is not a regular file`);
  return new WorkspacePathError(`${label} cannot be read (${code ?? String(error)})`);
}
