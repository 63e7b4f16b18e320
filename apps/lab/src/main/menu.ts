/** The application menu: each item sends a MenuCommand to the renderer, which owns the action. */
import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { IPC, type MenuCommand } from '../shared/bridge.js';

export function buildMenu(window: BrowserWindow, recent: readonly string[]): Menu {
  const send = (command: MenuCommand) => () => window.webContents.send(IPC.menuCommand, command);
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New experiment', accelerator: 'CmdOrCtrl+N', click: send('new') },
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: send('open') },
        {
          label: 'Open recent',
          enabled: recent.length > 0,
          submenu: recent.map((path) => ({
            label: path,
            click: () => window.webContents.send(IPC.menuCommand, 'open-recent', path),
          })),
        },
        { type: 'separator' },
        { label: 'Save', accelerator: 'CmdOrCtrl+S', click: send('save') },
        { label: 'Save as…', accelerator: 'CmdOrCtrl+Shift+S', click: send('save-as') },
        { type: 'separator' },
        { label: 'Export results as CSV', click: send('export-csv') },
        { label: 'Export results as JSON', click: send('export-json') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&Run',
      submenu: [
        { label: 'Run all', accelerator: 'CmdOrCtrl+Enter', click: send('run-all') },
        { label: 'Stop all', accelerator: 'CmdOrCtrl+.', click: send('stop-all') },
        { label: 'Pause / resume all', accelerator: 'CmdOrCtrl+P', click: send('pause-all') },
      ],
    },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
