/**
 * The lab as a new user meets it, in the web build: open a preset, run it, read the charts and
 * the table (checked against the same spec run by the runner in Node, as the CLI does), rerun one
 * run on the GPU, look at Rosenbrock's paths, save, reload and reopen, export CSV.
 * Screenshots of each screen go to apps/lab/test-results/screens/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { assertSpec, defaultCatalog, runToSummary, type RunMetrics } from '@optlab/experiment';
import { linearData } from '@optlab/models';
import {
  canvasPixels,
  cell,
  CLASS_COLORS,
  deviceOf,
  numbersIn,
  RUN_COLORS,
  screenshot,
  waitForRuns,
  openPreset,
  selectPreset,
  toolbarClick,
  showView,
} from './helpers.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', '..', 'examples');
const linearSpec = JSON.parse(readFileSync(join(EXAMPLES, 'linear-regression.json'), 'utf8'));
const RUNS = ['SGD', 'Momentum', 'Adam'];

/** What the CLI computes for the same spec: the runner, in Node. */
async function cliMetrics(): Promise<Map<string, RunMetrics>> {
  const { summary } = await runToSummary(assertSpec(linearSpec, defaultCatalog()));
  return new Map(summary!.runs.map((m) => [m.run, m]));
}

/** Least squares of y = b + w·x on the example's data, by the closed form (independent of the runner). */
function closedFormLeastSquares(): [number, number] {
  const { n, noise, seed } = linearSpec.task.dataset;
  const { x, y } = linearData({ n, noise, seed });
  const mx = x.reduce((a, v) => a + v, 0) / n;
  const my = y.reduce((a, v) => a + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const w = sxy / sxx;
  return [my - w * mx, w];
}

const errors: string[] = [];

test.describe.configure({ mode: 'serial' });

test.describe('the lab in a browser', () => {
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto('/');
    await expect(page.getByTestId('run-all')).toBeVisible();
  });

  test.afterAll(async () => {
    expect(errors, 'uncaught errors in the page').toEqual([]);
    await page.close();
  });

  test('opens a preset and shows forms generated from the registry, with validation', async () => {
    await openPreset(page, 'linear-regression');
    await expect(page.getByTestId('run-0-name')).toHaveValue('SGD');
    await expect(page.getByTestId('run-1-opt-momentum')).toHaveValue('0.9');
    const lr = page.getByTestId('run-2-opt-lr');
    await lr.fill('-1');
    await expect(page.locator('#run-2-opt-lr-hint')).toContainText('lr must be');
    await expect(lr).toHaveAttribute('aria-invalid', 'true');
    await lr.fill('0.01');
    await expect(lr).toHaveAttribute('aria-invalid', 'false');
    // A schedule shows its learning rate over the run, computed by the schedule itself.
    await page.getByTestId('run-2-schedule').selectOption('StepLR');
    await page.getByTestId('run-2-sched-stepSize').fill('25');
    const preview = page.getByTestId('run-2-lr-preview').locator('canvas').first();
    await expect(preview).toBeVisible();
    await expect
      .poll(async () => (await canvasPixels(preview, ['#1f5fbf'])).matches[0])
      .toBeGreaterThan(100);
    await screenshot(page, '01-build');
    await page.getByTestId('run-2-schedule').selectOption('');
  });

  test('runs every run side by side; charts draw one curve per run; the table matches the CLI', async () => {
    const reference = await cliMetrics();
    await page.getByTestId('run-all').click();
    await expect(page.getByTestId('view-compare')).toHaveAttribute('aria-selected', 'true');
    await waitForRuns(page, RUNS);

    const loss = page.getByTestId('chart-loss').locator('canvas').first();
    const pixels = await canvasPixels(loss, RUN_COLORS.slice(0, 3));
    expect(pixels.drawn).toBeGreaterThan(2000);
    pixels.matches.forEach((count, i) =>
      expect(count, `pixels of ${RUNS[i]}'s curve`).toBeGreaterThan(50),
    );

    const leastSquares = closedFormLeastSquares();
    for (const run of RUNS) {
      const expected = reference.get(run)!;
      expect(Number(await cell(page, run, 'finalLoss'))).toBeCloseTo(expected.finalLoss, 4);
      expect(Number(await cell(page, run, 'epochsToConverge'))).toBe(expected.epochsToConverge);
      const weights = numbersIn(await cell(page, run, 'finalWeights'));
      expected.linearRegression!.weights.forEach((w, i) => expect(weights[i]).toBeCloseTo(w, 4));
      const ls = numbersIn(await cell(page, run, 'leastSquares'));
      ls.forEach((v, i) => expect(v).toBeCloseTo(leastSquares[i], 4));
      expect(await cell(page, run, 'device')).toBe('cpu64');
      expect(await deviceOf(page, run)).toContain('cpu float64');
    }
    // The tutorial's point, shown honestly: Momentum reaches least squares, Adam at lr 0.01 does not.
    const momentum = numbersIn(await cell(page, 'Momentum', 'finalWeights'));
    const adam = numbersIn(await cell(page, 'Adam', 'finalWeights'));
    expect(Math.abs(momentum[1] - leastSquares[1])).toBeLessThan(0.05);
    expect(Math.abs(adam[1] - leastSquares[1])).toBeGreaterThan(1);
    await screenshot(page, '02-compare');
  });

  test('switches one run to the GPU and reruns it; the table says which backend ran', async () => {
    await showView(page, 'build');
    await page.getByTestId('run-2-backend').selectOption('gpu');
    await page.getByTestId('run-2-gpu-mode').selectOption('webgl2');
    await page.getByTestId('run-2-run').click();
    await showView(page, 'compare');
    await waitForRuns(page, ['Adam']);
    expect(await cell(page, 'Adam', 'device')).toMatch(/^gpu webgl2/);
    const device = await deviceOf(page, 'Adam');
    expect(device.toLowerCase()).toContain('webgl2');
    // A software renderer (SwiftShader here, without a GPU) is called out: slower than the CPU.
    const warning = page.locator(
      '[data-testid=result-row][data-run="Adam"] [data-testid=software-gpu]',
    );
    await expect(warning).toHaveCount(/swiftshader/i.test(device) ? 1 : 0);
    // The others kept their CPU results.
    expect(await deviceOf(page, 'SGD')).toContain('cpu float64');
    const reference = (await cliMetrics()).get('Adam')!;
    const weights = numbersIn(await cell(page, 'Adam', 'finalWeights'));
    reference.linearRegression!.weights.forEach((w, i) =>
      expect(Math.abs(weights[i] - w)).toBeLessThan(1e-3),
    );
    await screenshot(page, '03-gpu-rerun');
  });

  test('shows trajectories on the contour plot of Rosenbrock with a step slider', async () => {
    await showView(page, 'build');
    await page.getByRole('button', { name: 'New' }).click();
    await expect(page.getByTestId('task-function')).toHaveValue('rosenbrock');
    await page.getByTestId('run-all').click();
    await waitForRuns(page, ['SGD', 'Momentum', 'Adam']);
    await showView(page, 'paths');
    const contour = page.getByTestId('contour');
    await expect(contour).toBeVisible();
    const full = await canvasPixels(contour, RUN_COLORS.slice(0, 3));
    expect(full.drawn).toBeGreaterThan(100_000);
    full.matches.forEach((count, i) =>
      expect(count, `pixels of run ${i}'s path`).toBeGreaterThan(20),
    );
    await screenshot(page, '04-paths');
    await page.getByTestId('paths-step').fill('10');
    await expect(page.getByText('step 10 /')).toBeVisible();
    const early = await canvasPixels(contour, RUN_COLORS.slice(0, 3));
    expect(early.matches[2]).toBeLessThan(full.matches[2]);
  });

  test('saves, reloads the page and reopens the experiment with its results, without rerunning', async () => {
    await page.getByTestId('save').click();
    await expect(page.getByTestId('notice')).toContainText('Saved experiments/new-experiment.json');
    await showView(page, 'compare');
    const before = await cell(page, 'Adam', 'finalLoss');
    await page.reload();
    await page.getByTestId('open').click();
    await page
      .getByTestId('workspace-file')
      .filter({ hasText: 'experiments/new-experiment.json' })
      .click();
    await expect(page.getByTestId('notice')).toContainText('with the results of 3 runs');
    await showView(page, 'compare');
    expect(await cell(page, 'Adam', 'finalLoss')).toBe(before);
    expect(await cell(page, 'SGD', 'status')).toBe('done');
    const loss = page.getByTestId('chart-loss').locator('canvas').first();
    const pixels = await canvasPixels(loss, RUN_COLORS.slice(0, 3));
    pixels.matches.forEach((count) => expect(count).toBeGreaterThan(50));
    await screenshot(page, '05-reopened');
  });

  test('exports the results as CSV', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      toolbarClick(page, 'export-csv'),
    ]);
    expect(download.suggestedFilename()).toBe('new-experiment.csv');
    const text = readFileSync((await download.path())!, 'utf8');
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe(
      'run,optimizer,backend,device,status,step,epoch,time,loss,lr,trainAccuracy,testAccuracy,testLoss',
    );
    // 2,000 steps plus the start point, per run.
    for (const run of ['SGD', 'Momentum', 'Adam']) {
      expect(lines.filter((l) => l.startsWith(`${run},`))).toHaveLength(2001);
    }
    const last = lines[lines.length - 1].split(',');
    expect(last[0]).toBe('Adam');
    expect(Number(last[5])).toBe(2000);
    expect(Number(last[8])).toBeCloseTo(Number(await cell(page, 'Adam', 'finalLoss')), 4);
  });
});

test.describe('benchmarks', () => {
  test('time each run alone, on the CPU and again on the GPU', async ({ page }) => {
    await page.goto('/');
    await selectPreset(page, 'linear-regression');
    await showView(page, 'benchmark');
    await page.getByTestId('bench-source').selectOption('current');
    await page.getByTestId('bench-gpu').selectOption('webgl2');
    await page.getByTestId('bench-run').click();
    const rows = page.getByTestId('bench-row');
    await expect(rows).toHaveCount(6);
    await expect(page.locator('[data-testid=bench-row][data-status=done]')).toHaveCount(6, {
      timeout: 110_000,
    });
    const reference = await cliMetrics();
    for (const [i, run] of RUNS.entries()) {
      const cpu = rows.nth(i).locator('td');
      await expect(cpu.nth(2)).toContainText('cpu64 — cpu float64');
      expect(Number(await cpu.nth(4).innerText())).toBeCloseTo(reference.get(run)!.finalLoss, 4);
      const gpu = rows.nth(i + 3).locator('td');
      await expect(gpu.nth(1)).toHaveText(`${run} (gpu webgl2)`);
      await expect(gpu.nth(2)).toContainText('gpu webgl2 — ');
      expect(Number(await gpu.nth(4).innerText())).toBeCloseTo(reference.get(run)!.finalLoss, 2);
    }
    await screenshot(page, '06-benchmark');
  });
});

test.describe('more of the lab', () => {
  test('classification: accuracy charts and the table’s accuracy columns (SimpleNN preset)', async ({
    page,
  }) => {
    await page.goto('/');
    await selectPreset(page, 'simple-nn');
    await expect(page.getByTestId('task-kind')).toHaveValue('classification');
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('view-compare')).toHaveAttribute('aria-selected', 'true');
    const rows = page.getByTestId('result-row');
    await expect(rows).toHaveCount(3);
    const names = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-run')!));
    await waitForRuns(page, names);
    const accuracy = page.getByTestId('chart-train-accuracy').locator('canvas').first();
    const pixels = await canvasPixels(accuracy, RUN_COLORS.slice(0, 3));
    pixels.matches.forEach((count, i) =>
      expect(count, `run ${i}'s accuracy curve`).toBeGreaterThan(20),
    );
    for (const name of names) {
      const value = Number(await cell(page, name, 'trainAccuracy'));
      expect(value).toBeGreaterThan(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    await screenshot(page, '08-classification');
  });

  test('a diverging run is marked at its step while the others finish', async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('run-0-name').fill('Too fast');
    await page.getByTestId('run-0-name').press('Tab');
    await page.getByTestId('run-0-opt-lr').fill('0.5');
    await page.getByTestId('run-all').click();
    await waitForRuns(page, ['Too fast'], /diverged/);
    await waitForRuns(page, ['Momentum', 'Adam'], /done/);
    const status = await cell(page, 'Too fast', 'status');
    expect(status).toMatch(/^diverged at step \d+$/);
    expect(Number(status.split(' ').pop())).toBeLessThan(2000);
    await page.keyboard.press('Control+1');
    await expect(page.getByTestId('run-0-status')).toContainText('diverged at step');
    // Save as, from the keyboard: the name is asked in the page (Electron has no prompt()).
    await page.keyboard.press('Control+Shift+S');
    await page.getByTestId('save-as-name').fill('Diverging run');
    await page.getByTestId('save-as-name').press('Enter');
    await expect(page.getByTestId('notice')).toContainText('Saved experiments/diverging-run.json');
  });

  test('2-D classification: each run’s decision boundary, drawn as it trains (moons preset)', async ({
    page,
  }) => {
    await page.goto('/');
    await selectPreset(page, 'moons-boundary');
    await page.getByTestId('run-all').click();
    await waitForRuns(page, ['SGD', 'Adam']);
    await page.keyboard.press('Control+4');
    const canvases = page.getByTestId('boundary-canvas');
    await expect(canvases).toHaveCount(2);
    for (let i = 0; i < 2; i++) {
      const pixels = await canvasPixels(canvases.nth(i), CLASS_COLORS);
      // Two class regions (the first pixel is one; a large part differs from it) and the
      // training points of both classes on top, in their class colours.
      expect(pixels.drawn, `run ${i}: the other class's region`).toBeGreaterThan(0.15 * 300 * 300);
      pixels.matches.forEach((count, k) =>
        expect(count, `run ${i}: points of class ${k}`).toBeGreaterThan(100),
      );
    }
    await expect(page.getByTestId('boundary-run').first()).toContainText('step 560'); // 40 epochs × 14 minibatches
    await screenshot(page, '09-boundary');
    // The slider goes back to the untrained model's boundary.
    await page.getByTestId('boundary-step').fill('0');
    await expect(page.getByTestId('boundary-run').first()).toContainText('step 0');
  });

  test('pauses every run (steps stop advancing), resumes from the keyboard, and they finish', async ({
    page,
  }) => {
    await page.goto('/');
    await selectPreset(page, 'moons-boundary');
    await page.getByTestId('training-count').fill('1500'); // 21,000 steps a run
    await page.getByTestId('training-count').press('Tab');
    const started = Date.now();
    await page.getByTestId('run-all').click();
    // Pause at once, while both runs start: waiting to see a step first raced the runs' end on a
    // loaded CI machine, where the page can show its first step late or only at the end.
    await page.getByTestId('pause-all').click();
    await expect(page.getByTestId('pause-all')).toHaveText('▶ Resume');
    const status = (run: string) =>
      page.locator(`[data-testid=result-row][data-run="${run}"] [data-col=status]`);
    // A run that has not shown a step yet has no step (or NaN): step 0.
    const stepOf = async (run: string) =>
      Number(
        await page
          .locator(`[data-testid=result-row][data-run="${run}"] [data-col=step]`)
          .getAttribute('data-step'),
      ) || 0;
    const steps = async () => [await stepOf('SGD'), await stepOf('Adam')];
    for (const run of ['SGD', 'Adam']) await expect(status(run)).toContainText('paused');
    // What the workers had flushed when the pause reached them may still be arriving (seconds
    // late on a loaded machine): wait until two reads 300 ms apart agree, then check that
    // nothing moves for 1.5 s.
    let before = await steps();
    for (let settled = false; !settled;) {
      await page.waitForTimeout(300);
      const now = await steps();
      settled = now.every((v, i) => v === before[i]);
      before = now;
    }
    await page.waitForTimeout(1500);
    expect(await steps()).toEqual(before);
    for (const run of ['SGD', 'Adam']) await expect(status(run)).toContainText('paused');
    for (const step of before) expect(step).toBeLessThan(1500 * 14);
    await page.keyboard.press('Control+p');
    await expect(page.getByTestId('pause-all')).toHaveText('❚❚ Pause');
    // Resumed from below their last step, both finish.
    await waitForRuns(page, ['SGD', 'Adam'], /done/);
    const wall = (Date.now() - started) / 1000;
    // The runner's time of each run leaves the pause out.
    for (const run of ['SGD', 'Adam']) {
      expect(Number(await cell(page, run, 'seconds'))).toBeLessThan(wall - 1.5);
    }
  });
});
