import { describe, expect, it } from 'vitest';
import { BrowserBridge, type BrowserHooks } from '../src/renderer/src/lib/bridge/browser.js';
import { MemoryStore } from '../src/renderer/src/lib/bridge/key-value.js';

function bridge(picked: { name: string; text: string } | null = null) {
  const downloads: { name: string; data: string | Uint8Array }[] = [];
  const settings = new Map<string, string>();
  const hooks: BrowserHooks = {
    pickFile: async () => picked,
    download: (name, data) => downloads.push({ name, data }),
    settings: {
      getItem: (k) => settings.get(k) ?? null,
      setItem: (k, v) => void settings.set(k, v),
    },
  };
  return { bridge: new BrowserBridge(new MemoryStore(), hooks), downloads };
}

describe('BrowserBridge', () => {
  it('keeps workspace files with the same path rules as the desktop app', async () => {
    const { bridge: b } = bridge();
    await b.writeFile('experiments/a.json', '{"a":1}');
    await b.writeFile('exports/x.csv', 'a,b\n');
    expect((await b.listFiles('experiments')).map((e) => e.path)).toEqual(['experiments/a.json']);
    expect((await b.listFiles()).map((e) => e.path)).toEqual([
      'experiments/a.json',
      'exports/x.csv',
    ]);
    expect(await b.readFile('experiments/a.json')).toBe('{"a":1}');
    await expect(b.readFile('../a.json')).rejects.toThrow('leaves the workspace');
    await expect(b.writeFile('/abs.json', 'x')).rejects.toThrow('is absolute');
    await expect(b.readFile('experiments/none.json')).rejects.toThrow(
      'no file "experiments/none.json"',
    );
    await b.deleteFile('experiments/a.json');
    expect(await b.listFiles('experiments')).toEqual([]);
  });

  it('exports by download, refusing names that are paths', async () => {
    const { bridge: b, downloads } = bridge();
    await b.exportFile('results.csv', 'a\n');
    expect(downloads).toEqual([{ name: 'results.csv', data: 'a\n' }]);
    await expect(b.exportFile('../results.csv', 'a')).rejects.toThrow('leaves the workspace');
  });

  it('opens uploads, remembers recent files and relays menu commands', async () => {
    const { bridge: b } = bridge({ name: 'spec.json', text: '{}' });
    expect(await b.openFileDialog()).toEqual({ name: 'spec.json', path: null, text: '{}' });
    await b.addRecentFile('experiments/a.json');
    await b.addRecentFile('experiments/b.json');
    await b.addRecentFile('experiments/a.json');
    expect(await b.recentFiles()).toEqual(['experiments/a.json', 'experiments/b.json']);
    await expect(b.addRecentFile('../x.json')).rejects.toThrow('leaves the workspace');
    const seen: string[] = [];
    const off = b.onMenuCommand((c) => seen.push(c));
    b.dispatch('run-all');
    off();
    b.dispatch('save');
    expect(seen).toEqual(['run-all']);
  });
});
