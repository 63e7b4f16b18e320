/**
 * The task form edits a cnn's list of layers (issue 13): examples/fmnist-2c2d.json's layers
 * (conv 5×5 'same' → relu → max-pool → conv → relu → max-pool → flatten → dense → relu → dense)
 * on the 8×8 digits as 1×8×8 images. A layer is changed, one is added, moved and removed, a bad
 * kernel size shows the spec check's error under its row, named by its JSON path, and once
 * fixed the network trains for one epoch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  cell,
  layoutProblems,
  openFromDisk,
  screenshot,
  showView,
  waitForRuns,
} from './helpers.js';

const EXAMPLE = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', '..', 'examples', 'fmnist-2c2d.json'), 'utf8'),
) as { task: { model: { layers: Record<string, unknown>[] } } };

const SPEC = {
  version: 1,
  name: 'cnn-digits-e2e',
  task: {
    kind: 'classification',
    dataset: { type: 'digits' },
    // The example's network as it is; the digits are one 8×8 channel (inputShape from the data).
    model: { ...EXAMPLE.task.model },
    testFraction: 0.2,
    standardize: true,
  },
  training: { epochs: 1, batchSize: 64, evalEvery: 1 },
  runs: [{ name: 'Adam', optimizer: { type: 'Adam', lr: 0.001 }, backend: 'cpu' }],
};

/** The layers of the draft as the page holds them. */
function draftLayers(page: Page): Promise<Record<string, unknown>[]> {
  return page.evaluate(
    () =>
      (
        window as unknown as {
          optlabDebug: {
            lab: { draft: { task: { model: { layers: Record<string, unknown>[] } } } };
          };
        }
      ).optlabDebug.lab.draft.task.model.layers,
  );
}

test.use({ viewport: { width: 1440, height: 900 } });

test("the cnn's layers are edited in the task form, checked live, and the network trains", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await openFromDisk(page, 'cnn-digits-e2e.json', SPEC);
  await expect(page.getByTestId('experiment-name')).toHaveValue('cnn-digits-e2e');

  const editor = page.getByTestId('layers-editor');
  const rows = editor.getByTestId('layer-row');
  await expect(rows).toHaveCount(10);
  expect(await rows.evaluateAll((r) => r.map((e) => e.getAttribute('data-type')))).toEqual(
    EXAMPLE.task.model.layers.map((l) => l['type']),
  );
  // The fields are the registry's: a conv layer has out, kernel, stride and padding.
  const conv = rows.nth(0);
  await expect(conv.locator('input')).toHaveCount(4);
  await expect(conv.getByTestId('layer-field-kernel')).toHaveValue('5');
  await expect(conv.getByTestId('layer-field-padding')).toHaveValue('same');
  await expect(rows.nth(2).getByTestId('layer-field-stride')).toHaveAttribute(
    'placeholder',
    'not set',
  );

  await screenshot(page, 'cnn-layers-form');
  // Nothing of the editor overlaps or is cut off, here and in a narrow window.
  expect(await layoutProblems(page)).toEqual([]);
  await page.setViewportSize({ width: 1024, height: 700 });
  // The toolbar refits (moves views into "More") once it has seen the new width: poll for it.
  await expect.poll(() => layoutProblems(page)).toEqual([]);
  await page.setViewportSize({ width: 1440, height: 900 });

  // Change a layer: the first conv gets 16 channels.
  await conv.getByTestId('layer-field-out').fill('16');
  await conv.getByTestId('layer-field-out').press('Tab');
  await expect
    .poll(async () => (await draftLayers(page))[0])
    .toEqual({
      type: 'conv2d',
      out: 16,
      kernel: 5,
      padding: 'same',
    });

  // Add a dropout at the end: the check names its missing p and the last layer that is not dense.
  await editor.getByTestId('layer-add-type').selectOption('dropout');
  await editor.getByTestId('layer-add').click();
  await expect(rows).toHaveCount(11);
  const added = rows.nth(10);
  await expect(added.getByTestId('layer-issues')).toContainText(
    'task.model.layers[10].p: is required',
  );
  await expect(added.getByTestId('layer-issues')).toContainText(
    'task.model.layers[10].type: the last layer must be dense',
  );
  await added.getByTestId('layer-field-p').fill('0.25');
  await added.getByTestId('layer-field-p').press('Tab');
  // Move it up before the logits, then remove it again.
  await added.getByTestId('layer-up').click();
  await expect
    .poll(async () => (await draftLayers(page)).slice(-3).map((l) => l['type']))
    .toEqual(['relu', 'dropout', 'dense']);
  await expect(rows.nth(9)).toHaveAttribute('data-type', 'dropout');
  await expect(editor.getByTestId('layer-issues')).toHaveCount(0);
  await rows.nth(9).getByTestId('layer-remove').click();
  await expect(rows).toHaveCount(10);
  expect((await draftLayers(page)).map((l) => l['type'])).toEqual(
    EXAMPLE.task.model.layers.map((l) => l['type']),
  );

  // A bad kernel size on the second conv: text of the wrong shape is refused in the field, a
  // size of 0 is the spec check's error, named by its path; Run all is refused meanwhile.
  const second = rows.nth(3);
  const kernel = second.getByTestId('layer-field-kernel');
  await kernel.fill('five');
  await kernel.press('Tab');
  await expect(second.getByTestId('layer-issues')).toContainText(
    'task.model.layers[3].kernel: must be an integer or "height, width", got "five"',
  );
  await kernel.fill('0');
  await kernel.press('Tab');
  await expect(second.getByTestId('layer-issues')).toContainText(
    'task.model.layers[3].kernel: must be ≥ 1, got 0',
  );
  await expect(kernel).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'cnn-layers-bad-kernel');
  // A kernel larger than the layer's 4×4 input (after the first pooling), without padding.
  await second.getByTestId('layer-field-padding').fill('');
  await second.getByTestId('layer-field-padding').press('Tab');
  await kernel.fill('7');
  await kernel.press('Tab');
  await expect(second.getByTestId('layer-issues')).toContainText(
    'task.model.layers[3].kernel: kernel 7×7 is larger than its input 4×4',
  );
  // Fixed: 3×3 with 'same' padding.
  await kernel.fill('3');
  await kernel.press('Tab');
  await second.getByTestId('layer-field-padding').fill('same');
  await second.getByTestId('layer-field-padding').press('Tab');
  await expect(editor.getByTestId('layer-issues')).toHaveCount(0);
  await expect(page.getByTestId('task-issues')).toHaveCount(0);
  expect((await draftLayers(page))[3]).toEqual({
    type: 'conv2d',
    out: 64,
    kernel: 3,
    padding: 'same',
  });

  // One epoch on the digits.
  await page.getByTestId('run-all').click();
  await showView(page, 'compare');
  await waitForRuns(page, ['Adam'], /done/);
  const epochs = await page.evaluate(() => {
    const { lab } = (
      window as unknown as {
        optlabDebug: {
          lab: {
            draft: { runs: { id: string }[] };
            results: Record<string, { series: { epoch: number[] } }>;
          };
        };
      }
    ).optlabDebug;
    const epoch = lab.results[lab.draft.runs[0].id].series.epoch;
    return epoch[epoch.length - 1];
  });
  expect(epochs).toBe(1);
  const accuracy = Number((await cell(page, 'Adam', 'testAccuracy')).replace('%', ''));
  expect(accuracy).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});
