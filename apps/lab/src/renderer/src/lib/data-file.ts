/**
 * A data file the user picks for a CSV dataset: read with a size cap, decoded as strict UTF-8,
 * refused with a message that names the file. Browser-safe (File or anything with its shape), so
 * the one picker in the Build view and the tests share it.
 */
import { decodeUtf8 } from '@optlab/models';

/**
 * Largest file the lab reads: 64 MiB. The CLI's cap (DATA_FILE_LIMIT_BYTES, 256 MiB) lives in
 * @optlab/experiment's Node-only entry; the lab's is lower because the text is held in the
 * experiment being edited, copied to every run's worker and written into the saved experiment.
 */
export const LAB_DATA_FILE_LIMIT_BYTES = 64 * 2 ** 20;

/** What the picker needs of a `File`. */
export interface PickedFile {
  readonly name: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export type ReadFile = { ok: true; text: string } | { ok: false; error: string };

/** `1.5 MiB`, `812 KiB`, `90 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (bytes >= 2 ** 10) return `${Math.round(bytes / 2 ** 10)} KiB`;
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}

/**
 * Reads a picked file as UTF-8 text. A file over `limit` is refused from its size, before any
 * byte is read; invalid UTF-8 is refused with the offset of the first bad byte (a replacement
 * character would silently change the data).
 */
export async function readDataFile(
  file: PickedFile,
  limit = LAB_DATA_FILE_LIMIT_BYTES,
): Promise<ReadFile> {
  if (file.size > limit) {
    return {
      ok: false,
      error: `${file.name} is ${formatBytes(file.size)}; the lab reads files up to ${formatBytes(limit)} (the CLI reads larger ones: optlab run spec.json --data ${file.name})`,
    };
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (error) {
    // The file went away or became unreadable between the pick and the read.
    return { ok: false, error: `${file.name} could not be read: ${(error as Error).message}` };
  }
  try {
    return { ok: true, text: decodeUtf8(bytes, file.name) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
