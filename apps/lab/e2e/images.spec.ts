/**
 * Image datasets in the lab (issue 13, part 1 and 7): the folder of an MNIST-format dataset
 * picked in the page (a directory input, or the four files), a missing or corrupt file named in
 * the form, a grid of samples per class; at the end of a classification run, the confusion
 * matrix of the test split and the misclassified test samples. With the committed IDX fixtures
 * of libs/models (6 training and 3 test images of 3×4 pixels, 3 classes), and with the full
 * Fashion-MNIST where Debian's dataset-fashion-mnist is installed.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { canvasPixels, cell, screenshot, waitForRuns, showView } from './helpers.js';

const FIXTURES = join(import.meta.dirname, '../../../libs/models/test/fixtures/idx');
const FASHION = '/usr/share/datasets/fashion-mnist';
const NAMES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

/** A folder with the plain fixtures, `change` replacing (bytes) or leaving out (null) files. */
function folderWith(change: Record<string, Uint8Array | null>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'optlab-idx-'));
  const paths: string[] = [];
  for (const name of NAMES) {
    const bytes = name in change ? change[name] : readFileSync(join(FIXTURES, 'plain', name));
    if (bytes === null || bytes === undefined) continue;
    writeFileSync(join(dir, name), bytes);
    paths.push(join(dir, name));
  }
  for (const [name, bytes] of Object.entries(change)) {
    if (!NAMES.includes(name) && bytes) {
      writeFileSync(join(dir, name), bytes);
      paths.push(join(dir, name));
    }
  }
  return paths;
}

async function imageTask(page: Page, dataset = 'idx'): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await showView(page, 'build');
  await page.getByTestId('task-kind').selectOption('classification');
  await page.getByTestId('task-dataset').selectOption(dataset);
  await expect(page.getByTestId('idx-source')).toBeVisible();
  test.info().annotations.push({ type: 'page errors', description: errors.join('; ') });
}

async function trainFor(page: Page, epochs: number, batch: number): Promise<void> {
  await page.getByTestId('training-mode').selectOption('epochs');
  await page.getByTestId('training-count').fill(String(epochs));
  await page.getByTestId('training-count').dispatchEvent('change');
  await page.getByTestId('training-batch').fill(String(batch));
  await page.getByTestId('training-batch').dispatchEvent('change');
}

test('a missing or corrupt IDX file is named in the form; a good folder shows samples per class', async ({
  page,
}) => {
  await imageTask(page);
  await expect(page.getByTestId('idx-status')).toHaveText('Not loaded yet: choose the folder.');
  // Nothing picked: Run all says where, before any worker starts.
  await page.getByTestId('run-all').click();
  await expect(page.getByTestId('problems')).toContainText('task.dataset.folder');
  await showView(page, 'build');

  const files = page.getByTestId('idx-files-input');
  const error = page.getByTestId('idx-error');
  await files.setInputFiles(folderWith({ 't10k-labels-idx1-ubyte': null }));
  await expect(error).toHaveText(
    'picked files/t10k-labels-idx1-ubyte: missing: the folder needs t10k-labels-idx1-ubyte or t10k-labels-idx1-ubyte.gz',
  );
  await files.setInputFiles(
    folderWith({ 'train-images-idx3-ubyte': Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 6]) }),
  );
  await expect(error).toHaveText(
    'picked files/train-images-idx3-ubyte: truncated IDX file: the header of 3 dimensions needs 16 bytes, the file has 8',
  );
  await files.setInputFiles(
    folderWith({ 'train-labels-idx1-ubyte': Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0]) }),
  );
  await expect(error).toContainText(
    'picked files/train-labels-idx1-ubyte: not an IDX file: wrong magic number 50 4b 03 04',
  );
  await files.setInputFiles(
    folderWith({
      'train-labels-idx1-ubyte': null,
      'train-labels-idx1-ubyte.gz': Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3]),
    }),
  );
  await expect(error).toContainText(
    'picked files/train-labels-idx1-ubyte.gz: not a valid gzip file',
  );
  await screenshot(page, 'images-01-corrupt-file');

  // The gzip fixtures as a folder (the directory input).
  await page.getByTestId('idx-folder-input').setInputFiles(join(FIXTURES, 'gzip'));
  await expect(page.getByTestId('idx-summary')).toHaveText(
    'gzip: 6 training and 3 test images of 3×4, 3 classes',
  );
  await expect(error).toHaveCount(0);
  await expect(page.getByTestId('dataset-folder')).toHaveValue('gzip');
  await expect(page.getByTestId('sample-class')).toHaveText(['0 (2)', '1 (2)', '2 (2)']);
  const canvas = page.getByTestId('sample-canvas');
  const pixels = await canvasPixels(canvas);
  // 8 columns of 4 pixels × 8, 3 rows of 3 pixels × 8 (2 px gaps): the images are drawn.
  expect([pixels.width, pixels.height]).toEqual([8 * (4 * 8 + 2), 3 * (3 * 8 + 2)]);
  expect(pixels.drawn).toBeGreaterThan(6 * 3 * 4 * 8 * 8 * 0.5);
  await screenshot(page, 'images-02-samples');
});

test('at the end of a run: the confusion matrix of the test split and the misclassified samples', async ({
  page,
}) => {
  await imageTask(page);
  await page.getByTestId('idx-folder-input').setInputFiles(join(FIXTURES, 'plain'));
  await expect(page.getByTestId('idx-summary')).toContainText('6 training and 3 test images');
  await trainFor(page, 2, 2);
  await page.getByTestId('run-all').click();
  await showView(page, 'compare');
  const runs = ['SGD', 'Momentum', 'Adam'];
  await waitForRuns(page, runs);
  const reports = page.getByTestId('run-report');
  await expect(reports).toHaveCount(3);
  let misclassifiedShown = 0;
  for (const [i, run] of runs.entries()) {
    const report = reports.nth(i);
    await expect(report.locator('h3').first()).toContainText(
      `${run}: confusion matrix (test split, 3 rows`,
    );
    const counts = (await report.getByTestId('confusion-cell').allInnerTexts()).map(Number);
    expect(counts).toHaveLength(9);
    // One test image per class: each row (true class) sums to 1.
    for (let t = 0; t < 3; t++)
      expect(counts.slice(t * 3, t * 3 + 3).reduce((a, b) => a + b)).toBe(1);
    const correct = counts[0] + counts[4] + counts[8];
    // The matrix agrees with the runner's test accuracy in the results table.
    expect(Number(await cell(page, run, 'testAccuracy'))).toBeCloseTo(correct / 3, 3);
    await expect(report.getByTestId('misclassified-title')).toHaveText(
      `Misclassified test samples: ${3 - correct}`,
    );
    const samples = report.getByTestId('misclassified-sample');
    await expect(samples).toHaveCount(3 - correct);
    for (let k = 0; k < 3 - correct; k++) {
      await expect(samples.nth(k)).toContainText(/true: \d\s*predicted: \d \(\d+\.\d%\)/);
      const drawn = await canvasPixels(samples.nth(k).locator('canvas'));
      expect(drawn.width).toBe(4 * 14);
      expect(drawn.drawn).toBeGreaterThan(0);
    }
    misclassifiedShown += 3 - correct;
  }
  // Near their initial weights after 6 updates, the three runs do not get all 9 right.
  expect(misclassifiedShown).toBeGreaterThan(0);
  await screenshot(page, 'images-03-confusion');
});

test('Fashion-MNIST: its folder, 10 named classes of 28×28 samples, and a run to the confusion matrix', async ({
  page,
}) => {
  test.skip(
    !existsSync(join(FASHION, 'train-images-idx3-ubyte.gz')),
    `needs the full Fashion-MNIST in ${FASHION} (apt-get install dataset-fashion-mnist)`,
  );
  test.setTimeout(240_000);
  await imageTask(page, 'fashion-mnist');
  await expect(page.getByTestId('idx-status')).toHaveText(
    `Not loaded yet: choose the folder (${FASHION}).`,
  );
  await page.getByTestId('idx-folder-input').setInputFiles(FASHION);
  await expect(page.getByTestId('idx-summary')).toHaveText(
    'fashion-mnist: 60,000 training and 10,000 test images of 28×28, 10 classes',
    { timeout: 60_000 },
  );
  const classes = await page.getByTestId('sample-class').allInnerTexts();
  expect(classes).toHaveLength(10);
  expect(classes[0]).toBe('T-shirt/top (8)');
  expect(classes[9]).toBe('Ankle boot (8)');
  await screenshot(page, 'images-04-fashion-samples');

  // One run on the first 2,000 training images, 1 epoch; tested on all 10,000 test images.
  await page.getByTestId('dataset-trainRows').fill('2000');
  await page.getByTestId('dataset-trainRows').dispatchEvent('change');
  await trainFor(page, 1, 128);
  for (let i = 0; i < 2; i++)
    await page.getByRole('button', { name: 'Remove run' }).first().click();
  await page.getByTestId('run-all').click();
  await showView(page, 'compare');
  await waitForRuns(page, ['Adam']);
  const report = page.getByTestId('run-report');
  await expect(report.locator('h3').first()).toContainText('(test split, 10,000 rows');
  const counts = (await report.getByTestId('confusion-cell').allInnerTexts()).map(Number);
  expect(counts.reduce((a, b) => a + b)).toBe(10_000);
  await expect(report.getByTestId('misclassified-sample')).toHaveCount(24);
  const drawn = await canvasPixels(
    report.getByTestId('misclassified-sample').first().locator('canvas'),
  );
  expect([drawn.width, drawn.height]).toEqual([56, 56]);
  await screenshot(page, 'images-05-fashion-confusion');
});
