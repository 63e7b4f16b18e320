/**
 * The defects of issue 15, each reproduced as the issue describes it and checked fixed: a run
 * that diverges at once, an exploding run on a log axis, the shared cursor's units, problems
 * found before any worker starts, diverged rows, the paths message of a CSV task, the dialogs'
 * focus, and "+ Add run". Experiments are opened from disk ("Open a file from disk…"), as a user
 * opens a spec file. Screenshots at 1440×900 go to apps/lab/test-results/screens/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { assertSpec, defaultCatalog, runToSummary } from '@optlab/experiment';
import {
  canvasPixels,
  cell,
  openFromDisk,
  RUN_COLORS,
  screenshot,
  showView,
  waitForRuns,
} from './helpers.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', '..', 'examples');
/** An example spec, with what the tests change in it typed. */
type ExampleSpec = Record<string, unknown> & {
  runs: { optimizer: Record<string, unknown> }[];
  training: Record<string, unknown>;
};
const example = (name: string) =>
  JSON.parse(readFileSync(join(EXAMPLES, `${name}.json`), 'utf8')) as ExampleSpec;

test.use({ viewport: { width: 1440, height: 900 } });

let errors: string[] = [];

test.beforeEach(async ({ page }) => {
  errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await expect(page.getByTestId('run-all')).toBeVisible();
});

test.afterEach(() => {
  expect(errors, 'uncaught errors in the page').toEqual([]);
});

/** Opens a spec (or a lab file) the way a user opens one from disk, and waits for its notice. */
async function openFile(page: Page, content: unknown, name = 'experiment.json'): Promise<void> {
  await openFromDisk(page, name, content);
  await expect(page.getByTestId('notice')).toContainText(`Opened ${name}`);
}

/** Iris, ReLU MLP, 60 epochs in minibatches of 16: SGD at lr 1000 diverges within an epoch. */
const irisSpec = {
  version: 1,
  name: 'iris-divergence',
  task: {
    kind: 'classification',
    dataset: { type: 'iris' },
    model: { type: 'mlp', activation: 'relu' },
  },
  training: { epochs: 60, batchSize: 16 },
  runs: [
    { name: 'Too fast', optimizer: { type: 'SGD', lr: 1000 }, backend: 'cpu64', seed: 0 },
    { name: 'Steady', optimizer: { type: 'SGD', lr: 0.05 }, backend: 'cpu64', seed: 0 },
  ],
};

/** The linear-regression preset with SGD at lr 100: its loss explodes in two steps. */
function explodingLinear(): ExampleSpec {
  const spec = example('linear-regression');
  spec.runs[0].optimizer['lr'] = 100;
  return spec;
}

function chartCanvas(page: Page, testId: string): Locator {
  return page.getByTestId(testId).locator('canvas').first();
}

interface Marker {
  label: string;
  x: number;
  y: number | null;
  left: number;
  top: number;
}

async function markersOf(page: Page, testId: string): Promise<Marker[]> {
  return JSON.parse((await page.getByTestId(testId).getAttribute('data-markers')) ?? '[]');
}

/** Pixels of `color` in a box of ±`radius` canvas pixels around (left, top). */
async function pixelsNear(
  canvas: Locator,
  left: number,
  top: number,
  color: string,
  radius = 7,
): Promise<number> {
  return canvas.evaluate(
    (element, [x0, y0, hex, r]) => {
      const c = element as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(x0 - r, y0 - r, 2 * r + 1, 2 * r + 1).data;
      const t = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        const d =
          Math.abs(data[i] - t[0]) + Math.abs(data[i + 1] - t[1]) + Math.abs(data[i + 2] - t[2]);
        if (data[i + 3] > 200 && d < 40) n++;
      }
      return n;
    },
    [Math.round(left), Math.round(top), color, radius] as [number, number, string, number],
  );
}

/** The first and last canvas rows holding pixels of `color`, and the canvas height. */
async function rowsOf(
  canvas: Locator,
  color: string,
): Promise<{ top: number; bottom: number; height: number }> {
  return canvas.evaluate((element, hex) => {
    const c = element as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const t = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    let top = -1;
    let bottom = -1;
    for (let y = 0; y < c.height; y++) {
      for (let x = 0; x < c.width; x++) {
        const i = 4 * (y * c.width + x);
        const d =
          Math.abs(data[i] - t[0]) + Math.abs(data[i + 1] - t[1]) + Math.abs(data[i + 2] - t[2]);
        if (data[i + 3] > 200 && d < 40) {
          if (top < 0) top = y;
          bottom = y;
          break;
        }
      }
    }
    return { top, bottom, height: c.height };
  }, color);
}

async function yTicks(page: Page, testId: string): Promise<string[]> {
  const text = (await page.getByTestId(testId).getAttribute('data-y-ticks')) ?? '';
  return text.split('|').filter(Boolean);
}

/** The x label and value a chart's legend shows for the cursor. */
async function legendX(page: Page, testId: string): Promise<{ label: string; value: string }> {
  const first = page.getByTestId(testId).locator('.u-legend .u-series').first();
  return {
    label: (await first.locator('.u-label').innerText()).trim(),
    value: (await first.locator('.u-value').innerText()).trim(),
  };
}

test('1: a run that diverges at once stays visible as a point, with a ✕ at its divergence on every chart', async ({
  page,
}) => {
  await openFile(page, irisSpec);
  await page.getByTestId('run-all').click();
  await waitForRuns(page, ['Too fast'], /diverged/);
  await waitForRuns(page, ['Steady'], /done/);
  const status = await cell(page, 'Too fast', 'status');
  const divergedAt = Number(/diverged at step (\d+)/.exec(status)![1]);
  expect(divergedAt).toBeLessThan(10); // within the first epoch (10 minibatches of 16)

  // Its one finite point (the initial loss) is drawn, in its colour.
  const loss = chartCanvas(page, 'chart-loss');
  expect((await canvasPixels(loss, [RUN_COLORS[0]])).matches[0]).toBeGreaterThan(20);

  const charts = ['chart-loss', 'chart-lr', 'chart-train-accuracy', 'chart-wall'];
  for (const testId of charts) {
    const markers = await markersOf(page, testId);
    expect(
      markers.map((m) => m.label),
      `${testId}: divergence markers`,
    ).toEqual(['Too fast']);
    const pixels = await pixelsNear(
      chartCanvas(page, testId),
      markers[0].left,
      markers[0].top,
      RUN_COLORS[0],
    );
    expect(pixels, `${testId}: the ✕ is drawn where the marker says`).toBeGreaterThan(10);
  }
  // On the step charts the ✕ is at the divergence step, at the last finite value.
  const [lossMarker] = await markersOf(page, 'chart-loss');
  expect(lossMarker.x).toBe(divergedAt);
  const initialLoss = (await runToSummary(assertSpec(irisSpec, defaultCatalog()))).summary!.runs[0]
    .initialLoss;
  expect(lossMarker.y).toBeCloseTo(initialLoss, 10);
  expect((await markersOf(page, 'chart-lr'))[0].y).toBe(1000);
  // In epochs: 10 steps an epoch (150 rows, minibatches of 16).
  await page.getByTestId('x-axis').selectOption('epoch');
  await expect
    .poll(async () => (await markersOf(page, 'chart-loss'))[0]?.x)
    .toBeCloseTo(divergedAt / 10, 10);
  await page.getByTestId('x-axis').selectOption('step');
  await expect(
    page.getByTestId('chart-loss').getByText('✕ Too fast diverged at step'),
  ).toBeVisible();
  await screenshot(page, 'defect-1-divergence');
});

test('2: the log axis fits the finite data, can ignore outliers, and labels ranges under a decade', async ({
  page,
}) => {
  await openFile(page, explodingLinear());
  await page.getByTestId('run-all').click();
  await waitForRuns(page, ['SGD'], /diverged/);
  await waitForRuns(page, ['Momentum', 'Adam'], /done/);
  const loss = chartCanvas(page, 'chart-loss');
  // Outliers ignored (the default): the runs that converge fill the plot instead of a flat line.
  await expect(page.getByTestId('ignore-outliers')).toBeChecked();
  const momentum = await rowsOf(loss, RUN_COLORS[1]);
  expect(momentum.bottom - momentum.top).toBeGreaterThan(0.4 * momentum.height);
  let ticks = (await yTicks(page, 'chart-loss')).map(Number);
  expect(ticks.length).toBeGreaterThanOrEqual(3);
  expect(Math.max(...ticks)).toBeLessThan(1000);
  await screenshot(page, 'defect-2-log-axis-outliers-ignored');
  // All the finite data: the axis reaches the explosion (2.3e12), still labelled.
  await page.getByTestId('ignore-outliers').uncheck();
  await expect
    .poll(async () => Math.max(...(await yTicks(page, 'chart-loss')).map(Number)))
    .toBeGreaterThan(1e11);
  ticks = (await yTicks(page, 'chart-loss')).map(Number);
  expect(ticks.length).toBeGreaterThanOrEqual(3);
  expect(ticks.every(Number.isFinite)).toBe(true);

  // SimpleNN's loss stays within 1.05–1.11 for 5 epochs: labelled ticks inside that range.
  const simple = example('simple-nn');
  simple.training['epochs'] = 5;
  await openFile(page, simple, 'simple-nn.json');
  await page.getByTestId('run-all').click();
  await waitForRuns(page, ['SGD', 'Adam', 'NAdam'], /done/);
  await expect
    .poll(async () => (await yTicks(page, 'chart-loss')).length)
    .toBeGreaterThanOrEqual(3);
  ticks = (await yTicks(page, 'chart-loss')).map(Number);
  expect(new Set(ticks).size).toBe(ticks.length);
  expect(Math.min(...ticks)).toBeGreaterThan(0.9);
  expect(Math.max(...ticks)).toBeLessThan(1.2);
  await screenshot(page, 'defect-2-log-axis-simple-nn');
  // The curves fill the plot's height rather than a flat line across a 1–10 axis.
  const extents = await Promise.all(RUN_COLORS.slice(0, 3).map((c) => rowsOf(loss, c)));
  const spread = Math.max(...extents.map((e) => e.bottom)) - Math.min(...extents.map((e) => e.top));
  expect(spread).toBeGreaterThan(0.4 * extents[0].height);
});

test('3: the shared cursor shows the same x, in the same unit, on every step chart', async ({
  page,
}) => {
  const simple = example('simple-nn');
  simple.training['epochs'] = 20;
  await openFile(page, simple, 'simple-nn.json');
  await page.getByTestId('run-all').click();
  await waitForRuns(page, ['SGD', 'Adam', 'NAdam'], /done/);
  await page.getByTestId('x-axis').selectOption('epoch');
  const over = page.getByTestId('chart-loss').locator('.u-over');
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  const loss = await legendX(page, 'chart-loss');
  expect(loss.label).toBe('epoch');
  expect(Number(loss.value)).toBeGreaterThan(5);
  for (const testId of ['chart-lr', 'chart-train-accuracy']) {
    expect(await legendX(page, testId), testId).toEqual(loss);
  }
  await screenshot(page, 'defect-3-cursor-epochs');
});

const irisCsv = (() => {
  // 4 numeric features and 3 classes, like Iris: too many features for a decision boundary.
  const rows = ['a,b,c,d,label'];
  for (let i = 0; i < 60; i++) {
    const k = i % 3;
    rows.push([k + (i % 5) / 10, 2 - k + (i % 7) / 10, (i % 4) / 3, k * 0.5, `c${k}`].join(','));
  }
  return rows.join('\n') + '\n';
})();

function csvSpec(dataset: Record<string, unknown>): Record<string, unknown> {
  return {
    version: 1,
    name: 'my-csv',
    task: { kind: 'classification', dataset: { type: 'csv', ...dataset }, model: { type: 'mlp' } },
    training: { epochs: 5, batchSize: 16 },
    runs: [
      { name: 'SGD', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu', seed: 0 },
      { name: 'Adam', optimizer: { type: 'Adam', lr: 0.01 }, backend: 'cpu', seed: 0 },
    ],
  };
}

test('4: the whole experiment is checked before any worker starts; each run’s error shows in Compare', async ({
  page,
}) => {
  // A CSV named by path only (the CLI reads it; the page cannot): refused before any run starts.
  await openFile(page, csvSpec({ path: 'data/flowers.csv' }), 'by-path.json');
  await page.getByTestId('run-all').click();
  const problems = page.getByTestId('problems').locator('li');
  await expect(problems).toHaveCount(1);
  await expect(problems.first()).toContainText('task.dataset.path');
  await expect(problems.first()).toContainText('choose the file');
  await expect(page.getByTestId('view-build')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('p.error[role=alert]')).toHaveCount(0);
  await screenshot(page, 'defect-4-problems');

  // A CSV that does not parse: the parser's message, with its line and column, once.
  await openFile(page, csvSpec({ text: 'a,b,label\n1,2,x\n3,oops,y\n' }), 'bad.json');
  await page.getByTestId('run-all').click();
  await expect(problems).toHaveCount(1);
  await expect(problems.first()).toContainText('task.dataset.text');
  await expect(problems.first()).toContainText('line 3');
  await showView(page, 'compare');
  for (const run of ['SGD', 'Adam']) expect(await cell(page, run, 'status')).toBe('idle');

  // A fixed experiment clears the problems.
  await openFile(page, csvSpec({ text: irisCsv }), 'good.json');
  await page.getByTestId('run-all').click();
  await expect(page.getByTestId('problems')).toHaveCount(0);
  await waitForRuns(page, ['SGD', 'Adam'], /done/);

  // Runs that failed (a saved experiment): Compare says why, per run.
  const failed = {
    format: 'optlab-lab-experiment',
    version: 1,
    savedAt: '2026-01-01T00:00:00.000Z',
    spec: csvSpec({ text: irisCsv }),
    results: ['SGD', 'Adam'].map((name) => ({
      name,
      status: 'error',
      error: 'the GPU backend could not start (WebGL2 is unavailable)',
      series: {},
      trajectory: [],
    })),
  };
  await openFile(page, failed, 'failed.json');
  await showView(page, 'compare');
  const runErrors = page.getByTestId('run-error');
  await expect(runErrors).toHaveCount(2);
  await expect(runErrors.nth(0)).toContainText('SGD: the GPU backend could not start');
  await expect(runErrors.nth(1)).toContainText('Adam: the GPU backend could not start');
  await expect(page.getByTestId('no-results')).toContainText('Every run failed');
  await screenshot(page, 'defect-4-run-errors');
});

test('5: diverged rows show “—” for the numbers of a NaN model; the best loss includes step 0', async ({
  page,
}) => {
  const spec = explodingLinear();
  const { summary } = await runToSummary(assertSpec(spec, defaultCatalog()));
  const initialLoss = summary!.runs[0].initialLoss;
  await openFile(page, spec);
  await page.getByTestId('run-all').click();
  await waitForRuns(page, ['SGD'], /diverged/);
  await waitForRuns(page, ['Momentum', 'Adam'], /done/);
  expect(Number(await cell(page, 'SGD', 'bestLoss'))).toBeCloseTo(initialLoss, 3);
  expect(await cell(page, 'SGD', 'epochsToConverge')).toBe('—');
  expect(Number(await cell(page, 'Momentum', 'epochsToConverge'))).toBe(
    summary!.runs[1].epochsToConverge,
  );

  await openFile(page, irisSpec, 'iris.json');
  await page.getByTestId('run-all').click();
  await waitForRuns(page, ['Too fast'], /diverged/);
  await waitForRuns(page, ['Steady'], /done/);
  for (const column of ['trainAccuracy', 'epochsToConverge']) {
    expect(await cell(page, 'Too fast', column), column).toBe('—');
  }
  expect(Number(await cell(page, 'Steady', 'trainAccuracy'))).toBeGreaterThan(0.5);
  await screenshot(page, 'defect-5-diverged-row');
});

test('6: the boundary view explains a 3-class, 4-feature CSV and says the runs finished', async ({
  page,
}) => {
  await openFile(page, csvSpec({ text: irisCsv }), 'csv.json');
  await showView(page, 'boundary');
  const message = page.getByTestId('paths-message');
  await expect(message).toContainText('csv has 4 features; the decision boundary is drawn for 2.');
  await page.getByTestId('run-all').click();
  await waitForRuns(page, ['SGD', 'Adam'], /done/);
  await showView(page, 'boundary');
  await expect(message).toContainText('csv has 4 features; the decision boundary is drawn for 2.');
  await expect(message).toContainText('Both runs finished');
  await expect(page.getByText('not run')).toHaveCount(0);
  await expect(page.getByText('class 0')).toHaveCount(0);
  await screenshot(page, 'defect-6-paths-csv');
});

test('7: the Open dialog takes focus (Escape and a click outside close it); Save as focuses its name', async ({
  page,
}) => {
  const name = page.getByTestId('experiment-name');
  await name.click();
  await page.keyboard.press('Control+o');
  const dialog = page.getByTestId('workspace-panel');
  await expect(dialog).toBeVisible();
  await expect(dialog).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  await name.click();
  await page.keyboard.press('Control+o');
  await expect(dialog).toBeFocused();
  await screenshot(page, 'defect-7-open-dialog');
  await page.mouse.click(20, 860);
  await expect(dialog).toHaveCount(0);
  // A click inside does not close it.
  await page.getByTestId('open').click();
  await dialog.locator('header strong').click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');

  await name.click();
  await page.keyboard.press('Control+Shift+S');
  await expect(page.getByTestId('save-as-name')).toBeFocused();
  await expect(page.getByTestId('save-as-name')).toHaveValue('New experiment');
});

test('8: “+ Add run” copies the experiment’s backend and seed; a badge says when runs differ in more', async ({
  page,
}) => {
  await openFile(page, example('linear-regression'), 'linear-regression.json');
  await expect(page.getByTestId('run-differences')).toHaveCount(0);
  await page.getByTestId('add-run').click();
  await expect(page.getByTestId('run-3-backend')).toHaveValue('cpu64');
  await expect(page.getByTestId('run-3-seed')).toHaveValue('0');
  await expect(page.getByTestId('run-differences')).toHaveCount(0);

  await page.getByTestId('run-3-backend').selectOption('cpu');
  const badge = page.getByTestId('run-differences');
  await expect(badge).toContainText('Runs differ in backend');
  await expect(badge).toHaveAttribute(
    'title',
    'backend: cpu64 (SGD, Momentum, Adam); cpu (Adam 2)',
  );
  await page.getByTestId('run-3-seed').fill('7');
  await page.getByTestId('run-3-seed').press('Tab');
  await expect(badge).toContainText('Runs differ in backend and seed');
  await screenshot(page, 'defect-8-add-run-badge');
  await showView(page, 'compare');
  await expect(page.getByTestId('run-differences')).toContainText(
    'Runs differ in backend and seed',
  );
});
