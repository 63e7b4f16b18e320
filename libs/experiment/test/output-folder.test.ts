import { mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OutputFolderError, isResultFileName, makeDirectory } from '../src/node/index.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'optlab-folder-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The error makeDirectory throws, or null. */
function failure(dir: string): string | null {
  try {
    makeDirectory(dir);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(OutputFolderError);
    return (err as Error).message;
  }
}

describe('makeDirectory', () => {
  it('creates missing parents and accepts an existing folder', () => {
    const dir = join(tmp(), 'a', 'b', 'c');
    expect(failure(dir)).toBeNull();
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(failure(dir)).toBeNull();
  });

  it('names the file in the way (ENOTDIR)', () => {
    const file = join(tmp(), 'f');
    writeFileSync(file, '');
    expect(failure(join(file, 'x', 'y'))).toBe(
      `cannot create ${file}/x/y: ${file} is not a folder`,
    );
  });

  // Both spin forever in Node's mkdirSync(…, { recursive: true }): mkdir answers ENOENT while
  // the parent exists.
  it('a dangling link in the path: an error, not an endless loop', () => {
    const dir = tmp();
    symlinkSync(join(dir, 'nowhere'), join(dir, 'link'));
    expect(failure(join(dir, 'link', 'out'))).toBe(
      `cannot create ${dir}/link/out: ${dir}/link: it exists and is not a folder (a broken link?)`,
    );
  });

  it.runIf(process.platform === 'linux')('under /proc: an error, not an endless loop', () => {
    expect(failure('/proc/optlab-x')).toBe(
      'cannot create /proc/optlab-x: /proc/optlab-x: this file system does not allow creating folders there',
    );
  });
});

describe('isResultFileName', () => {
  it('knows the files OptLab writes and the temporary files of an interrupted write', () => {
    for (const name of [
      'spec.json',
      'metrics.jsonl',
      'summary.json',
      'results.csv',
      'suite.json',
      'summary.json.4242.tmp',
    ]) {
      expect(isResultFileName(name)).toBe(true);
    }
    for (const name of [
      'notes.txt',
      'spec.json.tmp',
      'spec.json.x.tmp',
      'Spec.json',
      '.spec.json',
      'a.4242.tmp',
    ]) {
      expect(isResultFileName(name)).toBe(false);
    }
  });
});
