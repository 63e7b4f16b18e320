/**
 * What every library's stryker.config.mjs shares. Stryker runs from the workspace root (the
 * sandbox is a copy of the workspace, so the libraries' configs, which import
 * ../../vitest.shared.ts, and tsconfig.base.json resolve as usual) and tests one library:
 * its vitest config, its test folder, its own temp folder and report.
 *
 * @param {string} lib folder name under libs/
 * @param {string[]} mutate globs relative to the library
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function strykerConfig(lib, mutate) {
  const root = `libs/${lib}`;
  return {
    mutate: mutate.map((glob) => `${root}/${glob}`),
    testRunner: 'vitest',
    vitest: { configFile: `${root}/vitest.config.ts`, dir: root },
    // `.stryker-tmp` is always left out of the sandbox copy; one folder per library keeps two
    // runs apart.
    tempDirName: `.stryker-tmp/${lib}`,
    // Libraries never import the apps (see the module-boundary rule), so the sandbox skips them.
    ignorePatterns: ['/apps'],
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: `reports/mutation/${lib}/index.html` },
    jsonReporter: { fileName: `reports/mutation/${lib}/mutation.json` },
    // The development machines are shared: two test workers, not one per core. Override with
    // `--concurrency N` where cores are free.
    concurrency: 2,
    // The runner's tests train small models; a mutant that loops forever is cut off by
    // Stryker's own timeout (its dry-run time × 1.5 + timeoutMS).
    timeoutMS: 30_000,
    // The bar (docs/mutation-testing.md): 85 % for every module listed there. Below it
    // the score is shown red; the run does not fail, it is not part of `npm test`.
    thresholds: { high: 90, low: 85, break: null },
  };
}
