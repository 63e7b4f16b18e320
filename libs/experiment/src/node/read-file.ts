import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export type FileRead = { ok: true; bytes: Uint8Array } | { ok: false; why: string };

const MiB = 2 ** 20;

/**
 * Reads a whole regular file of at most `limitBytes`, checking before it reads: a device such as
 * /dev/zero, a pipe or a folder is refused, and so is a file over the limit, so that a wrong path
 * can neither hang the process nor fill its memory. The checks are made on the opened file (no
 * window between checking one file and reading another), and a pipe is opened without blocking.
 * `why` says what is wrong in words, for a message that names the file.
 */
export function readRegularFile(path: string, limitBytes: number): FileRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return { ok: false, why: openProblem(err) };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { ok: false, why: 'is a folder, not a file' };
    if (!stat.isFile()) {
      return { ok: false, why: 'is not a regular file (a device, pipe or socket)' };
    }
    if (stat.size > limitBytes) {
      return {
        ok: false,
        why: `is ${stat.size} bytes, over the limit of ${limitBytes} bytes (${+(limitBytes / MiB).toFixed(2)} MiB)`,
      };
    }
    // One byte more than the size: a file that grows while it is read is seen, not truncated.
    const bytes = new Uint8Array(stat.size + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, bytes, length, bytes.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > stat.size) return { ok: false, why: 'changed while it was being read' };
    }
    return { ok: true, bytes: bytes.subarray(0, length) };
  } catch (err) {
    return { ok: false, why: openProblem(err) };
  } finally {
    closeSync(fd);
  }
}

function openProblem(err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    default:
      return (err as Error).message;
  }
}
