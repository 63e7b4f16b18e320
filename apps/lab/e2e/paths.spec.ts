/**
 * The paths view: click the contour to set the start point, drag to pan, wheel to zoom, and one
 * optimizer's paths over an lr grid in one colour ramp. Also: each optimizer's form shows its
 * update rule and paper.
 */
import { expect, test, type Page } from '@playwright/test';
import { canvasPixels, screenshot, waitForRuns, showView } from './helpers.js';

/** One pixel of the 560-px canvas is 4.4/558 ≈ 0.008 in x and y: a click lands within 0.02. */
function expectNear(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(0.02));
}

async function draftStart(page: Page): Promise<number[]> {
  return page.evaluate(
    () =>
      (window as unknown as { optlabDebug: { lab: { draft: { task: { start: number[] } } } } })
        .optlabDebug.lab.draft.task.start,
  );
}

test('click sets the start point, drag pans, the wheel zooms', async ({ page }) => {
  await page.goto('/');
  await showView(page, 'paths');
  const canvas = page.getByTestId('contour');
  await expect(canvas).toBeVisible();
  const axes = page.locator('.axes');
  // Rosenbrock's domain [−2, 2] × [−1, 3] with a 5 % margin: x ∈ [−2.2, 2.2], y ∈ [−1.2, 3.2].
  await expect(axes).toContainText('x ∈ [-2.20, 2.20], y ∈ [-1.20, 3.20]');
  const box = (await canvas.boundingBox())!;
  await canvas.click({ position: { x: box.width / 2, y: box.height / 2 } });
  expectNear(await draftStart(page), [0, 1]);
  await canvas.click({ position: { x: box.width / 4, y: box.height / 4 } });
  expectNear(await draftStart(page), [-1.1, 2.1]);
  const clicked = await draftStart(page);

  // Drag a quarter of the width to the right: the view moves left by a quarter (1.1), the start stays.
  await page.mouse.move(box.x + 300, box.y + 300);
  await page.mouse.down();
  await page.mouse.move(box.x + 360, box.y + 300, { steps: 4 });
  await page.mouse.move(box.x + 300 + box.width / 4, box.y + 300, { steps: 4 });
  await page.mouse.up();
  await expect(axes).toContainText('x ∈ [-3.30, 1.10], y ∈ [-1.20, 3.20]');
  expect(await draftStart(page)).toEqual(clicked);

  // Zoom in one notch about the centre: the view shrinks to 80 %.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -100);
  await expect(axes).not.toContainText('x ∈ [-3.30, 1.10]');
  const [x0, x1, y0, y1] = ((await axes.textContent())!.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
  // 80 % of 4.4 wide and high (shown to 3 digits), about the point under the cursor (the centre, ±1 px).
  expect(Math.abs(x1 - x0 - 3.52)).toBeLessThan(0.02);
  expect(Math.abs(y1 - y0 - 3.52)).toBeLessThan(0.02);
  expect(Math.abs((x0 + x1) / 2 - -1.1)).toBeLessThan(0.02);
  expect(Math.abs((y0 + y1) / 2 - 1)).toBeLessThan(0.02);
  await page.getByTestId('paths-reset-view').click();
  await expect(axes).toContainText('x ∈ [-2.20, 2.20], y ∈ [-1.20, 3.20]');
});

test('an lr grid of one optimizer in one colour ramp; runs start at the clicked point', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByTestId('training-count').fill('300');
  await page.getByTestId('training-count').dispatchEvent('change');
  await showView(page, 'paths');
  const canvas = page.getByTestId('contour');
  const box = (await canvas.boundingBox())!;
  await canvas.click({ position: { x: box.width / 4, y: box.height / 4 } });
  await page.getByTestId('paths-grid-run').selectOption({ label: 'Adam' });
  await page.getByTestId('paths-grid-draw').click();
  const legend = page.getByTestId('paths-grid-legend').locator('li');
  await expect(legend).toHaveCount(5);
  // Adam's lr 0.02 × ¼ … 4.
  await expect(legend).toHaveText([
    /^lr 0\.005/,
    /^lr 0\.01/,
    /^lr 0\.02/,
    /^lr 0\.04/,
    /^lr 0\.08/,
  ]);
  await expect(canvas).toHaveAttribute('data-grid-paths', '5');
  // The ramp's ends (viridis) are drawn.
  const pixels = await canvasPixels(canvas, ['#440154', '#fde725']);
  expect(pixels.matches[0]).toBeGreaterThan(20);
  expect(pixels.matches[1]).toBeGreaterThan(20);
  await screenshot(page, 'paths-01-lr-grid');

  // The experiment's own runs start where the click put the start point.
  await page.getByRole('button', { name: /Run all/ }).click();
  await waitForRuns(page, ['SGD', 'Momentum', 'Adam']);
  const first = await page.evaluate(() => {
    const lab = (
      window as unknown as {
        optlabDebug: {
          lab: {
            draft: { runs: { id: string }[] };
            results: Record<string, { trajectory: number[][] }>;
          };
        };
      }
    ).optlabDebug.lab;
    return lab.results[lab.draft.runs[2].id].trajectory[0];
  });
  // The default runs train in float32: the start point as float32.
  expect(first).toEqual((await draftStart(page)).map(Math.fround));
  expectNear(first, [-1.1, 2.1]);
});

test("each optimizer's form shows its update rule and paper", async ({ page }) => {
  await page.goto('/');
  const rule = page.getByTestId('run-0-update-rule');
  await rule.locator('summary').click();
  await expect(rule).toContainText('θ ← θ − γ·g');
  await expect(rule).toContainText('Polyak 1964');
  await expect(rule).toContainText('https://doi.org/10.1016/0041-5553(64)90137-5');
  const adam = page.getByTestId('run-2-update-rule');
  await adam.locator('summary').click();
  await expect(adam).toContainText('m̂ ← m / (1 − β₁ᵗ)');
  await expect(adam).toContainText('https://arxiv.org/abs/1412.6980');
  await screenshot(page, 'paths-02-update-rules');
});
