/** Picks the bridge: the preload's `window.optlab` in Electron, else the browser implementation. */
import type { LabBridge } from '../../../../shared/bridge.js';
import { BrowserBridge } from './browser.js';
import { IndexedDbStore } from './key-value.js';

declare global {
  interface Window {
    optlab?: LabBridge;
  }
}

function pickFile(): Promise<{ name: string; text: string } | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.json,application/json';
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      resolve(file ? { name: file.name, text: await file.text() } : null);
    });
    input.addEventListener('cancel', () => resolve(null));
    input.click();
  });
}

function download(name: string, data: string | Uint8Array): void {
  const type = name.endsWith('.png')
    ? 'image/png'
    : name.endsWith('.csv')
      ? 'text/csv'
      : 'application/json';
  const blob = new Blob([data as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function createBridge(): LabBridge {
  if (window.optlab) return window.optlab;
  return new BrowserBridge(new IndexedDbStore(), { pickFile, download, settings: localStorage });
}
