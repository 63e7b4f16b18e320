/**
 * The one API the renderer uses for everything outside the page: the workspace's files, dialogs,
 * exports, recent files and menu commands. Electron implements it in the preload (each call
 * validated again in the main process); a plain browser implements it with IndexedDB and
 * download/upload. The renderer never knows which one it has beyond `kind`.
 */

/** Commands the application menu (Electron) or keyboard shortcuts send to the renderer. */
export const MENU_COMMANDS = [
  'new',
  'open',
  'open-recent',
  'save',
  'save-as',
  'run-all',
  'stop-all',
  'pause-all',
  'export-csv',
  'export-json',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** One file of the workspace, by its workspace-relative path (always `/`-separated). */
export interface WorkspaceEntry {
  readonly path: string;
  readonly size: number;
  /** Milliseconds since the epoch. */
  readonly modified: number;
}

/** A file the user picked in an open dialog (or uploaded): its name and text. */
export interface OpenedFile {
  readonly name: string;
  /** Workspace-relative path when the file lies in the workspace, else null. */
  readonly path: string | null;
  readonly text: string;
}

/** A dataset folder the user picked in Electron's folder dialog: the files asked for that it holds. */
export interface PickedDataFolder {
  /** The folder's path, as the spec's `folder` names it. */
  readonly folder: string;
  readonly files: readonly { readonly name: string; readonly bytes: Uint8Array }[];
}

export interface LabBridge {
  readonly kind: 'electron' | 'browser';
  /** A human-readable description of where the workspace lives. */
  workspaceLocation(): Promise<string>;
  /** Every file under the workspace, or under `dir` (workspace-relative). */
  listFiles(dir?: string): Promise<WorkspaceEntry[]>;
  readFile(path: string): Promise<string>;
  /** Writes atomically (a crash leaves the old or the new content, never half). */
  writeFile(path: string, text: string): Promise<void>;
  deleteFile(path: string): Promise<void>;
  /** Lets the user pick a file (dialog or upload); null when cancelled. */
  openFileDialog(): Promise<OpenedFile | null>;
  /**
   * Electron only: lets the user pick a dataset folder and reads the files `names` in it (each
   * plain or `.gz`); null when cancelled. A browser picks folders with inputs in the page.
   */
  openDataFolder?(names: readonly string[]): Promise<PickedDataFolder | null>;
  /** Saves data the user asked to export (CSV, JSON, PNG) where the user chooses (dialog or download). */
  exportFile(suggestedName: string, data: string | Uint8Array): Promise<boolean>;
  recentFiles(): Promise<string[]>;
  addRecentFile(path: string): Promise<void>;
  /**
   * Subscribes to menu commands; returns the unsubscribe function. `open-recent` comes with the
   * workspace-relative path to open.
   */
  onMenuCommand(listener: (command: MenuCommand, path?: string) => void): () => void;
}

/** IPC channel names, shared by preload and main so they cannot drift apart. */
export const IPC = {
  workspaceLocation: 'optlab:workspace-location',
  listFiles: 'optlab:list-files',
  readFile: 'optlab:read-file',
  writeFile: 'optlab:write-file',
  deleteFile: 'optlab:delete-file',
  openFileDialog: 'optlab:open-file-dialog',
  openDataFolder: 'optlab:open-data-folder',
  exportFile: 'optlab:export-file',
  recentFiles: 'optlab:recent-files',
  addRecentFile: 'optlab:add-recent-file',
  menuCommand: 'optlab:menu-command',
} as const;
