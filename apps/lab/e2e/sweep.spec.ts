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
import { canvasPixels, RUN_COLORS, screenshot } from './helpers.js';

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
  await page.getByTestId('open').click();
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Open a file from disk…' }).click(),
  ]);
  await chooser.setFiles({
    name: 'sweep-e2e.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(SPEC)),
  });
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
  await expect(sgd.locator('[data-col=budget]')).toHaveText('4');
  await expect(sgd.locator('[data-col=seeds]')).toHaveText('3');
  const adam = page.locator('[data-testid=leaderboard-row][data-run=Adam]');
  await expect(adam.locator('[data-col=budget]')).toHaveText('4');
  await expect(adam.locator('[data-col=optimizer]')).toHaveText('Adam');
  await expect(adam.locator('[data-col=best]')).toHaveText(/^Adam\[lr=/);
  // A function's start does not depend on the seed: three equal values, a CI of one point.
  await expect(sgd.locator('[data-col=metric]')).toHaveText(/^(\S+) \[\1–\1\]$/);

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
