/**
 * The results table as W&B and TensorBoard users expect it (issue 15, improvement 3): frozen
 * first columns, the backend as a short label with the device in its tooltip and a warning for a
 * software GPU, a definition on every metric's header, and a summary CSV (one row per run).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { parseCsvLine } from '@optlab/experiment';
import { cell, openFromDisk, screenshot, waitForRuns } from './helpers.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', '..', 'examples');

test.use({ viewport: { width: 1440, height: 900 } });

test('frozen columns, device tooltips and software-GPU warning, metric definitions, summary CSV', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const spec = JSON.parse(readFileSync(join(EXAMPLES, 'linear-regression.json'), 'utf8'));
  spec.runs.push({
    name: 'Adam GPU',
    optimizer: { type: 'Adam', lr: 0.01 },
    backend: 'gpu',
    gpuMode: 'webgl2',
    seed: 0,
  });
  await page.goto('/');
  await openFromDisk(page, 'linear-regression.json', spec);
  await page.getByTestId('run-all').click();
  const runs = ['SGD', 'Momentum', 'Adam', 'Adam GPU'];
  await waitForRuns(page, runs, /done/);

  // Every metric's header says what it means.
  const headers = page.locator('[data-testid=results-table] thead th');
  const titles = await headers.evaluateAll((ths) =>
    ths.map((th) => th.getAttribute('title') ?? ''),
  );
  expect(titles).toHaveLength(await headers.count());
  for (const title of titles) expect(title.length).toBeGreaterThan(20);
  await expect(page.locator('th[data-col=bestLoss]')).toHaveAttribute('title', /step 0/);
  await expect(page.locator('th[data-col=epochsToConverge]')).toHaveAttribute(
    'title',
    /within 10 % of the run’s best loss/,
  );

  // The backend is a short label; the device that ran is its tooltip.
  const label = (run: string) =>
    page.locator(`[data-testid=result-row][data-run="${run}"] [data-col=device] [data-device]`);
  await expect(label('SGD')).toHaveText('cpu64');
  await expect(label('SGD')).toHaveAttribute('title', 'cpu float64 (typed arrays)');
  await expect(label('Adam GPU')).toHaveText('gpu webgl2');
  const device = (await label('Adam GPU').getAttribute('title'))!;
  expect(device).toMatch(/^gpu\.js webgl2 \(/);
  const warning = page.locator(
    '[data-testid=result-row][data-run="Adam GPU"] [data-testid=software-gpu]',
  );
  // Headless Chromium without a GPU renders WebGL2 with SwiftShader: the warning shows.
  await expect(warning).toHaveCount(/swiftshader/i.test(device) ? 1 : 0);
  if (/swiftshader/i.test(device))
    await expect(warning).toHaveText('⚠ software GPU — slower than CPU');
  await expect(
    page.locator('[data-testid=result-row][data-run="SGD"] [data-testid=software-gpu]'),
  ).toHaveCount(0);

  // Scrolled sideways, the run and optimizer columns stay where they were; the others move.
  const scroller = page.getByTestId('results-scroll');
  const row = page.locator('[data-testid=result-row][data-run="Momentum"]');
  const x = async (col: string) => (await row.locator(`[data-col=${col}]`).boundingBox())!.x;
  const before = [await x('name'), await x('optimizer'), await x('status')];
  await page.setViewportSize({ width: 1024, height: 900 });
  const narrow = [await x('name'), await x('optimizer'), await x('status')];
  const scrolled = await scroller.evaluate((el) => {
    el.scrollLeft = 300;
    return el.scrollLeft;
  });
  expect(scrolled).toBeGreaterThan(100);
  expect(await x('name')).toBeCloseTo(narrow[0], 0);
  expect(await x('optimizer')).toBeCloseTo(narrow[1], 0);
  expect(await x('status')).toBeLessThan(narrow[2] - 100);
  expect(before[0]).toBeCloseTo(narrow[0], 0);
  await page.setViewportSize({ width: 1440, height: 900 });
  await screenshot(page, 'improvement-3-results-table');

  // The summary CSV: one row per run, the table's numbers at full precision.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-summary-csv').click(),
  ]);
  expect(download.suggestedFilename()).toBe('linear-regression-summary.csv');
  const lines = readFileSync((await download.path())!, 'utf8')
    .trim()
    .split('\n');
  const header = lines[0].split(',');
  expect(header).toEqual([
    'run',
    'optimizer',
    'backend',
    'device',
    'status',
    'divergedAt',
    'steps',
    'finalLoss',
    'bestLoss',
    'seconds',
    'stepsPerSecond',
    'epochsToConverge',
    'stepToTarget',
    'secondsToTarget',
    'trainAccuracy',
    'testAccuracy',
    'finalWeights',
    'leastSquares',
  ]);
  expect(lines).toHaveLength(1 + runs.length);
  for (const [i, run] of runs.entries()) {
    const values = parseCsvLine(lines[1 + i]);
    const at = (name: string) => values[header.indexOf(name)];
    expect(at('run')).toBe(run);
    expect(at('status')).toBe('done');
    expect(Number(at('steps'))).toBe(100);
    expect(Number(at('finalLoss'))).toBeCloseTo(Number(await cell(page, run, 'finalLoss')), 4);
    expect(Number(at('epochsToConverge'))).toBe(Number(await cell(page, run, 'epochsToConverge')));
    expect(at('finalWeights').split(' ').map(Number)).toHaveLength(2);
    expect(at('divergedAt')).toBe('');
    expect(at('trainAccuracy')).toBe('');
  }
  expect(errors).toEqual([]);
});
