/**
 * A newcomer's first visit, end to end (issue 15): the guided start's cards, one click that runs
 * an example with its charts beside the form, then Compare (runs, settings side by side, a wide
 * chart), the results table, and the CSV export, whose file is read back and checked against the
 * table. What the page remembers (start seen, wide charts) survives a reload.
 *
 * Screenshots: apps/lab/test-results/screens/first-visit/*.png (CI keeps apps/lab/test-results:
 * .ci/run).
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { cell, screenshot, showView, toolbarClick, waitForCards, waitForRuns } from './helpers.js';

const RUNS = ['SGD', 'Momentum', 'Adam'];

test('start card → run beside the form → compare → table → export, remembered on reload', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');

  // The first screen: three start cards with human titles; presets by title, not file name.
  const cards = page.getByTestId('start-card');
  await expect(cards).toHaveCount(3);
  await expect(cards.locator('strong')).toHaveText([
    'Paths on the Rosenbrock valley',
    'Linear regression: SGD, Momentum, Adam',
    'Decision boundary on the moons',
  ]);
  const option = page.locator('[data-testid=preset-select] option[data-name=linear-regression]');
  await expect(option).toHaveText('Linear regression: SGD, Momentum, Adam');
  await expect(option).toHaveAttribute('title', /^Fit y = 4 \+ 3x to 100 noisy points/);
  const labels = await page
    .locator('[data-testid=preset-select] option[data-name]')
    .allInnerTexts();
  expect(labels.length).toBeGreaterThanOrEqual(14);
  for (const label of labels) expect(label).not.toMatch(/\.json$|^[a-z0-9-]+$/);
  await screenshot(page, 'first-visit/01-start-cards');

  // One click: the preset loads and runs, its loss chart beside the form.
  await cards.filter({ hasText: 'Linear regression' }).click();
  await expect(page.getByTestId('start')).toHaveCount(0);
  await expect(page.getByTestId('experiment-name')).toHaveValue('linear-regression');
  await expect(page.getByTestId('beside')).toBeVisible();
  await expect(page.locator('[data-testid=view-compare][aria-selected=true]')).toHaveCount(1);
  const form = (await page.getByTestId('experiment-name').boundingBox())!;
  const chart = (await page.getByTestId('chart-loss').boundingBox())!;
  expect(form.x + form.width, 'the form ends left of the chart').toBeLessThanOrEqual(chart.x);
  expect(chart.y, 'side by side, not below').toBeLessThan(form.y + 300);
  await waitForRuns(page, RUNS, /done/);
  await screenshot(page, 'first-visit/02-ran-beside-the-form');

  // Compare on its own: the runs, their settings side by side, a chart across the whole width.
  await toolbarClick(page, 'form-beside');
  await expect(page.getByTestId('beside')).toHaveCount(0);
  await expect(page.getByTestId('run-chip')).toHaveCount(3);
  await page.getByTestId('settings-diff').locator('summary').click();
  const row = (key: string) => page.locator(`[data-testid=diff-row][data-key="${key}"]`);
  await expect(row('optimizer.type').locator('td')).toHaveText(['SGD', 'SGD', 'Adam']);
  await expect(row('optimizer.type')).toHaveAttribute('data-differs', 'true');
  await expect(row('optimizer.momentum')).toHaveAttribute('data-differs', 'true');
  await expect(row('optimizer.lr')).toHaveAttribute('data-differs', 'false');
  await expect(row('backend')).toHaveAttribute('data-differs', 'false');
  await page.getByTestId('diff-only').check();
  await expect(row('optimizer.lr')).toHaveCount(0);
  await expect(row('optimizer.type')).toHaveCount(1);
  await page.locator('[data-testid=diff-pick][data-run=Adam]').uncheck();
  // SGD and Momentum: both SGD, so only the momentum is left among the differences.
  await expect(row('optimizer.type')).toHaveCount(0);
  await expect(row('optimizer.momentum').locator('td')).toHaveText(['none', '0.9']);
  await page.locator('[data-testid=diff-pick][data-run=Momentum]').uncheck();
  await expect(page.getByTestId('diff-hint')).toBeVisible();
  await page.locator('[data-testid=diff-pick][data-run=Momentum]').check();
  await page.locator('[data-testid=diff-pick][data-run=Adam]').check();

  // Two charts per row; the loss chart across the whole row once asked.
  const figures = page.getByTestId('chart-figure');
  const [lossBox, lrBox] = [
    (await figures.nth(0).boundingBox())!,
    (await figures.nth(1).boundingBox())!,
  ];
  expect(Math.abs(lossBox.y - lrBox.y), 'loss and lr on one row').toBeLessThan(2);
  await figures.nth(0).getByTestId('chart-wide').click();
  const wideBox = (await figures.nth(0).boundingBox())!;
  expect(wideBox.width).toBeGreaterThan(lossBox.width + lrBox.width);
  expect((await figures.nth(1).boundingBox())!.y, 'the lr chart moved below').toBeGreaterThan(
    wideBox.y + wideBox.height - 1,
  );
  await screenshot(page, 'first-visit/03-compare');

  // The table: Momentum reaches the least-squares fit, Adam at lr 0.01 does not (the preset's note).
  await page.getByTestId('results-table').scrollIntoViewIfNeeded();
  for (const run of RUNS) expect(await cell(page, run, 'status')).toBe('done');
  const finalLoss = Object.fromEntries(
    await Promise.all(
      RUNS.map(async (run) => [run, Number(await cell(page, run, 'finalLoss'))] as const),
    ),
  );
  expect(finalLoss['Momentum']).toBeLessThan(finalLoss['Adam']);
  await screenshot(page, 'first-visit/04-table');

  // Export: every evaluation of every run, the last of each matching the table's final loss.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    toolbarClick(page, 'export-csv'),
  ]);
  expect(download.suggestedFilename()).toBe('linear-regression.csv');
  const lines = readFileSync((await download.path())!, 'utf8')
    .trim()
    .split('\n');
  expect(lines[0]).toBe(
    'run,optimizer,backend,device,status,step,epoch,time,loss,lr,trainAccuracy,testAccuracy,testLoss',
  );
  for (const run of RUNS) {
    const rows = lines.filter((l) => l.startsWith(`${run},`)).map((l) => l.split(','));
    expect(rows, run).toHaveLength(101); // the start and 100 epochs
    expect(rows.map((r) => Number(r[6]))).toEqual(Array.from({ length: 101 }, (_, i) => i));
    const last = rows[rows.length - 1];
    expect(last[4]).toBe('done');
    expect(Number(last[8])).toBeCloseTo(finalLoss[run], 4);
    expect(Number(last[9])).toBe(0.01);
  }

  // A reload: the start cards stay away, the loss chart stays wide.
  await page.reload();
  await expect(page.getByTestId('experiment-name')).toBeVisible();
  await expect(page.getByTestId('start')).toHaveCount(0);
  await showView(page, 'compare');
  await expect(page.getByTestId('chart-figure').nth(0)).toHaveClass(/wide/);
  await expect(page.getByTestId('chart-figure').nth(1)).not.toHaveClass(/wide/);
  // The toolbar's "Guided start" brings the cards back.
  await toolbarClick(page, 'guided-start');
  await expect(page.getByTestId('start-card')).toHaveCount(3);
  expect(errors).toEqual([]);
});

test('the moons card opens the Boundary view beside the form; Paths points a dataset task there', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await page.locator('[data-testid=start-card][data-preset=moons-boundary]').click();
  await expect(page.locator('[data-testid=view-boundary][aria-selected=true]')).toHaveCount(1);
  await expect(page.getByTestId('beside')).toBeVisible();
  await waitForCards(page, 2, /done/);
  await expect(page.getByTestId('boundary-canvas')).toHaveCount(2);
  await expect(page.getByTestId('boundary-run').first()).toContainText('step 560');
  await screenshot(page, 'first-visit/05-moons-boundary');
  await showView(page, 'paths');
  await expect(page.getByTestId('paths-message')).toContainText(
    'its decision boundary is in the Boundary view',
  );
  await expect(page.getByTestId('boundary-canvas')).toHaveCount(0);
  await page.getByTestId('open-boundary').click();
  await expect(page.getByTestId('boundary-canvas')).toHaveCount(2);
});
