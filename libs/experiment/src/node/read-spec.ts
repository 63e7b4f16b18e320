import { readFileSync } from 'node:fs';
import type { Catalog } from '../spec/catalog.js';
import { parseDocumentText, type SpecDocument, type Validation } from '../spec/validate.js';

/**
 * Reads and validates a spec (or suite) file. A missing or unreadable file, invalid JSON (with
 * line and column) and every spec problem come back as issues naming the file.
 */
export function readDocumentFile(path: string, catalog: Catalog): Validation<SpecDocument> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a spec file'
          : code === 'EACCES'
            ? 'permission denied'
            : (err as Error).message;
    return { ok: false, issues: [{ path: '', message: `${path}: cannot read spec: ${why}` }] };
  }
  return parseDocumentText(text, path, catalog);
}
