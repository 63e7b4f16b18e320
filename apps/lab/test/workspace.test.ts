// The main process's Workspace, tested in Node on a temporary folder (no Electron needed).
import { mkdtemp, readFile, readdir, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from '../src/main/workspace.js';

let base: string;
let workspace: Workspace;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'optlab-ws-'));
  workspace = await Workspace.open(join(base, 'ws'));
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('Workspace', () => {
  it('writes, lists and reads files under the root', async () => {
    await workspace.write('experiments/a.json', '{"a":1}');
    await workspace.write('experiments/b.json', '{"b":2}');
    const entries = await workspace.list('experiments');
    expect(entries.map((e) => e.path)).toEqual(['experiments/a.json', 'experiments/b.json']);
    expect(entries[0].size).toBe(7);
    expect(await workspace.read('experiments/b.json')).toBe('{"b":2}');
    expect(await readFile(join(base, 'ws', 'experiments', 'a.json'), 'utf8')).toBe('{"a":1}');
  });

  it('replaces atomically and leaves no temporary file behind', async () => {
    await workspace.write('x.json', 'old');
    await workspace.write('x.json', 'new');
    expect(await workspace.read('x.json')).toBe('new');
    expect(await readdir(join(base, 'ws'))).toEqual(['x.json']);
  });

  it('refuses paths that leave the workspace, before touching the disk', async () => {
    await writeFile(join(base, 'outside.json'), 'secret');
    await expect(workspace.read('../outside.json')).rejects.toThrow('leaves the workspace');
    await expect(workspace.write('../evil.json', 'x')).rejects.toThrow('leaves the workspace');
    await expect(workspace.read('/etc/passwd.json')).rejects.toThrow('is absolute');
    await expect(workspace.list('..')).rejects.toThrow('leaves the workspace');
    await expect(readdir(base)).resolves.not.toContain('evil.json');
  });

  it('refuses a symbolic link inside the workspace that points outside it', async () => {
    await mkdir(join(base, 'elsewhere'));
    await writeFile(join(base, 'elsewhere', 'secret.json'), 'secret');
    await symlink(join(base, 'elsewhere'), join(base, 'ws', 'link'));
    await expect(workspace.read('link/secret.json')).rejects.toThrow('links outside the workspace');
    await expect(workspace.write('link/new.json', 'x')).rejects.toThrow(
      'links outside the workspace',
    );
  });

  it('refuses non-text content and says so', async () => {
    await expect(workspace.write('a.json', 42 as unknown as string)).rejects.toThrow(
      'file content must be text, got number',
    );
  });

  it('maps absolute paths back to workspace-relative ones, or null outside', () => {
    expect(workspace.relativeTo(join(workspace.root, 'experiments', 'a.json'))).toBe(
      'experiments/a.json',
    );
    expect(workspace.relativeTo(join(base, 'outside.json'))).toBeNull();
  });
});
