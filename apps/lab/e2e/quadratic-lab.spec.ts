/**
 * The quadratic lab ("Learn" view): a rotated quadratic with κ = 100 shows the measured rate
 * heatmap with the theory's optimum (α*, β*) marked, and the best measured cell lies within one
 * grid step of it; the path and the per-eigenvector errors are drawn.
 */
import { expect, test } from '@playwright/test';
import { canvasPixels, screenshot, showView } from './helpers.js';

test('κ = 100, rotated 30°: the measured best cell is within one grid step of (α*, β*)', async ({
  page,
}) => {
  await page.goto('/');
  await showView(page, 'learn');
  await expect(page.getByTestId('quadlab-lesson')).toContainText('Why Momentum Really Works');
  await page.getByTestId('quadlab-condition').fill('100');
  await page.getByTestId('quadlab-condition').dispatchEvent('change');
  await page.getByTestId('quadlab-angle').fill('30');
  await page.getByTestId('quadlab-angle').dispatchEvent('change');
  // The theory, from the eigenvalues 1 and 100: α* = (2/11)², β* = (9/11)².
  await expect(page.getByTestId('quadlab-alpha-star')).toHaveText(
    String(Number(((2 / 11) ** 2).toPrecision(6))),
  );
  await expect(page.getByTestId('quadlab-beta-star')).toHaveText(
    String(Number(((9 / 11) ** 2).toPrecision(6))),
  );

  // Run at the optimum: the measured rate is the predicted 9/11 within 2 %.
  await page.getByTestId('quadlab-use-optimum').click();
  const predicted = Number(await page.getByTestId('quadlab-predicted').textContent());
  const measured = Number(await page.getByTestId('quadlab-measured').textContent());
  expect(predicted).toBeCloseTo(9 / 11, 5);
  expect(Math.abs(measured / predicted - 1)).toBeLessThan(0.02);
  const contour = await canvasPixels(page.getByTestId('quadlab-contour'), ['#111111']);
  expect(contour.matches[0]).toBeGreaterThan(50);
  await expect(page.getByTestId('quadlab-eigen-chart')).toBeVisible();

  await page.getByTestId('quadlab-compute').click();
  const heatmap = page.getByTestId('quadlab-heatmap');
  await expect(heatmap).toBeVisible({ timeout: 90_000 });
  const at = async (name: string) => Number(await heatmap.getAttribute(name));
  const [bi, bj, oi, oj] = [
    await at('data-best-i'),
    await at('data-best-j'),
    await at('data-optimum-i'),
    await at('data-optimum-j'),
  ];
  expect(Math.abs(bi - oi)).toBeLessThanOrEqual(1);
  expect(Math.abs(bj - oj)).toBeLessThanOrEqual(1);
  await expect(page.getByTestId('quadlab-best')).toContainText(
    'within one grid step of the optimum',
  );
  await screenshot(page, 'quadlab-01-heatmap');
  // The optimum's ring: white and black pixels drawn over the colour cells.
  const pixels = await canvasPixels(heatmap, ['#ffffff', '#000000', '#d55e00']);
  expect(pixels.matches[0]).toBeGreaterThan(10);
  expect(pixels.matches[1]).toBeGreaterThan(10);
  expect(pixels.matches[2]).toBeGreaterThan(10);

  // Clicking a cell runs it: the lr and momentum fields take the cell's values.
  const box = (await heatmap.boundingBox())!;
  await heatmap.click({ position: { x: 8, y: box.height - 8 } });
  await expect(page.getByTestId('quadlab-momentum')).toHaveValue('0');
});

test('a bad setting is refused with the field named; n-D shows every eigen-direction', async ({
  page,
}) => {
  await page.goto('/');
  await showView(page, 'learn');
  await page.getByTestId('quadlab-eigenvalues').fill('1, -3');
  await page.getByTestId('quadlab-eigenvalues').dispatchEvent('change');
  await expect(page.getByRole('alert')).toContainText(
    'eigenvalues must be 1 to 50 positive numbers',
  );
  await page.getByTestId('quadlab-eigenvalues').fill('1, 10, 100, 1000');
  await page.getByTestId('quadlab-eigenvalues').dispatchEvent('change');
  await expect(page.getByTestId('quadlab-theory')).toContainText('κ = 1000');
  await expect(page.getByText('The path is drawn for 2-D problems')).toBeVisible();
  await expect(page.getByTestId('quadlab-eigen-chart')).toContainText('q4');
});
