import { statSync } from 'node:fs';
import { join } from 'node:path';
import { readRegularFile } from './read-file.js';

export type FolderRead =
  { ok: true; files: Record<string, Uint8Array> } | { ok: false; why: string };

/**
 * Reads the files `names` of a dataset's folder (each as it is named or with `.gz`, the plain
 * one first), every one with the size cap of `readRegularFile`. `why` names the folder or the
 * file and what is wrong; a missing folder adds `hint` (how to get the data).
 */
export function readDataFolder(
  folder: string,
  names: readonly string[],
  limitBytes: number,
  hint: string,
): FolderRead {
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    return { ok: false, why: `${folder}: no such folder; ${hint}` };
  }
  if (!isFolder) return { ok: false, why: `${folder}: not a folder; ${hint}` };
  const files: Record<string, Uint8Array> = {};
  for (const name of names) {
    let found = false;
    for (const file of [name, `${name}.gz`]) {
      const path = join(folder, file);
      const read = readRegularFile(path, limitBytes);
      if (!read.ok && read.why === 'no such file') continue;
      if (!read.ok) return { ok: false, why: `${path}: cannot read data: ${read.why}` };
      files[file] = read.bytes;
      found = true;
      break;
    }
    if (!found) {
      return { ok: false, why: `${folder}: has neither ${name} nor ${name}.gz; ${hint}` };
    }
  }
  return { ok: true, files };
}
