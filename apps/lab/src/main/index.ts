/**
 * The Electron main process: one window, the menu, and the workspace folder. The renderer is the
 * same page as the web build, served from app://optlab/ (protocol.ts); it reaches files only
 * through the preload's bridge. Every hardening measure is listed in docs/decisions/0010.
 */
import { join } from 'node:path';
import { app, BrowserWindow, Menu, protocol, session, shell, type WebContents } from 'electron';
import { registerIpc } from './ipc.js';
import { buildMenu } from './menu.js';
import { APP_SCHEME_PRIVILEGES, appProtocolHandler } from './protocol.js';
import { RecentFiles } from './recent-store.js';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY_HEADER,
  devServerUrl,
  externalLinkTarget,
  isAllowedNavigation,
  secureWebPreferences,
} from './security.js';
import { Workspace } from './workspace.js';

// A packaged app never loads a URL from its environment, and has no DevTools.
const devServer = devServerUrl(process.env, app.isPackaged);
const here = import.meta.dirname;

// Must happen before the app is ready: app: behaves like https (origin, secure context, workers).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

/** The guards every web contents gets, this window's and any other that might appear. */
function guard(contents: WebContents): void {
  // No new windows; an allowed https link (a cited paper) opens in the system browser.
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalLinkTarget(url);
    if (external) void shell.openExternal(external);
    return { action: 'deny' };
  });
  const stayInApp = (event: { preventDefault: () => void }, url: string): void => {
    if (!isAllowedNavigation(url, devServer)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => stayInApp(event, event.url));
  contents.on('will-frame-navigate', (event) => stayInApp(event, event.url));
  contents.on('will-redirect', (event) => stayInApp(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

async function createWindow(workspace: Workspace, recent: RecentFiles): Promise<BrowserWindow> {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'OptLab',
    webPreferences: secureWebPreferences(join(here, '../preload/index.cjs'), {
      devTools: !app.isPackaged,
    }),
  });
  window.once('ready-to-show', () => window.show());

  const refreshMenu = async (): Promise<void> => {
    Menu.setApplicationMenu(buildMenu(window, await recent.list()));
  };
  await refreshMenu();
  await window.loadURL(devServer ?? APP_ENTRY_URL);
  return window;
}

async function main(): Promise<void> {
  await app.whenReady();
  app.on('web-contents-created', (_event, contents) => guard(contents));
  protocol.handle(APP_SCHEME, appProtocolHandler(join(here, '../renderer')));
  // The dev server's pages get the policy as a header too (app:// answers carry it themselves).
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY_HEADER],
      },
    });
  });
  // The lab needs no permission (camera, notifications, clipboard read, ...): deny every request
  // and answer every check "no", so no API even reports one as granted.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);

  const folder = process.env['OPTLAB_WORKSPACE'] ?? join(app.getPath('documents'), 'OptLab');
  const workspace = await Workspace.open(folder);
  const recent = new RecentFiles(join(app.getPath('userData'), 'recent.json'));
  let window: BrowserWindow | null = null;
  // Registered once: the handlers look up the calling window themselves.
  registerIpc(workspace, recent, devServer, () => {
    if (window && !window.isDestroyed()) {
      void recent.list().then((list) => Menu.setApplicationMenu(buildMenu(window!, list)));
    }
  });
  window = await createWindow(workspace, recent);

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) {
      void createWindow(workspace, recent).then((created) => (window = created));
    }
  });
}

void main();
