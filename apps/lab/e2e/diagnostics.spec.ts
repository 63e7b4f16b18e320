/**
 * Training diagnostics in Compare (issue 14, part 4): the edge-of-stability preset runs full-batch
 * GD on the moons MLP with the sharpness measured every 10 steps; the sharpness chart draws each
 * run's sharpness beside its dashed 2/η line, and the numbers behind it (the figure's
 * data-sharpness) show GD at lr 2 reaching 2/η = 1 and staying within 20 % of it.
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

interface SharpnessData {
  run: string;
  steps: number[];
  sharpness: number[];
  threshold: number[];
  rule: string | null;
}

test('the sharpness chart shows full-batch GD reaching 2/η on the MLP preset', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await openPreset(page, 'edge-of-stability');
  await page.getByTestId('run-all').click();
  await showView(page, 'compare');
  await waitForRuns(page, ['GD lr 2', 'GD lr 4'], /done|diverged|error|stopped/);

  const figure = page.getByTestId('diagnostics-sharpness');
  await expect(figure).toBeVisible();
  const data = JSON.parse((await figure.getAttribute('data-sharpness'))!) as SharpnessData[];
  expect(data.map((d) => d.run)).toEqual(['GD lr 2', 'GD lr 4']);
  const lr2 = data[0];
  expect(lr2.steps).toEqual(Array.from({ length: 30 }, (_, i) => 10 * (i + 1)));
  expect(lr2.rule).toBe('2/η');
  expect(new Set(lr2.threshold)).toEqual(new Set([1]));
  // Late in training (the last third) the sharpness is within 20 % of 2/η.
  const late = lr2.sharpness.filter((_, i) => lr2.steps[i] > 200);
  expect(late.length).toBe(10);
  for (const s of late) expect(Math.abs(s - 1)).toBeLessThan(0.2);
  // The run at lr 4 has its own threshold, 0.5, and stays below it.
  expect(new Set(data[1].threshold)).toEqual(new Set([0.5]));
  for (const s of data[1].sharpness.filter((_, i) => data[1].steps[i] > 200)) {
    expect(s).toBeLessThan(0.5);
  }

  // Drawn: both runs' colours on the chart, and the 2/η lines are in its legend.
  const chart = page.getByTestId('chart-sharpness');
  await expect(chart).toContainText('GD lr 2 2/η');
  await expect(chart).toContainText('GD lr 4 2/η');
  const pixels = await canvasPixels(chart.locator('canvas').first(), RUN_COLORS.slice(0, 2));
  expect(pixels.matches[0]).toBeGreaterThan(100);
  expect(pixels.matches[1]).toBeGreaterThan(100);
  // The per-parameter charts are there too.
  for (const id of ['chart-grad-norm', 'chart-update-norm', 'chart-update-ratio']) {
    await expect(page.getByTestId(id)).toContainText('GD lr 2 · layer1.W');
  }
  await figure.scrollIntoViewIfNeeded();
  await screenshot(page, 'diagnostics-01-sharpness');
  expect(errors, 'uncaught errors in the page').toEqual([]);
});
