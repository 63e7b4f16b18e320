/**
 * The workspace folder the main process owns: every file the renderer reads or writes lies under
 * it. Paths arrive workspace-relative, are validated (shared/paths.ts), resolved, and checked
 * again after resolving symbolic links, so neither `..` nor a link can reach outside.
 */
import { mkdir, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { WorkspaceEntry } from '../shared/bridge.js';
import {
  isInside,
  MAX_FILE_BYTES,
  validateFileText,
  validateWorkspacePath,
  WorkspacePathError,
} from '../shared/paths.js';

export class Workspace {
  private constructor(readonly root: string) {}

  /** Creates the folder when missing and remembers its real (link-free) path. */
  static async open(folder: string): Promise<Workspace> {
    await mkdir(folder, { recursive: true });
    return new Workspace(await realpath(folder));
  }

  /** Absolute path of a validated workspace-relative path; throws when it would leave the root. */
  async resolvePath(path: unknown, options: { directory?: boolean } = {}): Promise<string> {
    const relativePath = validateWorkspacePath(path, options);
    const absolute = resolve(this.root, ...relativePath.split('/').filter(Boolean));
    if (!isInside(this.root, absolute, sep)) {
      throw new WorkspacePathError(`path ${JSON.stringify(path)} is outside the workspace`);
    }
    // Resolve links on the deepest part that exists: a link inside the workspace must not point out.
    let existing = absolute;
    for (;;) {
      try {
        const real = await realpath(existing);
        if (!isInside(this.root, real, sep)) {
          throw new WorkspacePathError(`path ${JSON.stringify(path)} links outside the workspace`);
        }
        break;
      } catch (error) {
        if (error instanceof WorkspacePathError) throw error;
        const parent = dirname(existing);
        if (parent === existing) break;
        existing = parent;
      }
    }
    return absolute;
  }

  async list(dir: unknown = ''): Promise<WorkspaceEntry[]> {
    const start = await this.resolvePath(dir, { directory: true });
    const entries: WorkspaceEntry[] = [];
    const walk = async (folder: string, depth: number): Promise<void> => {
      if (depth > 8) return;
      let names;
      try {
        names = await readdir(folder, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of names) {
        const full = join(folder, entry.name);
        if (entry.isDirectory()) await walk(full, depth + 1);
        else if (entry.isFile()) {
          const info = await stat(full);
          entries.push({
            path: relative(this.root, full).split(sep).join('/'),
            size: info.size,
            modified: info.mtimeMs,
          });
        }
      }
    };
    await walk(start, 0);
    return entries.sort((a, b) => a.path.localeCompare(b.path));
  }

  async read(path: unknown): Promise<string> {
    const file = await this.resolvePath(path);
    const info = await stat(file);
    if (info.size > MAX_FILE_BYTES) {
      throw new WorkspacePathError(
        `file ${JSON.stringify(path)} is larger than ${MAX_FILE_BYTES} bytes`,
      );
    }
    return readFile(file, 'utf8');
  }

  /** Writes to a temporary file then renames it over the target: readers see old or new, never half. */
  async write(path: unknown, text: unknown): Promise<void> {
    const file = await this.resolvePath(path);
    const content = validateFileText(text);
    await mkdir(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, content, 'utf8');
    await rename(temporary, file);
  }

  async remove(path: unknown): Promise<void> {
    await rm(await this.resolvePath(path), { force: true });
  }

  /** Workspace-relative path of an absolute path, or null when it lies outside. */
  relativeTo(absolute: string): string | null {
    const full = resolve(absolute);
    if (!isInside(this.root, full, sep)) return null;
    return relative(this.root, full).split(sep).join('/');
  }
}
