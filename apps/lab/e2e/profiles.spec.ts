/**
 * Performance profiles across tasks in the lab (issue 10, item 6): the CLI's result files —
 * an `optlab run` suite folder (suite.json + each experiment's summary.json) and the summary.json
 * of two `optlab run` folders, committed under e2e/fixtures/profiles by
 * tools/fixtures/lab/make-profile-results.sh — give the profile of steps and of wall time to the
 * target. The table's ρ(τ) and the drawn step lines are checked against @optlab/experiment's
 * `suiteProfile` of the same files (what `optlab bench` prints), and files that are not results
 * or share no optimizer are named in the errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  DEFAULT_TAUS,
  suiteProfile,
  type ExperimentSummary,
  type ProfileMeasure,
} from '@optlab/experiment';
import { canvasPixels, RUN_COLORS, screenshot, showView } from './helpers.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'profiles');
const read = (path: string) =>
  JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as ExperimentSummary;

/** The suite's tasks in its order, then the two single runs in the order they are opened. */
const SUMMARIES = [
  ...['rosenbrock', 'himmelblau', 'beale', 'iris'].map((n) => read(`bench/${n}/summary.json`)),
  read('rosenbrock-near/summary.json'),
  read('himmelblau-far/summary.json'),
];

/** ρ(τ) of a drawn step line: its value at the largest grid τ not above τ. */
function stepValue(drawn: { taus: number[]; fractions: number[] }, tau: number): number {
  let at = -1;
  drawn.taus.forEach((t, i) => {
    if (t <= tau) at = i;
  });
  return drawn.fractions[at];
}

async function drawnLines(
  page: Page,
  measure: ProfileMeasure,
): Promise<{ taus: number[]; lines: Record<string, number[]> }> {
  const raw = await page.getByTestId(`profile-chart-${measure}`).getAttribute('data-profile');
  return JSON.parse(raw!) as { taus: number[]; lines: Record<string, number[]> };
}

test.use({ viewport: { width: 1440, height: 900 } });

test('result files of the CLI give the performance profiles of steps and time, as the experiment lib computes them', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await showView(page, 'profile');
  await expect(page.getByTestId('profile-empty')).toBeVisible();

  // The suite's result folder (its specs are read past), then two single runs' summaries.
  await page.getByTestId('profile-folder').setInputFiles(join(FIXTURES, 'bench'));
  await expect(page.getByTestId('profile-tasks').locator('tbody tr')).toHaveCount(4);
  await page
    .getByTestId('profile-files')
    .setInputFiles([
      join(FIXTURES, 'rosenbrock-near', 'summary.json'),
      join(FIXTURES, 'himmelblau-far', 'summary.json'),
    ]);
  const tasks = page.getByTestId('profile-tasks').locator('tbody tr');
  await expect(tasks).toHaveCount(6);
  await expect(page.getByTestId('profile-problems')).toHaveCount(0);
  expect(await tasks.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-task')))).toEqual(
    SUMMARIES.map((s) => s.experiment),
  );
  // SGD does not reach Rosenbrock's target from either start: "—".
  await expect(
    tasks.and(page.locator('[data-task=rosenbrock]')).locator('[data-optimizer=SGD]'),
  ).toHaveText('— · —');

  for (const measure of ['steps', 'ms'] as const) {
    const expected = suiteProfile(SUMMARIES, measure);
    expect(expected.tasks).toHaveLength(6);
    // The table: ρ at the CLI's τ grid, two decimals as `optlab bench` prints them.
    const table = page.getByTestId(`profile-table-${measure}`);
    for (const o of expected.optimizers) {
      const cells = table.locator(`tr[data-optimizer="${o.name}"] td[data-tau]`);
      await expect(cells).toHaveText(o.fractions.map((f) => f.toFixed(2)));
    }
    // The drawn steps: ρ between and at the jumps equals the lib's profile at those τ.
    const drawn = await drawnLines(page, measure);
    const probes = [1, 1.1, 1.37, 2, 2.9, 5, 11, 100].filter(
      (t) => t <= drawn.taus[drawn.taus.length - 1],
    );
    const atProbes = suiteProfile(SUMMARIES, measure, probes);
    for (const o of atProbes.optimizers) {
      const fractions = drawn.lines[o.name];
      expect(
        probes.map((t) => stepValue({ taus: drawn.taus, fractions }, t)),
        `${measure} ${o.name}`,
      ).toEqual(o.fractions);
    }
    // Every τ of the CLI's grid is on the drawn grid too.
    expect(drawn.taus).toEqual(expect.arrayContaining([...DEFAULT_TAUS]));
    // The three lines are drawn in the run colours.
    const canvas = page.getByTestId(`profile-chart-${measure}`).locator('canvas');
    const pixels = await canvasPixels(canvas, RUN_COLORS.slice(0, 3));
    for (const count of pixels.matches) expect(count).toBeGreaterThan(30);
  }
  // Steps: Momentum and Adam reach all six tasks, SGD four.
  await expect(
    page.getByTestId('profile-table-steps').locator('tr[data-optimizer=SGD] td').last(),
  ).toHaveText('4/6');
  await screenshot(page, 'profile-view');

  // A spec is not a result, and a task whose only run is LBFGS shares no optimizer: both named.
  await page
    .getByTestId('profile-files')
    .setInputFiles([
      join(FIXTURES, 'rosenbrock-near', 'spec.json'),
      join(FIXTURES, 'lbfgs-only', 'summary.json'),
    ]);
  const problems = page.getByTestId('profile-problems');
  await expect(problems).toContainText(
    'spec.json: this is an experiment spec, not its results: run it (optlab run) and open the summary.json it writes',
  );
  await expect(problems).toContainText(
    'summary.json: experiment "lbfgs-only" shares no optimizer with the other files (its runs: LBFGS); left out',
  );
  // The profile is still the six tasks'.
  await expect(tasks).toHaveCount(6);

  // The files stay loaded when another view is shown and back; Clear empties the view.
  await showView(page, 'compare');
  await showView(page, 'profile');
  await expect(tasks).toHaveCount(6);
  await page.getByTestId('profile-clear').click();
  await expect(page.getByTestId('profile-empty')).toBeVisible();
  expect(errors).toEqual([]);
});
