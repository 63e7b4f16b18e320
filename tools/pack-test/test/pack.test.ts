import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerEnv, expectSuccess, runCommand } from '../src/commands.js';
import { APP, consumerManifest, consumerWorkspaceFiles } from '../src/consumer.js';
import { consumerLockfile, type Lockfile } from '../src/lockfile.js';
import {
  missingEntryPoints,
  parsePackOutput,
  staleBuild,
  type EntryPointManifest,
  type PackedLibrary,
} from '../src/pack.js';

/**
 * Proof that the libraries are reusable: they are packed with `npm pack`, installed from their
 * tarballs into a new Nx workspace outside this one (dependencies from the npm cache, offline),
 * type-checked there with `tsc --strict` against the packed declarations, and used there to train
 * the tutorial's linear regression with Adam, through that workspace's own Nx.
 *
 * Takes about 3 minutes of wall time on the shared 2-core development machine (install ~25 s,
 * strict type check 25-75 s, training ~20 s), about 35 s of CPU time. Set
 * OPTLAB_PACK_TEST_KEEP=1 to keep the consumer workspace for a look afterwards.
 */

const here = dirname(fileURLToPath(import.meta.url));
const workspaceRoot = resolve(here, '../../..');
const LIBRARIES = [
  '@optlab/tensor',
  '@optlab/tensor-gpu',
  '@optlab/optim',
  '@optlab/models',
  '@optlab/experiment',
];
const MINUTES = 60_000;

const workspaceLock = JSON.parse(
  readFileSync(join(workspaceRoot, 'package-lock.json'), 'utf8'),
) as Lockfile;
const folderOf = (name: string): string =>
  join(workspaceRoot, String(workspaceLock.packages[`node_modules/${name}`]?.resolved));

let scratch = '';
let consumer = '';
let packed: PackedLibrary[] = [];
const env = consumerEnv();
const nx = (args: string[], timeoutMs: number) =>
  runCommand(join(consumer, 'node_modules/.bin/nx'), [...args, '--output-style=static'], {
    cwd: consumer,
    env,
    timeoutMs,
  });

beforeAll(async () => {
  const stale = LIBRARIES.map((n) => staleBuild(folderOf(n), n)).filter((s) => s !== null);
  if (stale.length > 0) {
    throw new Error(
      `cannot pack stale builds:\n${stale.join('\n')}\nRun the test through Nx, which builds ` +
        'the libraries first: npx nx run @optlab/pack-test:e2e',
    );
  }
  scratch = mkdtempSync(join(tmpdir(), 'optlab-pack-'));
  const tarballs = join(scratch, 'tarballs');
  consumer = join(scratch, 'consumer');
  mkdirSync(tarballs);
  const pack = await runCommand(
    'npm',
    ['pack', '--json', '--pack-destination', tarballs, ...LIBRARIES.flatMap((n) => ['-w', n])],
    { cwd: workspaceRoot, env, timeoutMs: 2 * MINUTES },
  );
  // npm prints notices on stderr; the JSON is the part from the first '['.
  const json = expectSuccess('npm pack', pack);
  packed = parsePackOutput(json.slice(json.indexOf('[')), tarballs);

  const manifest = consumerManifest(workspaceLock, packed);
  const lock = consumerLockfile(
    workspaceLock,
    manifest,
    packed.map((p) => ({
      name: p.name,
      spec: `file:${p.tarball}`,
      integrity: p.integrity,
    })),
  );
  const files: Record<string, string> = {
    'package.json': `${JSON.stringify(manifest, null, 2)}\n`,
    'package-lock.json': `${JSON.stringify(lock, null, 2)}\n`,
    ...consumerWorkspaceFiles(),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(consumer, path)), { recursive: true });
    writeFileSync(join(consumer, path), text);
  }
  mkdirSync(join(consumer, `apps/${APP}/src`), { recursive: true });
  copyFileSync(join(here, '../consumer/main.ts'), join(consumer, `apps/${APP}/src/main.ts`));

  // Offline, from the cache the workspace's own `npm ci` filled. Install scripts are skipped:
  // none is needed (gpu.js's optional headless-gl would try to compile against downloaded headers).
  const install = await runCommand(
    'npm',
    ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'],
    { cwd: consumer, env, timeoutMs: 5 * MINUTES },
  );
  expectSuccess(
    'npm ci --offline in the consumer workspace',
    install,
    'ENOTCACHED means a tarball is missing from the npm cache: run `npm ci` in this workspace first.',
  );
});

afterAll(() => {
  if (!scratch) return;
  if (process.env.OPTLAB_PACK_TEST_KEEP === '1') console.log(`kept ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
});

describe('the libraries packed with npm pack', () => {
  it('are all packed, each with every entry point it declares', () => {
    expect(packed.map((p) => p.name).sort()).toEqual([...LIBRARIES].sort());
    const problems = packed.flatMap((p) => {
      const manifest = JSON.parse(
        readFileSync(join(folderOf(p.name), 'package.json'), 'utf8'),
      ) as EntryPointManifest;
      return missingEntryPoints(manifest, p.files);
    });
    expect(problems).toEqual([]);
  });

  it('are installed in the consumer from their tarballs, not linked to this workspace', () => {
    for (const name of LIBRARIES) {
      const installed = JSON.parse(
        readFileSync(join(consumer, 'node_modules', name, 'package.json'), 'utf8'),
      ) as { version: string };
      expect(installed.version, name).toBe(packed.find((p) => p.name === name)!.version);
    }
    const lock = JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8')) as Lockfile;
    for (const name of LIBRARIES) {
      expect(lock.packages[`node_modules/${name}`].resolved, name).toMatch(/^file:.*\.tgz$/);
    }
  });
});

describe('a new Nx workspace that installs them', () => {
  it('type-checks with tsc --strict against the packed declarations', async () => {
    const output = expectSuccess(
      `nx run ${APP}:typecheck`,
      await nx(['run', `${APP}:typecheck`], 5 * MINUTES),
    );
    expect(output).toContain('tsc -p apps/train/tsconfig.json --strict --noEmit');
  });

  it("trains the tutorial's linear regression with Adam below the stated loss", async () => {
    const output = expectSuccess(
      `nx run ${APP}:train`,
      await nx(['run', `${APP}:train`], 5 * MINUTES),
    );
    const results = output
      .split('\n')
      .filter((l) => l.startsWith('RESULT '))
      .map((l) => JSON.parse(l.slice('RESULT '.length)) as Record<string, number | string>);
    expect(results.map((r) => r.part)).toEqual(['libraries', 'runner']);
    const [libraries, runner] = results as [
      { initial: number; final: number; optimum: number },
      { initial: number; final: number; status: string },
    ];
    // From 55.6 (weights N(0, 1), seed 0) to within 0.5 % of the least-squares optimum, 1.0935.
    expect(libraries.initial).toBeCloseTo(55.641, 2);
    expect(libraries.optimum).toBeCloseTo(1.0935, 4);
    expect(libraries.final).toBeLessThan(1.1);
    expect(libraries.final).toBeLessThan(libraries.optimum * 1.005);
    expect(runner.status).toBe('done');
    expect(runner.initial).toBeCloseTo(libraries.initial, 10);
    expect(runner.final).toBeLessThan(1.1);
  });
});
