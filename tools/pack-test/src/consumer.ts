import type { ConsumerManifest, Lockfile } from './lockfile.js';
import type { PackedLibrary } from './pack.js';

/** The consumer's tools, at the versions this workspace locked (their tarballs are cached). */
export const CONSUMER_TOOLS = ['nx', 'typescript', '@types/node'] as const;

export const APP = 'train';

/** The consumer's package.json: its tools, and the packed libraries as `file:` tarballs. */
export function consumerManifest(
  workspaceLock: Lockfile,
  libraries: readonly PackedLibrary[],
): ConsumerManifest & { private: true; type: 'module' } {
  const devDependencies: Record<string, string> = {};
  for (const tool of CONSUMER_TOOLS) {
    const version = workspaceLock.packages[`node_modules/${tool}`]?.version;
    if (!version) throw new Error(`the workspace lock has no ${tool}`);
    devDependencies[tool] = version;
  }
  return {
    name: 'optlab-consumer',
    private: true,
    type: 'module',
    dependencies: Object.fromEntries(libraries.map((l) => [l.name, `file:${l.tarball}`])),
    devDependencies,
  };
}

/**
 * The rest of the consumer workspace: nx.json and one application whose targets type-check it
 * (`tsc --strict`, no emit, library declarations checked too: `skipLibCheck` off), emit it, and
 * train. Only `src/main.ts` is copied from this repository (consumer/main.ts).
 */
export function consumerWorkspaceFiles(): Record<string, string> {
  const project = {
    name: APP,
    sourceRoot: `apps/${APP}/src`,
    projectType: 'application',
    targets: {
      typecheck: {
        executor: 'nx:run-commands',
        options: { command: `tsc -p apps/${APP}/tsconfig.json --strict --noEmit` },
      },
      // Emit only: the type check is the target above (one compiler pass each).
      build: {
        executor: 'nx:run-commands',
        options: { command: `tsc -p apps/${APP}/tsconfig.json --noCheck` },
      },
      train: {
        executor: 'nx:run-commands',
        dependsOn: ['build'],
        options: { command: `node apps/${APP}/dist/main.js` },
      },
    },
  };
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: false,
      types: ['node'],
      outDir: 'dist',
      rootDir: 'src',
    },
    include: ['src/**/*.ts'],
  };
  const nx = {
    neverConnectToCloud: true,
    // Inside the consumer's folder, so nothing of it is cached where another workspace could
    // replay it.
    cacheDirectory: '.nx/cache',
    tui: { enabled: false },
  };
  const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
  return {
    'nx.json': json(nx),
    [`apps/${APP}/project.json`]: json(project),
    [`apps/${APP}/tsconfig.json`]: json(tsconfig),
  };
}
