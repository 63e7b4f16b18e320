/**
 * Validation of workspace-relative paths, written as plain functions so that the main process and
 * the browser bridge apply the same rules and tests can check them without Electron.
 *
 * A valid path is relative, `/`-separated, made of ordinary names (no `.`/`..`, no empty parts, no
 * drive letters or backslashes, no control characters), at most 255 characters, and ends in an
 * extension the lab writes. Anything else is refused with an error that says why.
 */

export const ALLOWED_EXTENSIONS = ['.json', '.jsonl', '.csv', '.png'] as const;
export const MAX_PATH_LENGTH = 255;
/** Text files larger than this are refused (a results file of 8 runs × 20,000 points is ~10 MB). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export class WorkspacePathError extends Error {
  override readonly name = 'WorkspacePathError';
}

/** Returns the normalised path (`a/b.json`) or throws a WorkspacePathError naming the problem. */
export function validateWorkspacePath(
  path: unknown,
  options: { directory?: boolean } = {},
): string {
  if (typeof path !== 'string') {
    throw new WorkspacePathError(`path must be a string, got ${describe(path)}`);
  }
  if (path.length === 0 && options.directory) return '';
  if (path.length === 0) throw new WorkspacePathError('path is empty');
  if (path.length > MAX_PATH_LENGTH) {
    throw new WorkspacePathError(`path is longer than ${MAX_PATH_LENGTH} characters`);
  }
  if (/[\u0000-\u001f\u007f]/.test(path)) {
    throw new WorkspacePathError(`path ${JSON.stringify(path)} contains a control character`);
  }
  if (path.includes('\\')) {
    throw new WorkspacePathError(`path ${JSON.stringify(path)} uses "\\"; use "/"`);
  }
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) {
    throw new WorkspacePathError(
      `path ${JSON.stringify(path)} is absolute; paths are relative to the workspace`,
    );
  }
  const parts = path.split('/');
  if (options.directory && parts[parts.length - 1] === '') parts.pop();
  for (const part of parts) {
    if (part === '' || part === '.' || part === '..') {
      throw new WorkspacePathError(
        `path ${JSON.stringify(path)} leaves the workspace or has an empty part ("${part}")`,
      );
    }
    if (/[<>:"|?*]/.test(part)) {
      throw new WorkspacePathError(
        `path ${JSON.stringify(path)} has a character not allowed in file names`,
      );
    }
  }
  const normalised = parts.join('/');
  // Any case: `.JSON` and `.Csv` are the same types (and the same files on case-insensitive disks).
  const lower = normalised.toLowerCase();
  if (!options.directory && !ALLOWED_EXTENSIONS.some((ext) => lower.endsWith(ext))) {
    throw new WorkspacePathError(
      `path ${JSON.stringify(path)} must end in one of ${ALLOWED_EXTENSIONS.join(', ')}`,
    );
  }
  return normalised;
}

/** Checks file content before it is written. */
export function validateFileText(text: unknown): string {
  if (typeof text !== 'string')
    throw new WorkspacePathError(`file content must be text, got ${describe(text)}`);
  if (text.length > MAX_FILE_BYTES)
    throw new WorkspacePathError(`file content exceeds ${MAX_FILE_BYTES} bytes`);
  return text;
}

/** Checks a suggested export name: a bare file name with an allowed extension. */
export function validateExportName(name: unknown): string {
  const path = validateWorkspacePath(name);
  if (path.includes('/'))
    throw new WorkspacePathError(
      `export name ${JSON.stringify(name)} must be a file name, not a path`,
    );
  return path;
}

/**
 * True when `target` (an absolute, resolved path) lies inside `root` (absolute, resolved).
 * Separator-aware so that `/ws-other` is not inside `/ws`.
 */
export function isInside(root: string, target: string, separator = '/'): boolean {
  const base = root.endsWith(separator) ? root : root + separator;
  return target === root || target.startsWith(base);
}

/** Turns a human title into a safe file stem: `SGD vs Adam (x²)` → `sgd-vs-adam-x2`. */
export function fileStem(title: string): string {
  const stem = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/²/g, '2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return stem || 'experiment';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
