/**
 * The consumer's package-lock.json, cut out of this workspace's.
 *
 * `npm install --offline` cannot run from the npm cache alone: it needs each package's registry
 * document (packument), and `npm ci` never stores those, only tarballs. `npm ci --offline` with a
 * lock file needs nothing but the tarballs, and the workspace's `npm ci` has put every tarball
 * of its lock file in the cache. So the consumer's lock holds the very entries (versions,
 * integrity hashes, nested paths) of this workspace's lock that the consumer's dependencies
 * reach, plus one entry per packed library pointing at its tarball.
 */

export interface LockEntry {
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly link?: boolean;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { optional?: boolean }>>;
  readonly [field: string]: unknown;
}

export interface Lockfile {
  readonly name?: string;
  readonly lockfileVersion: number;
  readonly requires?: boolean;
  readonly packages: Readonly<Record<string, LockEntry>>;
}

export interface ConsumerManifest {
  readonly name: string;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
}

/** A workspace library packed into a tarball, as the consumer depends on it (`file:` spec). */
export interface PackedDependency {
  readonly name: string;
  readonly spec: string;
  readonly integrity: string;
}

/** Fields of a workspace lock entry that describe the install of this workspace, not a package. */
const WORKSPACE_ONLY_FIELDS = ['dev', 'devOptional', 'peer', 'name'];

/**
 * Node's resolution over lock paths: `name` required from the package at `from` is the nearest
 * `…/node_modules/name` going up from `from`'s own node_modules to the root's.
 */
function resolveFrom(
  packages: Lockfile['packages'],
  from: string,
  name: string,
): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    const up = dir.lastIndexOf('/node_modules/');
    dir = up < 0 ? '' : dir.slice(0, up);
  }
}

function strip(entry: LockEntry): LockEntry {
  const copy: Record<string, unknown> = { ...entry };
  for (const f of WORKSPACE_ONLY_FIELDS) delete copy[f];
  return copy as LockEntry;
}

/**
 * The lock file for `manifest`: its registry dependencies with the versions this workspace
 * locked, its packed libraries from their tarballs, and everything they reach. Every reachable
 * entry is kept, other platforms' optional packages included (npm ci wants a complete lock and
 * skips them by their `os`/`cpu` fields); optional peers are left to the consumer.
 */
export function consumerLockfile(
  workspace: Lockfile,
  manifest: ConsumerManifest,
  packed: readonly PackedDependency[],
): Lockfile {
  const source = workspace.packages;
  const out: Record<string, LockEntry> = {};
  // Where each entry's own dependencies are looked up in the workspace lock: its path, except
  // for a packed library, whose dependencies the workspace resolved from the library's folder.
  const origin = new Map<string, string>();
  const queue: string[] = [];
  const add = (path: string, entry: LockEntry, from = path): void => {
    out[path] = entry;
    origin.set(path, from);
    queue.push(path);
  };
  const packedByName = new Map(packed.map((p) => [p.name, p]));
  const wanted = { ...manifest.dependencies, ...manifest.devDependencies };
  for (const name of Object.keys(wanted)) {
    const path = `node_modules/${name}`;
    const lib = packedByName.get(name);
    if (lib) {
      // The workspace links the library to its folder; the folder's entry has its dependencies.
      const link = source[path];
      const folder = link?.link ? link.resolved : undefined;
      const libEntry = folder ? source[folder] : undefined;
      if (!libEntry) throw new Error(`the workspace lock has no workspace package ${name}`);
      add(path, { ...strip(libEntry), resolved: lib.spec, integrity: lib.integrity }, folder);
    } else {
      const entry = source[path];
      if (!entry || entry.link) {
        throw new Error(`the workspace lock has no registry package ${name} at ${path}`);
      }
      add(path, strip(entry));
    }
  }
  while (queue.length > 0) {
    const from = queue.shift()!;
    const entry = out[from];
    const optionalPeers = entry.peerDependenciesMeta ?? {};
    const names = new Set([
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeers[n]?.optional),
    ]);
    for (const name of names) {
      // A library's sibling libraries are installed from their own tarballs, at the root.
      if (packedByName.has(name) && out[`node_modules/${name}`]) continue;
      const path = resolveFrom(source, origin.get(from)!, name);
      if (!path) {
        if (entry.optionalDependencies?.[name] !== undefined) continue;
        throw new Error(`the workspace lock cannot resolve ${name}, needed by ${from}`);
      }
      if (!path.startsWith('node_modules/')) {
        // A version conflict nested under a library's folder would have to move with the library
        // (to node_modules/<lib>/node_modules/…); the workspace has none, so it is refused here.
        throw new Error(`${name} is locked at ${path}, inside a workspace folder: not supported`);
      }
      if (out[path]) continue;
      const found = source[path];
      if (found.link)
        throw new Error(`${from} needs ${name}, a workspace package that was not packed`);
      add(path, strip(found));
    }
  }
  const sorted = Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  return {
    name: manifest.name,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': {
        name: manifest.name,
        dependencies: manifest.dependencies,
        devDependencies: manifest.devDependencies,
      },
      ...sorted,
    },
  };
}
