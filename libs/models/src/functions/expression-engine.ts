import type { MathJsInstance } from 'mathjs';
import { ModelsError } from '../options.js';

/*
 * mathjs, loaded on first use instead of at import. Its module creates every one of its
 * functions when evaluated: about 0.7 s of CPU on a quiet machine and 2 s on a busy one, paid by
 * every process and worker thread that imported @optlab/models, expression or not — a `--jobs 2`
 * pool paid it once per thread, more than the whole training of a small sweep. Now only a spec
 * with an expression pays it.
 *
 * Node loads it synchronously on first use (`require`, reached through
 * `process.getBuiltinModule`), so every sync caller — the validator, the function registry —
 * works unchanged. A browser has no sync loader: the lab's page bundles mathjs and hands it over
 * with `provideExpressionEngine` before it mounts, and each of its workers awaits
 * `loadExpressionEngine()` before it handles a message.
 *
 * mathjs runs with `predictable: true`, so sqrt(−1) and log(−1) are NaN rather than complex numbers.
 */

let engine: MathJsInstance | undefined;
const CONFIG = { predictable: true } as const;

export type MathjsModule = Pick<typeof import('mathjs'), 'create' | 'all'>;

/** Loads mathjs if it is not loaded yet; after it resolves, `expressionEngine()` never loads. */
export async function loadExpressionEngine(): Promise<void> {
  if (engine) return;
  const { create, all } = (await import('mathjs')) as MathjsModule;
  engine ??= create(all, CONFIG);
}

/** Hands over a mathjs module the caller has imported itself (a page that bundles it statically). */
export function provideExpressionEngine(mathjs: MathjsModule): void {
  engine ??= mathjs.create(mathjs.all, CONFIG);
}

/** The mathjs instance expressions use, loading it on first use where that can be done synchronously. */
export function expressionEngine(): MathJsInstance {
  if (engine) return engine;
  const { create, all } = requireMathjs();
  engine = create(all, CONFIG);
  return engine;
}

/** Whether mathjs has been loaded in this thread (tests use it to check that nothing loads it early). */
export function expressionEngineLoaded(): boolean {
  return engine !== undefined;
}

function requireMathjs(): MathjsModule {
  const host = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
  const builtin = host.process?.getBuiltinModule;
  if (typeof builtin !== 'function') {
    throw new ModelsError(
      'the expression engine (mathjs) is not loaded: in a browser, await loadExpressionEngine() before using expressions',
    );
  }
  const { createRequire } = builtin('node:module') as {
    createRequire(from: string): (id: string) => unknown;
  };
  return createRequire(import.meta.url)('mathjs') as MathjsModule;
}
