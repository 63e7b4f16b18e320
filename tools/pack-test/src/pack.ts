import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** One library as `npm pack --json` describes its tarball. */
export interface PackedLibrary {
  readonly name: string;
  readonly version: string;
  /** Absolute path of the tarball. */
  readonly tarball: string;
  /** Paths inside the package (`package/` stripped). */
  readonly files: readonly string[];
  readonly integrity: string;
}

interface NpmPackJson {
  name: string;
  version: string;
  filename: string;
  files: { path: string }[];
}

/** Reads `npm pack --json` output; tarballs were written to `destination`. */
export function parsePackOutput(json: string, destination: string): PackedLibrary[] {
  const list = JSON.parse(json) as NpmPackJson[];
  return list.map((p) => {
    const tarball = join(destination, p.filename);
    return {
      name: p.name,
      version: p.version,
      tarball,
      files: p.files.map((f) => f.path),
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
    };
  });
}

/** The manifest fields that name files a consumer loads. */
export interface EntryPointManifest {
  readonly name: string;
  readonly main?: string;
  readonly types?: string;
  readonly exports?: Readonly<Record<string, string | Readonly<Record<string, string>>>>;
}

/**
 * What a consumer resolves and the tarball lacks: `main`, `types` and every `exports` target.
 * The `@optlab/source` condition is left out: it is this workspace's own (tests and type checks
 * read sources through it) and no consumer enables it.
 */
export function missingEntryPoints(
  manifest: EntryPointManifest,
  files: readonly string[],
): string[] {
  const present = new Set(files.map((f) => f.replace(/^\.\//, '')));
  const targets: { where: string; path: string }[] = [];
  if (manifest.main) targets.push({ where: 'main', path: manifest.main });
  if (manifest.types) targets.push({ where: 'types', path: manifest.types });
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (typeof target === 'string') {
      targets.push({ where: `exports["${subpath}"]`, path: target });
      continue;
    }
    for (const [condition, path] of Object.entries(target)) {
      if (condition === '@optlab/source') continue;
      targets.push({ where: `exports["${subpath}"].${condition}`, path });
    }
  }
  return targets
    .filter((t) => !present.has(t.path.replace(/^\.\//, '')))
    .map((t) => `${manifest.name}: ${t.where} → ${t.path} is not in the tarball`);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Why a library's build cannot be packed, or null: `dist/` missing or older than `src/`. Nx
 * builds the libraries before this test (`e2e` depends on their `build`); run directly, the
 * test would otherwise pack a stale build.
 */
export function staleBuild(folder: string, name: string): string | null {
  const dist = join(folder, 'dist');
  let built: number;
  try {
    built = newestMtime(dist);
  } catch {
    return `${name}: ${dist} does not exist`;
  }
  if (newestMtime(join(folder, 'src')) > built) {
    return `${name}: ${dist} is older than its sources`;
  }
  return null;
}
