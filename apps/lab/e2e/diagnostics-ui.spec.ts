/**
 * Training diagnostics turned on from a run card (issue 14, part 4): in the moons-boundary preset
 * (an MLP classifier, 40 epochs of 14 minibatches), the Adam run's Training extras get
 * "Diagnostics every K updates" (K defaults to about 50 points over the run) with the sharpness.
 * A bad K is the validator's message naming runs[1].diagnostics.every, and nothing starts; with K
 * fixed, Compare charts Adam's gradient norms and sharpness (the numbers behind the charts read
 * from the figure and the page's results) and nothing for SGD, which has no diagnostics. The badge
 * of unfair differences stays away: diagnostics only watch training. Save as, reload and reopen
 * restore the controls.
 */
import { expect, test, type Page } from '@playwright/test';
import type { DiagnosticsRecord } from '../src/renderer/src/lib/diagnostics.js';
import {
  canvasPixels,
  openPreset,
  RUN_COLORS,
  screenshot,
  showView,
  waitForRuns,
} from './helpers.js';

interface SharpnessData {
  run: string;
  steps: number[];
  sharpness: number[];
  threshold: (number | null)[];
  rule: string | null;
}

/** Each run's diagnostics records and status, by run name, as the page holds them. */
async function resultsByRun(
  page: Page,
): Promise<Record<string, { status: string; diagnostics: DiagnosticsRecord[] | null }>> {
  return page.evaluate(() => {
    const { lab } = (
      window as unknown as {
        optlabDebug: {
          lab: {
            draft: { runs: { id: string; name: string }[] };
            results: Record<string, { status: string; diagnostics?: unknown[] } | undefined>;
          };
        };
      }
    ).optlabDebug;
    return Object.fromEntries(
      lab.draft.runs.map((run) => {
        const result = lab.results[run.id];
        return [
          run.name,
          {
            status: result?.status ?? 'none',
            diagnostics: result?.diagnostics
              ? (JSON.parse(JSON.stringify(result.diagnostics)) as DiagnosticsRecord[])
              : null,
          },
        ];
      }),
    );
  });
}

// 560 updates (40 epochs × 14 minibatches of the 224 training rows); the card's estimate, 600
// (225 rows), gives K = 12: a point after every 12th update and after the last.
const K = 12;
const STEPS = [...Array.from({ length: 46 }, (_, i) => K * (i + 1)), 560];

test('diagnostics and sharpness ticked on one run are charted for it alone, and survive Save as', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await openPreset(page, 'moons-boundary');

  const extras = page.getByTestId('run-1-extras');
  await extras.locator('summary').click();
  const every = page.getByTestId('run-1-diagnostics-every');
  await expect(every).toBeDisabled();
  await expect(every).toHaveValue(String(K));
  await page.getByTestId('run-1-diagnostics-on').check();
  await expect(every).toBeEnabled();
  await page.getByTestId('run-1-sharpness').check();
  await expect(page.getByTestId('run-1-sharpness-iterations')).toHaveAttribute('placeholder', '20');
  await expect(page.getByTestId('run-1-sharpness-tolerance')).toHaveAttribute(
    'placeholder',
    '0.001',
  );
  await expect(extras.locator('summary')).toHaveText(
    'Training extras (diagnostics with sharpness)',
  );
  await expect(page.getByTestId('run-1-diagnostics')).toContainText(
    'Costs 2 gradients per power-iteration step over the full training set, every K updates',
  );
  // Diagnostics on one run alone: still a like-for-like comparison.
  await expect(page.getByTestId('run-differences')).toHaveCount(0);

  // K = 0: the validator's message names the field on the card; Run all starts nothing.
  await every.fill('0');
  await expect(page.getByTestId('run-1-issues')).toHaveText(
    'runs[1].diagnostics.every: must be ≥ 1, got 0',
  );
  await expect(page.getByTestId('run-0-issues')).toHaveCount(0);
  await page.getByTestId('run-all').click();
  await expect(page.getByTestId('problems')).toContainText('runs[1].diagnostics.every');
  const blocked = await resultsByRun(page);
  expect(Object.values(blocked).map((r) => r.status)).toEqual(['none', 'none']);
  // Text that is no integer stays in the box with the form's message; the draft keeps 0.
  await every.fill('ten');
  await expect(page.getByTestId('run-1-diagnostics')).toContainText(
    'every must be a finite number, got "ten"',
  );
  await every.fill(String(K));
  await expect(page.getByTestId('run-1-issues')).toHaveCount(0);
  await screenshot(page, 'diagnostics-ui-01-card');

  await page.getByTestId('run-all').click();
  await showView(page, 'compare');
  await waitForRuns(page, ['SGD', 'Adam']);

  // The sharpness chart: Adam's estimates, SGD not there, and no threshold line for Adam (2/η of
  // the raw Hessian is not an adaptive method's edge of stability): the caption says why.
  const figure = page.getByTestId('diagnostics-sharpness');
  await expect(figure).toBeVisible();
  const data = JSON.parse((await figure.getAttribute('data-sharpness'))!) as SharpnessData[];
  expect(data.map((d) => d.run)).toEqual(['Adam']);
  expect(data[0].steps).toEqual(STEPS);
  expect(data[0].rule).toBeNull();
  expect(new Set(data[0].threshold)).toEqual(new Set([null]));
  await expect(page.getByTestId('no-threshold')).toContainText('No threshold line for Adam');
  for (const s of data[0].sharpness) {
    expect(Number.isFinite(s)).toBe(true);
    expect(s).toBeGreaterThan(0);
  }
  // The gradient-norm chart draws what the page holds: Adam's records, per parameter.
  const results = await resultsByRun(page);
  expect(results['SGD']).toEqual({ status: 'done', diagnostics: null });
  const adam = results['Adam'].diagnostics!;
  expect(adam.map((r) => r.step)).toEqual(STEPS);
  for (const record of adam) {
    expect(record.layers.map((l) => l.name)).toEqual([
      'layer1.W',
      'layer1.b',
      'layer2.W',
      'layer2.b',
    ]);
    for (const layer of record.layers) expect(layer.gradNorm).toBeGreaterThan(0);
  }
  const grad = page.getByTestId('chart-grad-norm');
  await expect(grad).toContainText('Adam · layer1.W');
  await expect(grad).not.toContainText('SGD');
  const pixels = await canvasPixels(grad.locator('canvas').first(), RUN_COLORS.slice(0, 2));
  expect(pixels.matches[1], 'Adam’s gradient-norm lines').toBeGreaterThan(100);
  await expect(page.getByTestId('chart-sharpness')).toContainText('Adam sharpness');
  await expect(page.getByTestId('chart-sharpness')).not.toContainText('2/η');
  await expect(page.getByTestId('chart-sharpness')).not.toContainText('SGD');

  // The side-by-side settings show the difference without calling it unfair.
  await page.getByTestId('settings-diff').locator('summary').click();
  const row = page.locator('[data-testid=diff-row][data-key="diagnostics.every"]');
  await expect(row).toHaveAttribute('data-differs', 'true');
  await expect(row).not.toHaveClass(/unfair/);
  await figure.scrollIntoViewIfNeeded();
  await screenshot(page, 'diagnostics-ui-02-compare');

  // Save as, reload, reopen: the controls come back as they were, the charts with the results.
  await page.keyboard.press('Control+Shift+S');
  await page.getByTestId('save-as-name').fill('Diagnostics UI');
  await page.getByTestId('save-as-name').press('Enter');
  await expect(page.getByTestId('notice')).toContainText('Saved experiments/diagnostics-ui.json');
  await page.reload();
  await page.getByTestId('open').click();
  await page
    .getByTestId('workspace-file')
    .filter({ hasText: 'experiments/diagnostics-ui.json' })
    .click();
  await expect(page.getByTestId('notice')).toContainText('with the results of 2 runs');
  await showView(page, 'build');
  await page.getByTestId('run-1-extras').locator('summary').click();
  await expect(page.getByTestId('run-1-diagnostics-on')).toBeChecked();
  await expect(page.getByTestId('run-1-diagnostics-every')).toHaveValue(String(K));
  await expect(page.getByTestId('run-1-sharpness')).toBeChecked();
  await page.getByTestId('run-0-extras').locator('summary').click();
  await expect(page.getByTestId('run-0-diagnostics-on')).not.toBeChecked();
  await showView(page, 'compare');
  const reopened = JSON.parse(
    (await page.getByTestId('diagnostics-sharpness').getAttribute('data-sharpness'))!,
  ) as SharpnessData[];
  expect(reopened).toEqual(data);
  expect(errors, 'uncaught errors in the page').toEqual([]);
});
