// CI must run every test, never replay them: `.ci/run` turns Nx's cache off, and the cache of an
// ordinary run stays inside the checkout (nx.json `cacheDirectory`), so clones never share one.
import { execFileSync } from 'node:child_process';
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
});
