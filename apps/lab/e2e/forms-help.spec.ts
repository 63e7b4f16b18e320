/**
 * Forms that help (issue 15, improvement 4): a schedule starts from the run's lr and length,
 * "schedule steps per" shows only where there are epochs, the lr has a log-scale slider beside
 * its box, setup options sit in an "advanced" fold and only required fields are marked, and a
 * CSV is dropped on one drop zone that previews its first rows.
 */
import { expect, test } from '@playwright/test';
import { screenshot, showView } from './helpers.js';

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('start-dismiss').click();
  await showView(page, 'build');
});

test('a picked schedule takes the run’s lr and length: OneCycleLR, cosine, StepLR', async ({
  page,
}) => {
  // New: Rosenbrock for 2,000 steps; the first run is SGD at lr 0.001.
  await expect(page.getByTestId('training-count')).toHaveValue('2000');
  await expect(page.getByTestId('run-0-opt-lr')).toHaveValue('0.001');
  await page.getByTestId('run-0-schedule').selectOption('OneCycleLR');
  await expect(page.getByTestId('run-0-sched-maxLr')).toHaveValue('0.001');
  await expect(page.getByTestId('run-0-sched-totalSteps')).toHaveValue('2000');
  await expect(page.getByTestId('run-0-sched-pctStart')).toHaveValue('0.3');
  await expect(page.getByTestId('run-0-issues')).toHaveCount(0);

  // A dataset run counted in epochs: the length is the epochs.
  await page.getByTestId('task-kind').selectOption('regression');
  await page.getByTestId('training-mode').selectOption('epochs');
  await page.getByTestId('training-count').fill('60');
  await page.getByTestId('training-count').press('Tab');
  await page.getByTestId('run-1-opt-lr').fill('0.05');
  await page.getByTestId('run-1-schedule').selectOption('CosineAnnealingLR');
  await expect(page.getByTestId('run-1-sched-TMax')).toHaveValue('60');
  await page.getByTestId('run-2-schedule').selectOption('StepLR');
  await expect(page.getByTestId('run-2-sched-stepSize')).toHaveValue('20');
  await page.getByTestId('run-1-schedule').selectOption('OneCycleLR');
  await expect(page.getByTestId('run-1-sched-maxLr')).toHaveValue('0.05');
  await expect(page.getByTestId('run-1-sched-totalSteps')).toHaveValue('60');
  await screenshot(page, 'forms/schedule-prefilled');
});

test('“schedule steps per” is offered only when the run counts epochs', async ({ page }) => {
  // The 2-D function counts steps: nothing to choose.
  await expect(page.getByTestId('training-mode')).toHaveValue('steps');
  await expect(page.getByTestId('training-schedule-interval')).toHaveCount(0);
  await page.getByTestId('task-kind').selectOption('classification');
  await page.getByTestId('training-mode').selectOption('epochs');
  await expect(page.getByTestId('training-schedule-interval')).toBeVisible();
  await page.getByTestId('training-mode').selectOption('steps');
  await expect(page.getByTestId('training-schedule-interval')).toHaveCount(0);
});

test('the lr has a log-scale slider beside its box; the box and the slider follow each other', async ({
  page,
}) => {
  const box = page.getByTestId('run-0-opt-lr');
  const slider = page.getByTestId('run-0-opt-lr-slider');
  await expect(slider).toHaveAttribute('min', '-5');
  await expect(slider).toHaveAttribute('max', '1');
  await expect(slider).toHaveValue('-3'); // lr 0.001
  const [b, s] = [(await box.boundingBox())!, (await slider.boundingBox())!];
  expect(s.x, 'the slider is right of the box').toBeGreaterThanOrEqual(b.x + b.width);
  expect(Math.abs(s.y + s.height / 2 - (b.y + b.height / 2)), 'on the same line').toBeLessThan(8);
  await slider.fill('-2');
  await expect(box).toHaveValue('0.01');
  await slider.fill('-1.5');
  await expect(box).toHaveValue('0.032');
  await box.fill('0.5');
  await box.press('Tab');
  // log10(0.5) = −0.301, on the slider's 1/20-decade ticks.
  await expect(slider).toHaveValue('-0.3');
});

test('setup options are folded under “advanced”; only required fields are marked', async ({
  page,
}) => {
  const advanced = page.getByTestId('run-0-opt-advanced');
  await expect(advanced).not.toHaveAttribute('open', '');
  await expect(advanced.locator('summary')).toHaveText('advanced (maximize)');
  await expect(page.getByTestId('run-0-opt-maximize')).toBeHidden();
  await page.getByTestId('run-0-schedule').selectOption('CosineAnnealingLR');
  await expect(page.getByTestId('run-0-sched-advanced').locator('summary')).toHaveText(
    'advanced (lastEpoch)',
  );
  // SGD has no required option; CosineAnnealingLR's TMax is required (and pre-filled).
  const card = page.getByTestId('run-0');
  await expect(card.locator('[aria-required=true]')).toHaveCount(1);
  await expect(page.getByTestId('run-0-sched-TMax')).toHaveAttribute('aria-required', 'true');
  await expect(page.getByTestId('run-0-opt-lr')).not.toHaveAttribute('aria-required', 'true');
});

test('a CSV dropped on the one drop zone: rows, features, classes and its first rows', async ({
  page,
}) => {
  await page.getByTestId('task-kind').selectOption('classification');
  await page.getByTestId('task-dataset').selectOption('csv');
  await expect(page.locator('input[type=file]')).toHaveCount(1);
  const zone = page.getByTestId('csv-source');
  await expect(zone).toContainText('Drop a CSV file here');
  const rows = [
    'petal,sepal,kind',
    ...Array.from({ length: 8 }, (_, i) => `${i}.5,${i + 1},${i % 2 ? 'b' : 'a'}`),
  ];
  const transfer = await page.evaluateHandle(
    (text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'flowers.csv', { type: 'text/csv' }));
      return data;
    },
    rows.join('\n') + '\n',
  );
  await zone.dispatchEvent('dragover', { dataTransfer: transfer });
  await zone.dispatchEvent('drop', { dataTransfer: transfer });
  await expect(page.getByTestId('csv-status')).toHaveText(
    /flowers\.csv \(81 bytes\): 8 rows · 2\s+features · 2 classes/,
  );
  const head = page.getByTestId('csv-head');
  await expect(head.locator('th')).toHaveText(['petal', 'sepal', 'class']);
  await expect(head.locator('tbody tr')).toHaveCount(5);
  await expect(head.locator('tbody tr').nth(1).locator('td')).toHaveText(['1.5', '2', 'b']);
  await screenshot(page, 'forms/csv-drop-preview');
});
