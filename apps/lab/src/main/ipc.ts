/**
 * The main-process side of the bridge. Every handler checks who is calling (only the app's own
 * top-level page, app://optlab/) and validates its arguments before touching the disk; paths go
 * through the Workspace, which refuses anything outside the workspace folder.
 */
import { realpath, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { IPC, type OpenedFile, type PickedDataFolder } from '../shared/bridge.js';
import { MAX_FILE_BYTES, validateExportName, WorkspacePathError } from '../shared/paths.js';
import { readCheckedFile } from './checked-read.js';
import { readFolderFiles, validateFolderFileNames } from './data-folder.js';
import { isTrustedSender } from './security.js';
import type { Workspace } from './workspace.js';
import type { RecentFiles } from './recent-store.js';

export function registerIpc(
  workspace: Workspace,
  recent: RecentFiles,
  devServerUrl: string | undefined,
  onRecentChanged: () => void,
): void {
  const handle = <A extends unknown[], R>(
    channel: string,
    handler: (event: IpcMainInvokeEvent, ...args: A) => Promise<R> | R,
  ): void => {
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      const frame = event.senderFrame;
      const sender = frame ? { url: frame.url, isTopFrame: frame.parent === null } : null;
      if (!isTrustedSender(sender, devServerUrl)) {
        throw new WorkspacePathError(`refused IPC from ${sender?.url || 'an unknown frame'}`);
      }
      return handler(event, ...(args as A));
    });
  };

  handle(IPC.workspaceLocation, () => workspace.root);
  handle(IPC.listFiles, (_e, dir?: unknown) => workspace.list(dir ?? ''));
  handle(IPC.readFile, (_e, path: unknown) => workspace.read(path));
  handle(IPC.writeFile, (_e, path: unknown, text: unknown) => workspace.write(path, text));
  handle(IPC.deleteFile, (_e, path: unknown) => workspace.remove(path));
  handle(IPC.recentFiles, () => recent.list());
  handle(IPC.addRecentFile, async (_e, path: unknown) => {
    await workspace.resolvePath(path);
    await recent.add(path as string);
    onRecentChanged();
  });

  handle(IPC.openFileDialog, async (event): Promise<OpenedFile | null> => {
    const window = BrowserWindow.fromWebContents(event.sender);
    const options = {
      title: 'Open experiment',
      defaultPath: workspace.root,
      properties: ['openFile' as const],
      filters: [{ name: 'Experiments', extensions: ['json', 'JSON'] }],
    };
    const result = window
      ? await dialog.showOpenDialog(window, options)
      : await dialog.showOpenDialog(options);
    const file = result.filePaths[0];
    if (result.canceled || !file) return null;
    // The user picked this file, anywhere: only its size is capped, checked before reading.
    const real = await realpath(file);
    const bytes = await readCheckedFile(real, { label: basename(file), maxBytes: MAX_FILE_BYTES });
    return { name: basename(file), path: workspace.relativeTo(real), text: bytes.toString('utf8') };
  });

  // A dataset folder (IDX files) anywhere the user picks: the page names the files it needs.
  handle(IPC.openDataFolder, async (event, names: unknown): Promise<PickedDataFolder | null> => {
    const wanted = validateFolderFileNames(names);
    const window = BrowserWindow.fromWebContents(event.sender);
    const options = { title: 'Choose the dataset folder', properties: ['openDirectory' as const] };
    const result = window
      ? await dialog.showOpenDialog(window, options)
      : await dialog.showOpenDialog(options);
    const folder = result.filePaths[0];
    if (result.canceled || !folder) return null;
    return readFolderFiles(folder, wanted, MAX_FILE_BYTES);
  });

  // Exports go where the user points the save dialog: the path comes from the dialog, never from the page.
  handle(IPC.exportFile, async (event, name: unknown, data: unknown): Promise<boolean> => {
    const fileName = validateExportName(name);
    if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
      throw new WorkspacePathError('export data must be text or bytes');
    }
    if (data.length > MAX_FILE_BYTES) throw new WorkspacePathError('export data is too large');
    const window = BrowserWindow.fromWebContents(event.sender);
    const options = { title: 'Export', defaultPath: join(workspace.root, 'exports', fileName) };
    const result = window
      ? await dialog.showSaveDialog(window, options)
      : await dialog.showSaveDialog(options);
    if (result.canceled || !result.filePath) return false;
    await writeFile(result.filePath, data);
    return true;
  });
}
