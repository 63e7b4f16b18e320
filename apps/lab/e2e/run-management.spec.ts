/**
 * Run management as in W&B (issue 15, improvement 2): each run can be hidden from the charts,
 * hovering a run (its chip or its table row) brings its curves forward on every chart, and a
 * "stale" badge marks a run whose settings changed after it ran.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  canvasPixels,
  openFromDisk,
  RUN_COLORS,
  screenshot,
  showView,
  waitForRuns,
} from './helpers.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', '..', 'examples');
const RUNS = ['SGD', 'Momentum', 'Adam'];

test.use({ viewport: { width: 1440, height: 900 } });

test('show/hide per run, highlight on hover, stale badge', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await openFromDisk(
    page,
    'linear-regression.json',
    readFileSync(join(EXAMPLES, 'linear-regression.json')),
  );
  await page.getByTestId('run-all').click();
  await waitForRuns(page, RUNS, /done/);
  const loss = page.getByTestId('chart-loss').locator('canvas').first();
  const momentumPixels = async () => (await canvasPixels(loss, [RUN_COLORS[1]])).matches[0];
  const shown = await momentumPixels();
  expect(shown).toBeGreaterThan(100);

  // Hidden: Momentum leaves every chart (curve and legend); shown again, it comes back.
  const chip = page.locator('[data-testid=run-chip][data-run="Momentum"]');
  await chip.getByRole('checkbox').uncheck();
  await expect.poll(momentumPixels).toBe(0);
  await expect(page.getByTestId('chart-lr').locator('.u-legend')).not.toContainText('Momentum');
  await chip.getByRole('checkbox').check();
  await expect.poll(momentumPixels).toBeGreaterThan(0.8 * shown);

  // Hovering Adam's row or chip fades the others on every chart.
  await page.locator('[data-testid=result-row][data-run="Adam"]').hover();
  for (const chart of ['chart-loss', 'chart-lr', 'chart-wall']) {
    await expect(page.getByTestId(chart)).toHaveAttribute('data-highlight', 'Adam');
  }
  await expect.poll(momentumPixels).toBeLessThan(0.2 * shown);
  await page.mouse.move(5, 890);
  await expect(page.getByTestId('chart-loss')).toHaveAttribute('data-highlight', '');
  await expect.poll(momentumPixels).toBeGreaterThan(0.8 * shown);
  await page.locator('[data-testid=run-chip][data-run="SGD"]').hover();
  await expect(page.getByTestId('chart-loss')).toHaveAttribute('data-highlight', 'SGD');
  await screenshot(page, 'improvement-2-highlight');

  // Stale: SGD's lr changes after it ran; rerunning it clears the badge.
  await expect(page.getByTestId('stale')).toHaveCount(0);
  await showView(page, 'build');
  await page.getByTestId('run-0-opt-lr').fill('0.02');
  await page.getByTestId('run-0-opt-lr').press('Tab');
  await showView(page, 'compare');
  const sgdStale = page.locator('[data-testid=result-row][data-run="SGD"] [data-testid=stale]');
  await expect(sgdStale).toHaveAttribute('title', /^The run’s settings changed after this run ran/);
  await expect(
    page.locator('[data-testid=run-chip][data-run="SGD"] [data-testid=stale]'),
  ).toBeVisible();
  await expect(
    page.locator('[data-testid=result-row][data-run="Adam"] [data-testid=stale]'),
  ).toHaveCount(0);
  // Renaming a run is not a change of its settings.
  await showView(page, 'build');
  await page.getByTestId('run-2-name').fill('Adam (0.01)');
  await page.getByTestId('run-2-name').press('Tab');
  await showView(page, 'compare');
  await expect(
    page.locator('[data-testid=result-row][data-run="Adam (0.01)"] [data-testid=stale]'),
  ).toHaveCount(0);
  await screenshot(page, 'improvement-2-stale');
  await showView(page, 'build');
  await page.getByTestId('run-0-run').click();
  await showView(page, 'compare');
  await waitForRuns(page, ['SGD'], /done/);
  await expect(sgdStale).toHaveCount(0);
  expect(errors).toEqual([]);
});
