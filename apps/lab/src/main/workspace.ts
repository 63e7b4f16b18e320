/**
 * The workspace folder the main process owns: every file the renderer reads or writes lies under
 * it. Paths arrive workspace-relative, are validated (shared/paths.ts), resolved, and checked
 * again after resolving symbolic links, so neither `..` nor a link can reach outside.
 *
 * What is checked is what is used (docs/decisions/0010): a read resolves the path, opens that real
 * path and checks the open descriptor (checked-read.ts); a write creates its temporary file in the
 * real folder and checks where it landed before renaming it into place. A folder swapped for a
 * link between the check and the use therefore never reads or writes outside content.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import {
  mkdir,
  open,
  readdir,
  readlink,
  realpath,
  rename,
  rm,
  stat,
  unlink,
} from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { WorkspaceEntry } from '../shared/bridge.js';
import {
  isInside,
  MAX_FILE_BYTES,
  validateFileText,
  validateWorkspacePath,
  WorkspacePathError,
} from '../shared/paths.js';
import { readCheckedFile } from './checked-read.js';

const CREATE_FLAGS =
  constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

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

  /**
   * Reads a text file of at most MAX_FILE_BYTES (64 MiB): the real path is checked, opened, and
   * the open file must be a regular file inside the workspace with no other hard link (another
   * name could lie outside), no larger than the cap.
   */
  async read(path: unknown): Promise<string> {
    const file = await this.resolvePath(path);
    const label = `file ${JSON.stringify(path)}`;
    let real: string;
    try {
      real = await realpath(file);
    } catch {
      throw new WorkspacePathError(`${label} does not exist`);
    }
    if (!isInside(this.root, real, sep))
      throw new WorkspacePathError(`${label} links outside the workspace`);
    const bytes = await readCheckedFile(real, {
      label,
      maxBytes: MAX_FILE_BYTES,
      singleLink: true,
      isAllowedLocation: (opened) => isInside(this.root, opened, sep),
    });
    return bytes.toString('utf8');
  }

  /** Writes to a temporary file then renames it over the target: readers see old or new, never half. */
  async write(path: unknown, text: unknown): Promise<void> {
    const file = await this.resolvePath(path);
    const content = validateFileText(text);
    await mkdir(dirname(file), { recursive: true });
    const folder = await this.realFolder(path, dirname(file));
    const target = join(folder, basename(file));
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temporary, CREATE_FLAGS, 0o644);
    try {
      // Where the new file really landed: a folder swapped for a link since the check shows here.
      if (process.platform === 'linux') {
        const landed = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => temporary);
        if (!isInside(this.root, landed, sep)) {
          await unlink(landed).catch(() => {});
          throw new WorkspacePathError(`path ${JSON.stringify(path)} links outside the workspace`);
        }
      }
      await handle.writeFile(content, 'utf8');
    } catch (error) {
      await handle.close();
      await rm(temporary, { force: true }).catch(() => {});
      throw error;
    }
    await handle.close();
    await rename(temporary, target);
  }

  async remove(path: unknown): Promise<void> {
    const file = await this.resolvePath(path);
    let folder: string;
    try {
      folder = await this.realFolder(path, dirname(file));
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return;
      throw error;
    }
    // rm on the real folder's entry: a link there is removed itself, never what it points at.
    await rm(join(folder, basename(file)), { force: true });
  }

  /** The real path of `folder`, which must lie inside the workspace. */
  private async realFolder(path: unknown, folder: string): Promise<string> {
    const real = await realpath(folder);
    if (!isInside(this.root, real, sep)) {
      throw new WorkspacePathError(`path ${JSON.stringify(path)} links outside the workspace`);
    }
    return real;
  }

  /** Workspace-relative path of an absolute path, or null when it lies outside. */
  relativeTo(absolute: string): string | null {
    const full = resolve(absolute);
    if (!isInside(this.root, full, sep)) return null;
    return relative(this.root, full).split(sep).join('/');
  }
}
