/**
 * What every library's stryker.config.mjs shares. Stryker runs from the workspace root (the
 * sandbox is a copy of the workspace, so the libraries' configs, which import
 * ../../vitest.shared.ts, and tsconfig.base.json resolve as usual) and tests one library:
 * its vitest config, its test folder, its own temp folder and report.
 *
 * A library may also name *modules*: a few source files and the test files that are meant to
 * kill their mutants. `npm run mutation -- experiment:validate` (tools/scripts/mutation.mjs sets
 * OPTLAB_MUTATION_MODULE) mutates only those files and runs only those tests: a whole-suite run
 * of the runner's tests per mutant is what made a run take minutes per handful of mutants.
 *
 * Every run is incremental: results are kept in reports/mutation/<lib>[/<module>]/incremental.json
 * and a rerun tests only the mutants whose code or covering tests changed (`--force` retests all).
 *
 * @param {string} lib folder name under libs/
 * @param {string[]} mutate globs relative to the library
 * @param {Record<string, { mutate: string[], testFiles: string[] }>} [modules] globs relative to
 *   the library, by module name
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function strykerConfig(lib, mutate, modules = {}) {
  const root = `libs/${lib}`;
  const moduleName = process.env.OPTLAB_MUTATION_MODULE;
  const module = moduleName ? modules[moduleName] : undefined;
  if (moduleName && !module) {
    const known = Object.keys(modules).join(', ') || '(none)';
    throw new Error(`mutation: ${lib} has no module "${moduleName}"; modules: ${known}`);
  }
  const reports = module ? `reports/mutation/${lib}/${moduleName}` : `reports/mutation/${lib}`;
  const inLib = (globs) => globs.map((glob) => `${root}/${glob}`);
  return {
    mutate: inLib(module ? module.mutate : mutate),
    ...(module ? { testFiles: inLib(module.testFiles) } : {}),
    testRunner: 'vitest',
    vitest: { configFile: `${root}/vitest.config.ts`, dir: root },
    // Each mutant runs only the tests that covered its code in the initial run.
    coverageAnalysis: 'perTest',
    incremental: true,
    incrementalFile: `${reports}/incremental.json`,
    // `.stryker-tmp` is always left out of the sandbox copy; one folder per library keeps two
    // runs apart.
    tempDirName: `.stryker-tmp/${lib}`,
    // Libraries never import the apps (see the module-boundary rule), so the sandbox skips them.
    ignorePatterns: ['/apps'],
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: `${reports}/index.html` },
    jsonReporter: { fileName: `${reports}/mutation.json` },
    // The development machines are shared: two test workers, not one per core. Override with
    // `--concurrency N` where cores are free (or 1 where they are busy).
    concurrency: 2,
    // On top of the covering tests' own time × 1.5: a mutant that loops forever (a loop bound
    // turned into `true`) is cut off after 10 s more, not 30 (each one costs that much).
    timeoutMS: 10_000,
    // The bar (docs/mutation-testing.md): 85 % for every module listed there. Below it
    // the score is shown red; the run does not fail, it is not part of `npm test`.
    thresholds: { high: 90, low: 85, break: null },
  };
}
