/**
 * The dataset folder the user picks in the folder dialog (the lab's IDX datasets): of the file
 * names the page asks for, each found as named or with `.gz` is read through the same checked
 * descriptor as every other read (a regular file, the size cap before any byte is read). The
 * names are validated here, so the page can name only plain files inside the picked folder.
 */
import { realpath } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { PickedDataFolder } from '../shared/bridge.js';
import { WorkspacePathError } from '../shared/paths.js';
import { readCheckedFile } from './checked-read.js';

/** At most this many names per folder (MNIST's four, with room to spare). */
export const MAX_FOLDER_FILES = 16;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The names the page asked for, or a refusal: an array of plain file names, no paths. */
export function validateFolderFileNames(names: unknown): string[] {
  if (!Array.isArray(names) || names.length === 0 || names.length > MAX_FOLDER_FILES) {
    throw new WorkspacePathError(`folder file names must be 1 to ${MAX_FOLDER_FILES} names`);
  }
  for (const name of names) {
    if (typeof name !== 'string' || !FILE_NAME.test(name) || name.includes('..')) {
      throw new WorkspacePathError(`invalid folder file name ${JSON.stringify(name)}`);
    }
  }
  return names as string[];
}

/**
 * Reads each of `names` (plain, else `.gz`) that exists in `folder`; missing ones are left out
 * (the page names them). Anything else wrong with a file (a folder, too large, unreadable) is
 * an error naming it.
 */
export async function readFolderFiles(
  folder: string,
  names: readonly string[],
  maxBytes: number,
): Promise<PickedDataFolder> {
  const root = await realpath(folder);
  const files: { name: string; bytes: Uint8Array }[] = [];
  for (const name of names) {
    for (const candidate of [name, `${name}.gz`]) {
      let real: string;
      try {
        real = await realpath(join(root, candidate));
      } catch {
        continue; // not there: the page says which file is missing
      }
      const bytes = await readCheckedFile(real, {
        label: `${basename(folder)}/${candidate}`,
        maxBytes,
      });
      files.push({ name: candidate, bytes: new Uint8Array(bytes) });
      break;
    }
  }
  return { folder, files };
}
