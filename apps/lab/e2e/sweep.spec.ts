/**
 * Sweeps in the lab (issue 10, item 5): a spec whose runs sweep the learning rate runs as the
 * CLI runs it (`runComparison`: every configuration on the tune seed, the best rerun on 3
 * seeds), and the Sweep view shows the leaderboard and the sensitivity chart.
 *
 * ½·(x² + 4y²) from (1, 1), 50 steps. SGD at lr 0.01, 0.0464, 0.215, 1: the contraction
 * max|1 − lr·c| over c ∈ {1, 4} is 0.99, 0.954, 0.785 and 3, so lr 0.215 converges fastest and
 * lr 1 diverges (|1 − 4| = 3 per step).
 */
import { expect, test } from '@playwright/test';
import { canvasPixels, openFromDisk, RUN_COLORS, screenshot, showView } from './helpers.js';

const SPEC = {
  version: 1,
  name: 'sweep-e2e',
  task: { kind: 'function', function: { type: 'quadratic', coefficients: [1, 4] }, start: [1, 1] },
  training: { steps: 50 },
  runs: [
    {
      name: 'SGD',
      optimizer: { type: 'SGD' },
      backend: 'cpu64',
      sweep: { 'optimizer.lr': { logspace: [0.01, 1, 4] } },
    },
    {
      name: 'Adam',
      optimizer: { type: 'Adam' },
      backend: 'cpu64',
      sweep: { 'optimizer.lr': { logspace: [0.001, 1, 4] } },
    },
  ],
  protocol: { tuneSeeds: [0], rerunSeeds: 3 },
};

test.use({ viewport: { width: 1440, height: 900 } });

test('a learning-rate sweep runs and shows its leaderboard and sensitivity', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await openFromDisk(page, 'sweep-e2e.json', SPEC);
  await page.getByTestId('run-all').click();
  await expect(page.getByTestId('sweep-view')).toBeVisible();
  // 8 configurations on seed 0, then each run's best on seeds 0, 1, 2.
  await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-status', 'done', {
    timeout: 90_000,
  });
  await expect(page.getByTestId('sweep-status')).toContainText('14 / 14 trainings');

  const rows = page.getByTestId('leaderboard-row');
  await expect(rows).toHaveCount(2);
  const sgd = page.locator('[data-testid=leaderboard-row][data-run=SGD]');
  await expect(sgd.locator('[data-col=best]')).toHaveText('SGD[lr=0.215]');
  // 0.215 lies inside SGD's grid: no search-space warning for it.
  await expect(sgd.getByTestId('grid-edge-mark')).toHaveCount(0);
  await expect(sgd.locator('[data-col=budget]')).toHaveText('4');
  await expect(sgd.locator('[data-col=seeds]')).toHaveText('3');
  const adam = page.locator('[data-testid=leaderboard-row][data-run=Adam]');
  await expect(adam.locator('[data-col=budget]')).toHaveText('4');
  await expect(adam.locator('[data-col=optimizer]')).toHaveText('Adam');
  await expect(adam.locator('[data-col=best]')).toHaveText(/^Adam\[lr=/);
  // A function's start does not depend on the seed: three equal values, a CI of one point.
  await expect(sgd.locator('[data-col=metric]')).toHaveText(/^(\S+) \[\1–\1\]$/);
  // One pair, 3 seeds each: the rank test cannot decide, and the page says the order is no verdict.
  await expect(page.getByTestId('verdict')).toHaveCount(1);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-outcome', 'undecidable');
  await expect(page.getByTestId('verdict')).toContainText(
    'cannot decide on final loss at 3 seeds each',
  );
  await expect(page.getByTestId('verdict-summary')).toHaveText(
    'No pair differs significantly at α = 0.05 (1 compared): the order of the leaderboard is not a verdict on these seeds.',
  );

  const chart = page.getByTestId('sensitivity-chart');
  await expect(chart).toHaveCount(1);
  await expect(chart).toHaveAttribute('data-path', 'optimizer.lr');
  await expect(chart).toContainText('final loss against optimizer.lr');
  const markers = JSON.parse((await chart.getAttribute('data-markers')) ?? '[]') as {
    kind: string;
    run: string;
    x: number;
    top: number;
  }[];
  const best = markers.filter((m) => m.kind === 'best');
  expect(best.map((m) => m.run)).toEqual(['SGD', 'Adam']);
  expect(best[0].x).toBeCloseTo(10 ** (-2 / 3), 12);
  // SGD at lr 1 diverged: marked at the top edge, above every best marker.
  const diverged = markers.filter((m) => m.kind === 'diverged');
  expect(diverged.map((m) => [m.run, m.x])).toContainEqual(['SGD', 1]);
  for (const d of diverged) for (const b of best) expect(d.top).toBeLessThan(b.top);
  const canvas = chart.locator('canvas').first();
  const pixels = await canvasPixels(canvas, [RUN_COLORS[0], RUN_COLORS[1]]);
  expect(pixels.matches[0]).toBeGreaterThan(50);
  expect(pixels.matches[1]).toBeGreaterThan(50);
  await screenshot(page, 'sweep-view');
  expect(errors).toEqual([]);
});

test('a choice at the end of its grid is marked in the leaderboard and explained under it', async ({
  page,
}) => {
  // SGD on ½·(x² + 4y²) at lr 1e-3, 3.16e-3, 1e-2: the largest converges fastest (contraction
  // 0.99 against 0.999 and 0.997), so the choice is the grid's top and the optimum (0.4) lies above.
  const spec = {
    ...SPEC,
    name: 'grid-edge-e2e',
    runs: [{ ...SPEC.runs[0], sweep: { 'optimizer.lr': { logspace: [0.001, 0.01, 3] } } }],
    protocol: { tuneSeeds: [0], rerunSeeds: 0 },
  };
  await page.goto('/');
  await openFromDisk(page, 'grid-edge-e2e.json', spec);
  await page.getByTestId('run-all').click();
  await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-status', 'done', {
    timeout: 60_000,
  });
  const sgd = page.locator('[data-testid=leaderboard-row][data-run=SGD]');
  await expect(sgd.locator('[data-col=best]')).toContainText('SGD[lr=0.01]');
  const text =
    'SGD: the chosen optimizer.lr = 0.01 is the highest value tried (1e-3 … 0.01); its optimum may lie above the grid — widen it before reading the ranking';
  await expect(sgd.getByTestId('grid-edge-mark')).toHaveAttribute('title', text);
  await expect(page.getByTestId('search-space')).toContainText(text);
  await expect(page.getByTestId('search-space')).toContainText('Choi et al. 2019');
});

/**
 * Issue 10, item 5's acceptance: a sweep BUILT in the lab. From the new experiment (Rosenbrock
 * from (−1.5, 2), 2000 steps; SGD lr 1e-3, Momentum, Adam), the run cards' sweep editors sweep
 * SGD's lr on a log grid and Adam's by random search, the protocol is turned on, and the
 * comparison runs. SGD at lr 1e-4, 3.16e-4, 1e-3 ends at 5.34, 4.08, 0.195 and diverges at
 * 3.16e-3 and 1e-2 (float32 gradient descent, computed with NumPy): 1e-3 is chosen.
 */
test('a sweep built in the editor: expansion preview, protocol, run, leaderboard and sensitivity', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await showView(page, 'build');

  // SGD: a log grid over lr, a decade each side of its 1e-3, 5 points.
  await page.getByTestId('run-0-sweep-add').click();
  await expect(page.getByTestId('run-0-sweep-path')).toHaveValue('optimizer.lr');
  await expect(page.getByTestId('run-0-sweep-kind')).toHaveValue('logspace');
  await page.getByTestId('run-0-sweep-lo').fill('0.0001');
  await page.getByTestId('run-0-sweep-lo').press('Tab');
  await page.getByTestId('run-0-sweep-hi').fill('0.01');
  await page.getByTestId('run-0-sweep-hi').press('Tab');
  const preview = page.getByTestId('run-0-sweep-preview');
  await expect(preview).toHaveAttribute('data-budget', '5');
  await expect(page.getByTestId('run-0-sweep-names')).toHaveText(
    'SGD[lr=1e-4], SGD[lr=3.16e-4], SGD[lr=1e-3], SGD[lr=3.16e-3], SGD[lr=0.01]',
  );
  // A bad grid is named with its JSON path before anything runs.
  await page.getByTestId('run-0-sweep-lo').fill('-1');
  await page.getByTestId('run-0-sweep-lo').press('Tab');
  await expect(page.getByTestId('run-0-sweep-problems')).toHaveText(
    'runs[0].sweep["optimizer.lr"].logspace: a log grid needs lo > 0 and hi > 0, got [-1, 0.01, 5]',
  );
  await page.getByTestId('run-0-sweep-lo').fill('0.0001');
  await page.getByTestId('run-0-sweep-lo').press('Tab');
  await expect(preview).toHaveAttribute('data-budget', '5');

  // Adam: random search, log-uniform on [1e-3, 0.1], 3 trials.
  await page.getByTestId('run-2-sweep-add').click();
  await page.getByTestId('run-2-sweep-kind').selectOption('loguniform');
  await page.getByTestId('run-2-sweep-lo').fill('0.001');
  await page.getByTestId('run-2-sweep-lo').press('Tab');
  await page.getByTestId('run-2-sweep-hi').fill('0.1');
  await page.getByTestId('run-2-sweep-hi').press('Tab');
  await page.getByTestId('run-2-sweep-trials').fill('3');
  await page.getByTestId('run-2-sweep-trials').press('Tab');
  await expect(page.getByTestId('run-2-sweep-preview')).toHaveAttribute('data-budget', '3');
  await expect(page.getByTestId('run-2-sweep-names')).toHaveText(
    /^Adam\[lr=[\d.e-]+\], Adam\[lr=[\d.e-]+\], Adam\[lr=[\d.e-]+\]$/,
  );

  // The protocol: tune on seed 0, rerun each best on 2 seeds.
  await page.getByTestId('protocol-on').check();
  await page.getByTestId('protocol-rerun-seeds').fill('2');
  await page.getByTestId('protocol-rerun-seeds').press('Tab');
  await expect(preview).toHaveAttribute('data-trainings', '7');
  await expect(preview).toContainText('5 configurations (tuning budget), 7 trainings');

  await page.getByTestId('run-all').click();
  await expect(page.getByTestId('sweep-view')).toBeVisible();
  // 5 + 1 + 3 configurations on seed 0, then 3 bests on seeds 1 and 2.
  await expect(page.getByTestId('sweep-status')).toHaveAttribute('data-status', 'done', {
    timeout: 120_000,
  });
  await expect(page.getByTestId('sweep-status')).toContainText('15 / 15 trainings');
  const row = (run: string) => page.locator(`[data-testid=leaderboard-row][data-run="${run}"]`);
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(3);
  await expect(row('SGD').locator('[data-col=best]')).toHaveText('SGD[lr=1e-3]');
  await expect(row('SGD').locator('[data-col=budget]')).toHaveText('5');
  await expect(row('SGD').locator('[data-col=seeds]')).toHaveText('2');
  await expect(row('Momentum').locator('[data-col=budget]')).toHaveText('1');
  await expect(row('Momentum').locator('[data-col=best]')).toHaveText('(as listed)');
  await expect(row('Adam').locator('[data-col=budget]')).toHaveText('3');

  const chart = page.getByTestId('sensitivity-chart');
  await expect(chart).toHaveCount(1);
  await expect(chart).toHaveAttribute('data-path', 'optimizer.lr');
  const markers = JSON.parse((await chart.getAttribute('data-markers')) ?? '[]') as {
    kind: string;
    run: string;
    x: number;
  }[];
  const sgdBest = markers.find((m) => m.kind === 'best' && m.run === 'SGD');
  expect(sgdBest?.x).toBeCloseTo(1e-3, 12);
  const diverged = markers.filter((m) => m.kind === 'diverged' && m.run === 'SGD').map((m) => m.x);
  expect(diverged).toHaveLength(2);
  expect(diverged[0]).toBeCloseTo(10 ** -2.5, 12);
  expect(diverged[1]).toBeCloseTo(0.01, 12);
  await screenshot(page, 'sweep-built');
  expect(errors).toEqual([]);
});

test('the LR finder of a run: both suggestions marked and named, and one applied to the run', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await showView(page, 'build');
  const finder = page.getByTestId('run-2-lr-find');
  await page.getByTestId('run-2-lr-find-start').click();
  await expect(finder).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(finder.locator('canvas').first()).toBeVisible();
  const markers = JSON.parse((await finder.getAttribute('data-markers')) ?? '[]') as {
    name: string;
    lr: number;
  }[];
  expect(markers.map((m) => m.name)).toEqual(['steepest descent', 'minimum ÷ 10']);
  for (const m of markers) {
    expect(m.lr).toBeGreaterThan(1e-7);
    expect(m.lr).toBeLessThan(10);
  }
  const apply = page.getByTestId('run-2-lr-find-apply-1');
  const text = (await apply.textContent()) ?? '';
  const shown = /lr = (\S+)$/.exec(text.trim())?.[1];
  expect(shown).toBeDefined();
  await apply.click();
  await expect(page.getByTestId('run-2-opt-lr')).toHaveValue(String(Number(shown)));
  // The lr as shown, 3 significant digits: within half a unit of its last digit.
  expect(Math.abs(Number(shown) - markers[1].lr) / markers[1].lr).toBeLessThan(0.005);
  expect(errors).toEqual([]);
});
