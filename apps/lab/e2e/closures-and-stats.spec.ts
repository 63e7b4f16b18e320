/**
 * What the run workers report beyond the loss: the CPU path they computed on (WebAssembly SIMD
 * in float32, issue 12), the function evaluations of closure optimizers on the contour (LBFGS's
 * line-search trials and iterates, SAM's perturbed points; issues 11 and 14) and Prodigy's
 * estimated step size d over steps (issue 11).
 */
import { expect, test, type Page } from '@playwright/test';
import {
  canvasPixels,
  cell,
  deviceOf,
  RUN_COLORS,
  screenshot,
  waitForRuns,
  openPreset,
  showView,
} from './helpers.js';

const errors: string[] = [];

async function rename(page: Page, run: number, name: string): Promise<void> {
  const field = page.getByTestId(`run-${run}-name`);
  await field.fill(name);
  await field.press('Tab');
  await expect(field).toHaveValue(name);
}

async function contourCounts(page: Page): Promise<Record<string, number>> {
  const contour = page.getByTestId('contour');
  const counts: Record<string, number> = {};
  for (const key of ['trials', 'iterates', 'perturbed']) {
    counts[key] = Number(await contour.getAttribute(`data-${key}`));
  }
  return counts;
}

test.describe.configure({ mode: 'serial' });

test.describe('closure evaluations, optimizer estimates and the wasm path', () => {
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

  test('runs on CPU float32 compute on WebAssembly SIMD in the workers', async () => {
    await openPreset(page, 'linear-regression');
    const runs = ['SGD', 'Momentum', 'Adam'];
    for (let i = 0; i < runs.length; i++) {
      await page.getByTestId(`run-${i}-backend`).selectOption('cpu');
      await rename(page, i, runs[i]);
    }
    await page.getByTestId('run-all').click();
    await waitForRuns(page, runs, /done|diverged|error|stopped/);
    for (const run of runs) {
      expect(await cell(page, run, 'status'), run).toBe('done');
      expect(await cell(page, run, 'device'), run).toBe('cpu');
      expect(await deviceOf(page, run), run).toBe('cpu float32 (wasm simd)');
    }
    await screenshot(page, 'wiring-01-wasm');
  });

  test('Paths: LBFGS line-search trials and fixed-step iterates, SAM perturbed points', async () => {
    await openPreset(page, 'lbfgs-rosenbrock');
    // The preset's third run (Adam) becomes SAM around SGD, a small step so it stays on the plot.
    await page.getByTestId('run-2-optimizer').selectOption('SAM');
    await rename(page, 2, 'SAM');
    await page.getByTestId('run-2-opt-base').selectOption('SGD');
    await page.getByTestId('run-2-base-lr').fill('0.001');
    await page.getByTestId('run-2-base-lr').press('Tab');
    const runs = ['LBFGS strong_wolfe', 'LBFGS fixed steps', 'SAM'];
    await page.getByTestId('run-all').click();
    await waitForRuns(page, runs, /done|diverged|error|stopped/);
    for (const run of runs) expect(await cell(page, run, 'status'), run).toBe('done');

    await showView(page, 'paths');
    const contour = page.getByTestId('contour');
    await expect(contour).toBeVisible();
    const all = await contourCounts(page);
    expect(all.trials, 'line-search trials of LBFGS strong_wolfe').toBeGreaterThan(10);
    expect(all.iterates, 'fixed-step iterates of LBFGS').toBeGreaterThan(10);
    // SAM evaluates twice an update; the second, perturbed point is the one off the path.
    expect(all.perturbed).toBe(10);
    await expect(page.getByTestId('evaluation-legend')).toContainText('line-search trials');
    const pixels = await canvasPixels(contour, RUN_COLORS.slice(0, 3));
    pixels.matches.forEach((count, i) => expect(count, `pixels of run ${i}`).toBeGreaterThan(20));
    await screenshot(page, 'wiring-02-evaluations');

    // Back at step 1, only the first update's evaluations are drawn.
    await page.getByTestId('paths-step').fill('1');
    await expect(page.getByText('step 1 /')).toBeVisible();
    const first = await contourCounts(page);
    expect(first.perturbed).toBe(1);
    expect(first.trials).toBeGreaterThan(0);
    expect(first.trials).toBeLessThan(all.trials);
    expect(first.iterates).toBeLessThan(all.iterates);
    await page.getByTestId('paths-step').fill('0');
    expect(await contourCounts(page)).toEqual({ trials: 0, iterates: 0, perturbed: 0 });
    await expect(page.getByTestId('evaluation-legend')).toHaveCount(0);
  });

  test("Compare: Prodigy's estimated d over steps, only when a run reports it", async () => {
    await openPreset(page, 'linear-regression');
    await page.getByTestId('run-all').click();
    await waitForRuns(page, ['SGD', 'Momentum', 'Adam']);
    await expect(page.getByTestId('chart-loss')).toBeVisible();
    await expect(page.getByTestId('chart-stat-d')).toHaveCount(0);

    await showView(page, 'build');
    await page.getByTestId('run-1-optimizer').selectOption('Prodigy');
    await rename(page, 1, 'Prodigy');
    await page.getByTestId('run-all').click();
    await waitForRuns(page, ['SGD', 'Prodigy', 'Adam']);
    expect(await cell(page, 'Prodigy', 'status')).toBe('done');
    const chart = page.getByTestId('chart-stat-d');
    await expect(chart).toBeVisible();
    await expect(chart).toContainText("Optimizer's estimate: d");
    await expect(chart.locator('.u-legend')).toContainText('Prodigy');
    await expect(chart.locator('.u-legend')).not.toContainText('SGD');
    const pixels = await canvasPixels(chart.locator('canvas').first(), [RUN_COLORS[1]]);
    expect(pixels.matches[0], "pixels of Prodigy's d").toBeGreaterThan(30);
    await screenshot(page, 'wiring-03-prodigy-d');
  });
});
