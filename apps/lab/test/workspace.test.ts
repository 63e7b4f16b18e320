// The main process's Workspace, tested in Node on a temporary folder (no Electron needed).
import { spawn } from 'node:child_process';
import {
  link,
  mkdtemp,
  readFile,
  readdir,
  rm,
  symlink,
  truncate,
  writeFile,
  mkdir,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../src/shared/paths.js';
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

  it('reads a link that stays inside the workspace', async () => {
    await workspace.write('real/a.json', '{"a":1}');
    await symlink(join(base, 'ws', 'real'), join(base, 'ws', 'alias'));
    await symlink(join(base, 'ws', 'real', 'a.json'), join(base, 'ws', 'b.json'));
    expect(await workspace.read('alias/a.json')).toBe('{"a":1}');
    expect(await workspace.read('b.json')).toBe('{"a":1}');
  });

  it('refuses a hard link to a file outside the workspace (and any file with two names)', async () => {
    await writeFile(join(base, 'secret.json'), 'secret');
    await link(join(base, 'secret.json'), join(base, 'ws', 'stolen.json'));
    await expect(workspace.read('stolen.json')).rejects.toThrow(
      'file "stolen.json" has 2 hard links; files with other names are not read',
    );
  });

  it(`refuses a file over the cap (MAX_FILE_BYTES = ${MAX_FILE_BYTES}) before reading it`, async () => {
    const big = join(base, 'ws', 'big.jsonl');
    await writeFile(big, '');
    await truncate(big, MAX_FILE_BYTES + 1); // sparse: nothing is written
    await expect(workspace.read('big.jsonl')).rejects.toThrow(
      `file "big.jsonl" is larger than ${MAX_FILE_BYTES} bytes (${MAX_FILE_BYTES + 1})`,
    );
  });

  it('says what is wrong with a missing file or a folder with a file name', async () => {
    await mkdir(join(base, 'ws', 'folder.json'));
    await expect(workspace.read('missing.json')).rejects.toThrow(
      'file "missing.json" does not exist',
    );
    await expect(workspace.read('folder.json')).rejects.toThrow(
      'file "folder.json" is not a regular file',
    );
  });

  it('matches extensions in any case', async () => {
    await workspace.write('data/Iris.CSV', 'a,b\n1,2\n');
    await workspace.write('Spec.JSON', '{}');
    expect(await workspace.read('data/Iris.CSV')).toBe('a,b\n1,2\n');
    expect(await workspace.read('Spec.JSON')).toBe('{}');
    await expect(workspace.read('notes.TXT')).rejects.toThrow('must end in one of');
  });

  it('never reads or writes outside content while a folder is swapped for a link', async () => {
    const ws = join(base, 'ws');
    await mkdir(join(ws, 'data'));
    await writeFile(join(ws, 'data', 'file.json'), 'inside');
    await mkdir(join(base, 'outside'));
    await writeFile(join(base, 'outside', 'file.json'), 'OUTSIDE');
    await symlink(join(base, 'outside'), join(ws, 'link-parked'));
    // Another process swaps ws/data between the real folder and a link to ../outside, holding
    // each for up to 0.4 ms, until this test is done.
    const swapper = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('node:fs');
         const ws = ${JSON.stringify(ws)};
         process.stdout.write('ready\\n');
         const hold = () => { const end = process.hrtime.bigint() + BigInt(Math.floor(Math.random() * 400_000)); while (process.hrtime.bigint() < end); };
         for (;;) {
           try {
             fs.renameSync(ws + '/data', ws + '/data-parked');
             fs.renameSync(ws + '/link-parked', ws + '/data');
             hold();
             fs.renameSync(ws + '/data', ws + '/link-parked');
             fs.renameSync(ws + '/data-parked', ws + '/data');
             hold();
           } catch {}
         }`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise((ready) => swapper.stdout.once('data', ready));
    const seen = { inside: 0, refused: 0, outside: 0 };
    try {
      for (let i = 0; i < 600; i++) {
        try {
          const text = await workspace.read('data/file.json');
          if (text === 'inside') seen.inside++;
          else seen.outside++;
        } catch {
          seen.refused++;
        }
        await workspace.write(`data/new-${i}.json`, 'x').catch(() => {});
      }
    } finally {
      swapper.kill('SIGKILL');
      await new Promise((done) => swapper.once('exit', done));
    }
    expect(seen.outside).toBe(0);
    expect(seen.inside + seen.refused).toBe(600);
    // The race ran: some reads were refused while the folder was a link. (How many got through
    // depends on the scheduler: on a loaded machine every read can land on the link.)
    expect(seen.refused).toBeGreaterThan(0);
    expect(await readdir(join(base, 'outside'))).toEqual(['file.json']);
  });
});
