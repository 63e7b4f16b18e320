/**
 * The bridge in a plain browser: the workspace lives in IndexedDB (same validation rules as the
 * desktop app), opening a file is an upload, exporting is a download, and the keyboard shortcuts
 * stand in for the application menu.
 */
import type {
  LabBridge,
  MenuCommand,
  OpenedFile,
  WorkspaceEntry,
} from '../../../../shared/bridge.js';
import {
  validateExportName,
  validateFileText,
  validateWorkspacePath,
  WorkspacePathError,
} from '../../../../shared/paths.js';
import { parseRecent, pushRecent } from '../../../../shared/recent.js';
import type { KeyValueStore } from './key-value.js';

export interface BrowserHooks {
  /** Asks the user for a file (an `<input type=file>` in a page). */
  pickFile(): Promise<{ name: string; text: string } | null>;
  /** Hands the user a file (a download in a page). */
  download(name: string, data: string | Uint8Array): void;
  /** Remembers small settings (localStorage in a page). */
  settings: Pick<Storage, 'getItem' | 'setItem'>;
}

const RECENT_KEY = 'optlab:recent';

export class BrowserBridge implements LabBridge {
  readonly kind = 'browser' as const;
  private readonly listeners = new Set<(command: MenuCommand, path?: string) => void>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly hooks: BrowserHooks,
  ) {}

  async workspaceLocation(): Promise<string> {
    return 'this browser’s storage (IndexedDB)';
  }

  async listFiles(dir = ''): Promise<WorkspaceEntry[]> {
    const prefix = validateWorkspacePath(dir, { directory: true });
    const base = prefix ? `${prefix}/` : '';
    const entries: WorkspaceEntry[] = [];
    for (const key of await this.store.keys()) {
      if (!key.startsWith(base)) continue;
      const file = await this.store.get(key);
      if (file) entries.push({ path: key, size: file.text.length, modified: file.modified });
    }
    return entries.sort((a, b) => a.path.localeCompare(b.path));
  }

  async readFile(path: string): Promise<string> {
    const key = validateWorkspacePath(path);
    const file = await this.store.get(key);
    if (!file) throw new WorkspacePathError(`no file ${JSON.stringify(key)} in the workspace`);
    return file.text;
  }

  async writeFile(path: string, text: string): Promise<void> {
    await this.store.put(validateWorkspacePath(path), {
      text: validateFileText(text),
      modified: Date.now(),
    });
  }

  async deleteFile(path: string): Promise<void> {
    await this.store.delete(validateWorkspacePath(path));
  }

  async openFileDialog(): Promise<OpenedFile | null> {
    const picked = await this.hooks.pickFile();
    return picked ? { name: picked.name, path: null, text: picked.text } : null;
  }

  async exportFile(suggestedName: string, data: string | Uint8Array): Promise<boolean> {
    this.hooks.download(validateExportName(suggestedName), data);
    return true;
  }

  async recentFiles(): Promise<string[]> {
    return parseRecent(this.hooks.settings.getItem(RECENT_KEY));
  }

  async addRecentFile(path: string): Promise<void> {
    const key = validateWorkspacePath(path);
    this.hooks.settings.setItem(
      RECENT_KEY,
      JSON.stringify(pushRecent(await this.recentFiles(), key)),
    );
  }

  onMenuCommand(listener: (command: MenuCommand, path?: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Keyboard shortcuts call this in the browser, where there is no application menu. */
  dispatch(command: MenuCommand): void {
    for (const listener of this.listeners) listener(command);
  }
}
