import { decodeUtf8 } from '@optlab/models';
import type { Catalog } from '../spec/catalog.js';
import { parseDocumentText, type SpecDocument, type Validation } from '../spec/validate.js';
import { readRegularFile } from './read-file.js';

/** Largest spec file read: specs are small; a CSV belongs in a data file (`path`, `--data`). */
export const SPEC_FILE_LIMIT_BYTES = 16 * 2 ** 20;

/**
 * Reads and validates a spec (or suite) file. A missing or unreadable file, one that is not a
 * regular file (/dev/zero) or is over SPEC_FILE_LIMIT_BYTES, invalid UTF-8, invalid JSON (with
 * line and column) and every spec problem come back as issues naming the file.
 */
export function readDocumentFile(path: string, catalog: Catalog): Validation<SpecDocument> {
  const file = readRegularFile(path, SPEC_FILE_LIMIT_BYTES);
  if (!file.ok) {
    return { ok: false, issues: [{ path: '', message: `${path}: cannot read spec: ${file.why}` }] };
  }
  let text: string;
  try {
    text = decodeUtf8(file.bytes, `${path}: cannot read spec`);
  } catch (err) {
    return { ok: false, issues: [{ path: '', message: (err as Error).message }] };
  }
  return parseDocumentText(text, path, catalog);
}
