// CI must run every test, never replay them: `.ci/run` turns Nx's cache off, and the cache of an
// ordinary run stays inside the checkout (nx.json `cacheDirectory`), so clones never share one.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

/** The environment `.ci/run` exports, read by bash itself from the script's `export` lines. */
function ciEnvironment(): Record<string, string> {
  const script = `eval "$(grep -E '^export ' .ci/run)"; env`;
  const output = execFileSync('bash', ['-c', script], { cwd: root, encoding: 'utf8', env: {} });
  return Object.fromEntries(
    output
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('CI', () => {
  it('.ci/run turns the Nx task cache off, so every task runs', () => {
    const env = ciEnvironment();
    expect(env['NX_SKIP_NX_CACHE']).toBe('true');
    expect(env['NX_DAEMON']).toBe('false');
  });

  it("keeps Nx's cache inside the checkout, never under the user's home", () => {
    const cacheDir = execFileSync(
      process.execPath,
      ['-e', "process.stdout.write(require('nx/src/utils/cache-directory').cacheDir)"],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NX_CACHE_DIRECTORY: '' } },
    );
    expect(cacheDir).toBe(join(root, '.nx', 'cache'));
  });

  it('.ci/run keeps the lab’s screenshots as artifacts, pass or fail, without changing the exit status', () => {
    const checkout = mkdtempSync(join(tmpdir(), 'optlab-ci-'));
    try {
      const screens = join(checkout, 'apps', 'lab', 'test-results', 'screens', 'views');
      mkdirSync(screens, { recursive: true });
      writeFileSync(join(screens, 'compare-1024x700.png'), 'png');
      // The script's own ARTIFACTS line and keep_artifacts, then a failing test command.
      const script = [
        `eval "$(grep -E '^ARTIFACTS=' '${join(root, '.ci', 'run')}')"`,
        `eval "$(sed -n '/^keep_artifacts() {/,/^}/p' '${join(root, '.ci', 'run')}')"`,
        'trap keep_artifacts EXIT',
        'exit 3',
      ].join('\n');
      const run = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
        cwd: checkout,
        encoding: 'utf8',
        env: { PATH: process.env['PATH'] ?? '' },
      });
      expect(run.status).toBe(3);
      const kept = join(
        checkout,
        'artifacts',
        'lab-e2e',
        'screens',
        'views',
        'compare-1024x700.png',
      );
      expect(existsSync(kept)).toBe(true);
      expect(readFileSync(kept, 'utf8')).toBe('png');
      expect(run.stderr).toContain(
        `lab screenshots in ${join(checkout, 'artifacts')}/lab-e2e/screens/`,
      );
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });
});
