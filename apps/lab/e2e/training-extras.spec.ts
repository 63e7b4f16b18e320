/**
 * A run card's "Training extras" (issue 11): turn on Lookahead and gradient clipping for a run of
 * a preset, see the spec the page runs carry them, run it to the end and find the runner's label
 * of the wrapped optimizer in the results; a bad extra is named on the card by its JSON path.
 */
import { expect, test } from '@playwright/test';
import { toSpec, type ExperimentDraft } from '../src/renderer/src/lib/draft.js';
import { cell, screenshot, selectPreset, waitForRuns, showView } from './helpers.js';

test('Lookahead and clipping from the extras fold run to done, labelled Lookahead(…)', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await showView(page, 'build');
  await selectPreset(page, 'moons-boundary');
  await expect(page.getByTestId('experiment-name')).toHaveValue('moons-boundary');

  const extras = page.getByTestId('run-1-extras');
  await extras.locator('summary').click();
  await page.getByTestId('run-1-lookahead').check();
  await page.getByTestId('run-1-lookahead-k').fill('3');
  await page.getByTestId('run-1-clip-norm-maxNorm').fill('1');
  await page.getByTestId('run-1-clip-value-clipValue').fill('0.5');
  await expect(extras.locator('summary')).toHaveText('Training extras (Lookahead, clipping)');

  // SWA without its start: the validator's message, with its JSON path, on the card.
  await page.getByTestId('run-1-averaging').selectOption('swa');
  await expect(page.getByTestId('run-1-issues')).toHaveText('runs[1].averaging.start: is required');
  await page.getByTestId('run-1-averaging').selectOption('');
  await expect(page.getByTestId('run-1-issues')).toHaveCount(0);

  const draft: ExperimentDraft = await page.evaluate(() =>
    JSON.parse(
      JSON.stringify(
        (window as unknown as { optlabDebug: { lab: { draft: unknown } } }).optlabDebug.lab.draft,
      ),
    ),
  );
  const runs = toSpec(draft)['runs'] as Record<string, unknown>[];
  expect(runs[1]).toEqual({
    name: 'Adam',
    optimizer: { type: 'Adam', lr: 0.01 },
    backend: 'cpu',
    lookahead: { k: 3 },
    clipGradNorm: { maxNorm: 1 },
    clipGradValue: { clipValue: 0.5 },
  });
  expect(Object.keys(runs[0]).sort()).toEqual(['backend', 'name', 'optimizer']);
  await screenshot(page, 'extras-01-form');

  await page.getByTestId('run-1-run').click();
  await showView(page, 'compare');
  await waitForRuns(page, ['Adam'], /done|diverged|error|stopped/);
  expect(await cell(page, 'Adam', 'status')).toBe('done');
  const label = page.locator('[data-testid=result-row][data-run="Adam"] [data-col=optimizer]');
  await expect(label).toHaveAttribute(
    'title',
    'Lookahead(Adam(lr=0.01), k=3) + clipGradValue(0.5) + clipGradNorm(1)',
  );
  await screenshot(page, 'extras-02-results');
  expect(errors, 'uncaught errors in the page').toEqual([]);
});
