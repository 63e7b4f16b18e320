/**
 * The Electron main process: one window, the menu, and the workspace folder. The renderer is the
 * same page as the web build; it reaches files only through the preload's bridge.
 */
import { join } from 'node:path';
import { app, BrowserWindow, Menu, session, shell } from 'electron';
import { registerIpc } from './ipc.js';
import { buildMenu } from './menu.js';
import { RecentFiles } from './recent-store.js';
import { CONTENT_SECURITY_POLICY, isAllowedNavigation, secureWebPreferences } from './security.js';
import { Workspace } from './workspace.js';

const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const here = import.meta.dirname;

async function createWindow(workspace: Workspace, recent: RecentFiles): Promise<BrowserWindow> {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'OptLab',
    webPreferences: secureWebPreferences(join(here, '../preload/index.cjs')),
  });
  window.once('ready-to-show', () => window.show());

  // No new windows, no navigation away from the app; external links open in the system browser.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, devServerUrl)) event.preventDefault();
  });

  const refreshMenu = async (): Promise<void> => {
    Menu.setApplicationMenu(buildMenu(window, await recent.list()));
  };
  registerIpc(workspace, recent, devServerUrl, () => void refreshMenu());
  await refreshMenu();

  if (devServerUrl) await window.loadURL(devServerUrl);
  else await window.loadFile(join(here, '../renderer/index.html'));
  return window;
}

async function main(): Promise<void> {
  await app.whenReady();
  // The same policy as the page's meta tag, as a header too (it covers workers and the dev server).
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
  // Deny every permission request (camera, notifications, ...): the lab needs none.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  );

  const folder = process.env['OPTLAB_WORKSPACE'] ?? join(app.getPath('documents'), 'OptLab');
  const workspace = await Workspace.open(folder);
  const recent = new RecentFiles(join(app.getPath('userData'), 'recent.json'));
  await createWindow(workspace, recent);

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow(workspace, recent);
  });
}

void main();
