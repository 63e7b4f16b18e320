// Node ESM hooks that run OptLab straight from its TypeScript sources (the CLI's spawn tests,
// the experiment pool's worker threads under vitest):
// `node --conditions=@optlab/source --import ./test/register-ts.mjs src/main.ts ...`.
// Workspace packages resolve to src/*.ts through the @optlab/source export condition; a
// relative `./x.js` that does not exist resolves to `./x.ts`; .ts files are transpiled with
// TypeScript's transpileModule (no type checking: tsc and vitest do that).
// Transpiled output is cached on disk (node_modules/.cache/optlab-source-loader, keyed by the
// source's hash): every worker thread of the experiment pool loads the whole library again, and
// loading TypeScript and transpiling every file took seconds per thread on a busy machine.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cacheDir = fileURLToPath(
  new URL('../../node_modules/.cache/optlab-source-loader/', import.meta.url),
);
/** TypeScript, imported on the first cache miss only. */
let typescript = null;

export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && (specifier.startsWith('.') || specifier.startsWith('/'))) {
    const url = new URL(specifier, context.parentURL);
    if (!existsSync(fileURLToPath(url))) {
      const tsUrl = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
      if (existsSync(fileURLToPath(tsUrl))) return { url: tsUrl.href, shortCircuit: true };
    }
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const fileName = fileURLToPath(url);
  const source = readFileSync(fileName, 'utf8');
  const key = createHash('sha256').update(fileName).update('\0').update(source).digest('hex');
  const cached = `${cacheDir}${key}.js`;
  if (existsSync(cached)) {
    return { format: 'module', source: readFileSync(cached, 'utf8'), shortCircuit: true };
  }
  typescript ??= (await import('typescript')).default;
  const ts = typescript;
  const out = ts.transpileModule(source, {
    fileName,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: false,
      isolatedModules: true,
      sourceMap: false,
    },
  });
  try {
    mkdirSync(cacheDir, { recursive: true });
    // Write then rename: threads that load the same file at once never read half of it.
    const tmp = `${cached}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, out.outputText);
    renameSync(tmp, cached);
  } catch {
    // A cache that cannot be written only costs time.
  }
  return { format: 'module', source: out.outputText, shortCircuit: true };
}
