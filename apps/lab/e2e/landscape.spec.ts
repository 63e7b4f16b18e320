/**
 * The Landscape view (issue 14, part 5): a run's 2-D loss landscape is computed in a worker with a
 * progress bar and drawn as a contour with the projected trajectory; a computation can be
 * cancelled; a grid over the limit is refused with the library's message while the experiment's
 * runs train on; the 1-D line from the initial to the final weights is charted.
 */
import { expect, test } from '@playwright/test';
import {
  canvasPixels,
  openPreset,
  RUN_COLORS,
  screenshot,
  waitForRuns,
  showView,
} from './helpers.js';

test('a landscape renders with progress, can be cancelled, and a too-large grid is refused while runs go on', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await openPreset(page, 'moons-boundary');

  // Start the experiment's runs, then ask for a grid over the limit: refused, runs unaffected.
  await page.getByTestId('run-all').click();
  await showView(page, 'landscape');
  await page.getByTestId('landscape-steps').fill('500');
  await page.getByTestId('landscape-compute').click();
  await expect(page.getByTestId('landscape-error')).toHaveText(
    'steps: a 2-D landscape has 3 to 101 points per side (at most 10201 loss evaluations), got 500',
  );
  await screenshot(page, 'landscape-01-limit');
  await showView(page, 'compare');
  await waitForRuns(page, ['SGD', 'Adam'], /done|diverged|error|stopped/);
  for (const run of ['SGD', 'Adam']) {
    await expect(
      page.locator(`[data-testid=result-row][data-run="${run}"] [data-col=status]`),
    ).toContainText('done');
  }

  // A big grid shows progress and is cancelled.
  await showView(page, 'landscape');
  await page.getByTestId('landscape-steps').fill('101');
  await page.getByTestId('landscape-compute').click();
  await expect(page.getByTestId('landscape-progress')).toBeVisible();
  await expect(page.getByTestId('landscape-error')).toHaveCount(0);
  await page.getByTestId('landscape-status').filter({ hasText: 'Evaluating the grid' }).waitFor();
  await screenshot(page, 'landscape-02-progress');
  await page.getByTestId('landscape-cancel').click();
  await expect(page.getByTestId('landscape-status')).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByTestId('landscape-result')).toHaveCount(0);

  // A small one renders: the contour with the trajectory in the run's colour.
  await page.getByTestId('landscape-steps').fill('15');
  await page.getByTestId('landscape-run').selectOption('Adam');
  await page.getByTestId('landscape-compute').click();
  const result = page.getByTestId('landscape-result');
  await expect(result).toBeVisible({ timeout: 90_000 });
  const summary = JSON.parse((await result.getAttribute('data-landscape'))!);
  expect(summary).toMatchObject({ dim: 2, points: 225 });
  // The weights before training, every ⌈T/50⌉ updates, and after the last.
  const every = Math.ceil(summary.trainedSteps / 50);
  expect(summary.trainedSteps).toBeGreaterThan(500);
  expect(summary.trajectory).toBe(
    1 + Math.floor(summary.trainedSteps / every) + (summary.trainedSteps % every === 0 ? 0 : 1),
  );
  const contour = page.getByTestId('landscape-contour');
  const pixels = await canvasPixels(contour, [RUN_COLORS[1]]);
  expect(pixels.drawn).toBeGreaterThan(100_000);
  expect(pixels.matches[0]).toBeGreaterThan(50);
  await screenshot(page, 'landscape-03-contour');

  // The 1-D line: from the initial to the final loss.
  await page.getByTestId('landscape-dim').selectOption('1');
  await page.getByTestId('landscape-compute').click();
  await expect(page.getByTestId('landscape-line')).toBeVisible({ timeout: 90_000 });
  const line = JSON.parse((await result.getAttribute('data-landscape'))!);
  expect(line).toMatchObject({ dim: 1, points: 51 });
  await screenshot(page, 'landscape-04-line');
  expect(errors, 'uncaught errors in the page').toEqual([]);
});
