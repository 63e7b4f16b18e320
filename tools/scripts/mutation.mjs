#!/usr/bin/env node
/**
 * `npm run mutation [-- <lib>[:<module>]… [stryker options]]`: mutation testing with StrykerJS,
 * one library after the other (all four by default), from the workspace root. Each library's
 * stryker.config.mjs says which files are mutated, and names modules (`experiment:validate`)
 * that mutate a few files and run only the tests meant for them. Options such as
 * `--mutate 'libs/experiment/src/metrics/*.ts'`, `--concurrency 1` or `--force` go to every run.
 * Reports: reports/mutation/<lib>[/<module>]/index.html. Not part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LIBRARIES = ['tensor', 'optim', 'models', 'experiment'];

const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith('-'));
const names = firstOption === -1 ? args : args.slice(0, firstOption);
const options = firstOption === -1 ? [] : args.slice(firstOption);
const unknown = names.filter((n) => !LIBRARIES.includes(n.split(':')[0]));
if (unknown.length > 0) {
  console.error(`mutation: unknown library ${unknown.join(', ')}; one of ${LIBRARIES.join(', ')}`);
  process.exit(2);
}

const stryker = join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
let failed = 0;
for (const name of names.length > 0 ? names : LIBRARIES) {
  const [lib, module] = name.split(':');
  const config = join('libs', lib, 'stryker.config.mjs');
  if (!existsSync(join(root, config))) {
    console.error(`mutation: ${config} is missing`);
    process.exit(2);
  }
  console.log(`\n== mutation testing: ${name} (${config})`);
  // stryker-base.mjs reads the module from the environment (a config file takes no arguments).
  const env = { ...process.env };
  if (module) env.OPTLAB_MUTATION_MODULE = module;
  else delete env.OPTLAB_MUTATION_MODULE;
  const result = spawnSync(process.execPath, [stryker, 'run', config, ...options], {
    cwd: root,
    stdio: 'inherit',
    env,
  });
  if (result.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
