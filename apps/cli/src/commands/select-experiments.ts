import type { SpecIssue, SuiteSpec } from '@optlab/experiment';

/**
 * `optlab bench <suite> --only a,b`: the suite with only the named experiments, in the suite's
 * own order, so a laptop can run the cheap problems of a suite whose others take hours. An
 * unknown name is bad input that lists the suite's names; absent, the suite is unchanged.
 */
export function selectExperiments(
  suite: SuiteSpec,
  only: string | undefined,
): { ok: true; suite: SuiteSpec } | { ok: false; issues: SpecIssue[] } {
  if (only === undefined) return { ok: true, suite };
  const known = suite.experiments.map((e) => e.name);
  const names = only
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  if (names.length === 0) {
    return {
      ok: false,
      issues: [{ path: '--only', message: `names no experiment; known: ${known.join(', ')}` }],
    };
  }
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    return {
      ok: false,
      issues: unknown.map((n) => ({
        path: '--only',
        message: `unknown experiment "${n}" in suite ${suite.name}; known: ${known.join(', ')}`,
      })),
    };
  }
  return {
    ok: true,
    suite: { ...suite, experiments: suite.experiments.filter((e) => names.includes(e.name)) },
  };
}
