// Node ESM hooks that run the CLI straight from its TypeScript sources (for the spawn tests):
// `node --conditions=@optlab/source --import ./test/register-ts.mjs src/main.ts ...`.
// Workspace packages resolve to src/*.ts through the @optlab/source export condition; a
// relative `./x.js` that does not exist resolves to `./x.ts`; .ts files are transpiled with
// TypeScript's transpileModule (no type checking: tsc and vitest do that).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

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
  const source = readFileSync(fileURLToPath(url), 'utf8');
  const out = ts.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: false,
      isolatedModules: true,
      sourceMap: false,
    },
  });
  return { format: 'module', source: out.outputText, shortCircuit: true };
}
