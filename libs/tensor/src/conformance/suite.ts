import { describe, it } from 'vitest';
import type { Backend } from '../backend.js';
import type { Tolerance } from './check.js';

/**
 * What every section of the conformance suite gets: the backend under test (created once per
 * suite, in `beforeAll`, since factories may be async), the tolerances, and `test`, which
 * registers an `it` unless the caller skipped it.
 */
export interface SuiteContext {
  /** The backend under test; valid inside tests only. */
  readonly backend: Backend;
  /** Tolerance for values compared against references (caller's or the dtype default). */
  readonly tol: Tolerance;
  /** Registers a test named `name` in the current `describe` (skipped when the caller asked). */
  test(name: string, fn: () => void | Promise<void>): void;
  /** Opens a `describe` section; its name becomes part of every test id inside it. */
  section(name: string, body: (inner: SuiteContext) => void): void;
}

/**
 * Builds a SuiteContext whose test ids are the section path and test name joined by ` > `,
 * e.g. `matmul > 33x65 . 65x17 transposeA`. A skip entry skips the test with that id and every
 * test under a section with that id. `unusedSkips()` reports entries that matched nothing, so
 * that a typo in `skip` fails loudly instead of silently testing everything.
 */
export function createSuiteContext(
  getBackend: () => Backend,
  getTolerance: () => Tolerance,
  skip: readonly string[],
): { root: SuiteContext; unusedSkips(): string[] } {
  const used = new Set<string>();
  const skipped = (id: string): boolean => {
    let hit = false;
    for (const s of skip) {
      if (id === s || id.startsWith(`${s} > `)) {
        used.add(s);
        hit = true;
      }
    }
    return hit;
  };
  // Each section gets its own context carrying its path: vitest may run describe bodies later
  // than the describe() call, so a shared mutable path would be wrong.
  const at = (path: readonly string[]): SuiteContext => ({
    get backend() {
      return getBackend();
    },
    get tol() {
      return getTolerance();
    },
    test(name, fn) {
      if (skipped([...path, name].join(' > '))) it.skip(name, fn);
      else it(name, fn);
    },
    section(name, body) {
      const inner = at([...path, name]);
      describe(name, () => body(inner));
    },
  });
  return { root: at([]), unusedSkips: () => skip.filter((s) => !used.has(s)) };
}
