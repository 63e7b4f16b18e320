/**
 * The preload: exposes one narrow, typed API (`window.optlab`) through contextBridge. It passes
 * arguments through unchanged; the main process validates every one of them.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC, MENU_COMMANDS, type LabBridge, type MenuCommand } from '../shared/bridge.js';

const api: Omit<LabBridge, 'kind'> & { kind: 'electron' } = {
  kind: 'electron',
  workspaceLocation: () => ipcRenderer.invoke(IPC.workspaceLocation),
  listFiles: (dir) => ipcRenderer.invoke(IPC.listFiles, dir),
  readFile: (path) => ipcRenderer.invoke(IPC.readFile, path),
  writeFile: (path, text) => ipcRenderer.invoke(IPC.writeFile, path, text),
  deleteFile: (path) => ipcRenderer.invoke(IPC.deleteFile, path),
  openFileDialog: () => ipcRenderer.invoke(IPC.openFileDialog),
  openDataFolder: (names) => ipcRenderer.invoke(IPC.openDataFolder, names),
  exportFile: (name, data) => ipcRenderer.invoke(IPC.exportFile, name, data),
  recentFiles: () => ipcRenderer.invoke(IPC.recentFiles),
  addRecentFile: (path) => ipcRenderer.invoke(IPC.addRecentFile, path),
  onMenuCommand: (listener) => {
    const wrapped = (_event: unknown, command: unknown, path: unknown): void => {
      if (!MENU_COMMANDS.includes(command as MenuCommand)) return;
      listener(command as MenuCommand, typeof path === 'string' ? path : undefined);
    };
    ipcRenderer.on(IPC.menuCommand, wrapped);
    return () => ipcRenderer.removeListener(IPC.menuCommand, wrapped);
  },
};

contextBridge.exposeInMainWorld('optlab', api);
