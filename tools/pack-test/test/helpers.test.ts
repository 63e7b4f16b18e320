import { describe, expect, it } from 'vitest';
import { consumerEnv } from '../src/commands.js';
import { consumerLockfile, type Lockfile } from '../src/lockfile.js';
import { missingEntryPoints } from '../src/pack.js';

describe('missingEntryPoints', () => {
  const manifest = {
    name: '@optlab/x',
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: {
      '.': {
        '@optlab/source': './src/index.ts',
        types: './dist/index.d.ts',
        import: './dist/index.js',
      },
      './extra': './dist/extra.js',
    },
  };

  it('names each declared file the tarball lacks, by its manifest field', () => {
    expect(missingEntryPoints(manifest, ['package.json', 'dist/index.js'])).toEqual([
      '@optlab/x: types → ./dist/index.d.ts is not in the tarball',
      '@optlab/x: exports["."].types → ./dist/index.d.ts is not in the tarball',
      '@optlab/x: exports["./extra"] → ./dist/extra.js is not in the tarball',
    ]);
  });

  it("accepts a complete tarball and ignores the workspace's own source condition", () => {
    const files = ['package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/extra.js'];
    expect(missingEntryPoints(manifest, files)).toEqual([]);
  });
});

describe('consumerLockfile', () => {
  const tarball = { resolved: 'https://registry/x.tgz', integrity: 'sha512-x' };
  const workspace: Lockfile = {
    lockfileVersion: 3,
    packages: {
      '': { name: 'workspace' },
      'node_modules/@optlab/a': { resolved: 'libs/a', link: true },
      'libs/a': {
        name: '@optlab/a',
        version: '0.1.0',
        license: 'MIT',
        dependencies: { dep: '^1.0.0' },
        peerDependencies: { vitest: '^4.0.0' },
        peerDependenciesMeta: { vitest: { optional: true } },
      },
      'node_modules/dep': {
        version: '1.0.0',
        ...tarball,
        dev: true,
        dependencies: { inner: '^2' },
      },
      'node_modules/dep/node_modules/inner': { version: '2.0.0', ...tarball, dev: true },
      'node_modules/inner': { version: '1.0.0', ...tarball, dev: true },
      'node_modules/tool': {
        version: '3.0.0',
        ...tarball,
        dev: true,
        optionalDependencies: { 'tool-darwin': '3.0.0', 'tool-gone': '3.0.0' },
      },
      'node_modules/tool-darwin': { version: '3.0.0', ...tarball, os: ['darwin'], optional: true },
      'node_modules/vitest': { version: '4.1.0', ...tarball, dev: true },
      'node_modules/unrelated': { version: '9.9.9', ...tarball, dev: true },
    },
  };
  const manifest = {
    name: 'consumer',
    dependencies: { '@optlab/a': 'file:/tmp/a.tgz' },
    devDependencies: { tool: '3.0.0' },
  };

  it("holds the packed library from its tarball and exactly what the consumer's packages reach", () => {
    const lock = consumerLockfile(workspace, manifest, [
      { name: '@optlab/a', spec: 'file:/tmp/a.tgz', integrity: 'sha512-a' },
    ]);
    expect(lock.packages).toEqual({
      '': {
        name: 'consumer',
        dependencies: { '@optlab/a': 'file:/tmp/a.tgz' },
        devDependencies: { tool: '3.0.0' },
      },
      'node_modules/@optlab/a': {
        version: '0.1.0',
        license: 'MIT',
        dependencies: { dep: '^1.0.0' },
        peerDependencies: { vitest: '^4.0.0' },
        peerDependenciesMeta: { vitest: { optional: true } },
        resolved: 'file:/tmp/a.tgz',
        integrity: 'sha512-a',
      },
      // dep's own nested inner@2, not the root's inner@1; no workspace-only `dev` flags.
      'node_modules/dep': { version: '1.0.0', ...tarball, dependencies: { inner: '^2' } },
      'node_modules/dep/node_modules/inner': { version: '2.0.0', ...tarball },
      'node_modules/tool': {
        version: '3.0.0',
        ...tarball,
        optionalDependencies: { 'tool-darwin': '3.0.0', 'tool-gone': '3.0.0' },
      },
      // Another platform's optional package stays: npm ci wants it listed and skips it.
      'node_modules/tool-darwin': { version: '3.0.0', ...tarball, os: ['darwin'], optional: true },
    });
  });

  it('refuses a dependency on a workspace package that was not packed', () => {
    expect(() => consumerLockfile(workspace, manifest, [])).toThrow(
      'the workspace lock has no registry package @optlab/a at node_modules/@optlab/a',
    );
  });
});

describe('consumerEnv', () => {
  it("drops this workspace's Nx and npm settings, keeps the npm cache, turns the daemon off", () => {
    const env = consumerEnv({
      PATH: '/bin',
      HOME: '/root',
      NX_WORKSPACE_ROOT_PATH: '/work/optlab',
      NX_TASK_TARGET_PROJECT: '@optlab/pack-test',
      npm_config_workspace: '@optlab/pack-test',
      npm_lifecycle_event: 'e2e',
      npm_config_cache: '/root/.npm',
      INIT_CWD: '/work/optlab',
    });
    expect(env).toEqual({
      PATH: '/bin',
      HOME: '/root',
      npm_config_cache: '/root/.npm',
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      NX_TUI: 'false',
    });
  });
});
