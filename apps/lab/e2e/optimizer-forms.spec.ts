/**
 * Forms generated for the new optimizers (issue 11) with the one option model (issue 9): pick
 * them in a preset's runs, fill what they need, run them all on the CPU and the GPU, and see each
 * finish in the results table. LBFGS and SAM get their forms checked (closure label, SAM's base
 * picker and the base's options) and run from them: the runner drives closure optimizers, and
 * LBFGS with strong Wolfe reaches the least-squares weights.
 * Then the CSV picker: one picker, invalid UTF-8 and parser errors named beside it.
 */
import { expect, test, type Page } from '@playwright/test';
import { assertSpec, defaultCatalog, runToSummary } from '@optlab/experiment';
import { toSpec, type ExperimentDraft } from '../src/renderer/src/lib/draft.js';
import {
  cell,
  deviceOf,
  numbersIn,
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

test.describe.configure({ mode: 'serial' });

test.describe('optimizer forms in the lab', () => {
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

  test('closure optimizers are labelled; SAM picks a base and shows its options', async () => {
    await openPreset(page, 'linear-regression');
    await page.getByTestId('run-0-optimizer').selectOption('LBFGS');
    await expect(page.getByTestId('run-0-closure')).toHaveText('closure optimizer');
    await expect(page.getByTestId('run-0-opt-maxEval')).toHaveAttribute('placeholder', 'not set');
    await expect(page.getByTestId('run-0-opt-lineSearchFn')).toHaveValue('');
    await page.getByTestId('run-0-opt-lineSearchFn').selectOption('strong_wolfe');

    await page.getByTestId('run-1-optimizer').selectOption('SAM');
    await expect(page.getByTestId('run-1-closure')).toBeVisible();
    await expect(page.getByTestId('run-1-opt-base')).toHaveValue('SGD');
    await page.getByTestId('run-1-opt-base').selectOption('Adam');
    const base = page.getByTestId('run-1-base-options');
    await expect(base).toContainText("Adam's options");
    await expect(page.getByTestId('run-1-base-lr')).toHaveAttribute('placeholder', '0.001');
    await expect(page.getByTestId('run-1-base-betas')).toHaveAttribute('placeholder', '0.9, 0.999');
    await page.getByTestId('run-1-opt-rho').fill('0.1');
    // Adadelta's rho is SAM's own name: the base's is left out and the legend says why.
    await page.getByTestId('run-1-opt-base').selectOption('Adadelta');
    await expect(base).toContainText("Adadelta's options (rho: SAM's own takes the name)");
    await expect(page.getByTestId('run-1-base-rho')).toHaveCount(0);
    await expect(page.getByTestId('run-1-opt-rho')).toHaveValue('0.1');
    await page.getByTestId('run-1-opt-base').selectOption('Adam');

    // Plain optimizers carry no closure label; internal options sit in the advanced fold.
    await expect(page.getByTestId('run-2-closure')).toHaveCount(0);
    await expect(page.getByTestId('run-2-opt-maximize')).toBeHidden();
    await page.getByTestId('run-2-opt-advanced').locator('summary').click();
    await expect(page.getByTestId('run-2-opt-maximize')).toBeVisible();

    // The spec check (in a worker, after the edits settle) finds nothing wrong with either form.
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            (window as unknown as { optlabDebug: { lab: { check: { issues: unknown[] } | null } } })
              .optlabDebug.lab.check?.issues.length,
        ),
      )
      .toBe(0);
    await expect(page.getByTestId('run-0-issues')).toHaveCount(0);
    await expect(page.getByTestId('run-1-issues')).toHaveCount(0);
    await screenshot(page, 'forms-01-closure');

    // Both run from their forms, beside the preset's Adam.
    await rename(page, 0, 'LBFGS');
    await rename(page, 1, 'SAM');
    await page.getByTestId('run-all').click();
    await expect(page.getByTestId('view-compare')).toHaveAttribute('aria-selected', 'true');
    await waitForRuns(page, ['LBFGS', 'SAM', 'Adam'], /done|diverged|error|stopped/);
    for (const run of ['LBFGS', 'SAM']) expect(await cell(page, run, 'status'), run).toBe('done');
    // A convex quadratic: LBFGS with strong Wolfe lands on the least-squares solution.
    const weights = numbersIn(await cell(page, 'LBFGS', 'finalWeights'));
    const leastSquares = numbersIn(await cell(page, 'LBFGS', 'leastSquares'));
    expect(weights).toHaveLength(leastSquares.length);
    weights.forEach((w, i) => expect(Math.abs(w - leastSquares[i])).toBeLessThan(1e-3));
    // The numbers are the runner's in Node (the CLI's) for the same spec, to the table's digits.
    const draft: ExperimentDraft = await page.evaluate(() =>
      JSON.parse(
        JSON.stringify(
          (window as unknown as { optlabDebug: { lab: { draft: unknown } } }).optlabDebug.lab.draft,
        ),
      ),
    );
    const { summary } = await runToSummary(assertSpec(toSpec(draft), defaultCatalog()));
    for (const run of ['LBFGS', 'SAM']) {
      const reference = summary!.runs.find((m) => m.run === run)!;
      expect(reference.evaluations, `${run} evaluates more than once a step`).toBeGreaterThan(
        reference.steps,
      );
      const shown = Number(await cell(page, run, 'finalLoss'));
      expect(Math.abs(shown - reference.finalLoss) / reference.finalLoss, run).toBeLessThan(1e-4);
      expect(shown, `${run} trains`).toBeLessThan(reference.initialLoss);
    }
    await screenshot(page, 'forms-01b-closure-results');
  });

  test('Prodigy, Adan, Muon, AdEMAMix and AdafactorHF run from their forms on CPU and GPU', async () => {
    await openPreset(page, 'linear-regression');
    await page.getByTestId('add-run').click();
    await page.getByTestId('add-run').click();
    await expect(page.getByTestId('run-4')).toBeVisible();

    await page.getByTestId('run-0-optimizer').selectOption('Prodigy');
    await rename(page, 0, 'Prodigy');
    // Its lr multiplies the estimated step: SGD's 0.01 is not carried over to it.
    await expect(page.getByTestId('run-0-opt-lr')).toHaveValue('1');
    // Prodigy's beta3 and growthRate are optional with no default: shown as such, left empty.
    await expect(page.getByTestId('run-0-opt-beta3')).toHaveAttribute('placeholder', 'not set');
    await expect(page.locator('#run-0-opt-beta3-hint')).toHaveText('optional, no default');
    await page.getByTestId('run-0-backend').selectOption('gpu');
    await page.getByTestId('run-0-gpu-mode').selectOption('webgl2');

    await page.getByTestId('run-1-optimizer').selectOption('Adan');
    await rename(page, 1, 'Adan');
    const betas = page.getByTestId('run-1-opt-betas');
    await expect(betas).toHaveValue('0.98, 0.92, 0.99');
    await betas.fill('0.98, 0.92');
    await expect(page.locator('#run-1-opt-betas-hint')).toHaveText(
      'betas must list at least 3 numbers, got [0.98,0.92]',
    );
    await expect(betas).toHaveAttribute('aria-invalid', 'true');
    await betas.fill('0.98, 0.92, 0.995');
    await expect(betas).toHaveAttribute('aria-invalid', 'false');

    await page.getByTestId('run-2-optimizer').selectOption('Muon');
    await rename(page, 2, 'Muon');
    await expect(page.getByTestId('run-2-opt-lr')).toHaveValue('0.01');
    await expect(page.getByTestId('run-2-opt-adjustLrFn')).toHaveValue('');

    await page.getByTestId('run-3-optimizer').selectOption('AdEMAMix');
    await rename(page, 3, 'AdEMAMix');
    await page.getByTestId('run-3-opt-lr').fill('0.05');
    await page.getByTestId('run-3-backend').selectOption('cpu');

    // Hugging Face's Adafactor: lr optional, not set (relative steps). It used to be forced.
    await page.getByTestId('run-4-optimizer').selectOption('AdafactorHF');
    await rename(page, 4, 'AdafactorHF');
    await page.getByTestId('run-4-backend').selectOption('cpu');
    await expect(page.getByTestId('run-4-opt-lr')).toHaveValue('');
    await expect(page.getByTestId('run-4-opt-lr')).toHaveAttribute('placeholder', 'not set');
    await expect(page.getByTestId('run-4-opt-lr')).toHaveAttribute('aria-invalid', 'false');
    await screenshot(page, 'forms-02-runs');

    const runs = ['Prodigy', 'Adan', 'Muon', 'AdEMAMix', 'AdafactorHF'];
    await page.getByTestId('run-all').click();
    await expect(page.getByTestId('view-compare')).toHaveAttribute('aria-selected', 'true');
    await waitForRuns(page, runs, /done|diverged|error|stopped/);
    for (const run of runs) expect(await cell(page, run, 'status'), run).toBe('done');
    // (Headless Chromium's WebGL2 is SwiftShader: the label carries the software-GPU warning.)
    expect(await cell(page, 'Prodigy', 'device')).toMatch(/^gpu webgl2\b/);
    expect(await deviceOf(page, 'Prodigy')).toContain('webgl2');
    // The preset's runs are on cpu64 (added runs share it); two are moved to float32 (wasm simd).
    for (const run of ['Adan', 'Muon']) {
      expect(await cell(page, run, 'device')).toBe('cpu64');
      expect(await deviceOf(page, run)).toContain('cpu float64');
    }
    for (const run of ['AdEMAMix', 'AdafactorHF']) {
      expect(await cell(page, run, 'device')).toBe('cpu');
      expect(await deviceOf(page, run)).toBe('cpu float32 (wasm simd)');
    }
    await screenshot(page, 'forms-03-results');
  });

  test('one CSV picker: invalid UTF-8 and a bad cell are named beside it', async () => {
    await showView(page, 'build');
    await page.getByTestId('task-kind').selectOption('classification');
    await page.getByTestId('task-dataset').selectOption('csv');
    const task = page.getByRole('region', { name: 'Task' });
    await expect(task.locator('input[type=file]')).toHaveCount(1);
    await expect(page.getByTestId('csv-status')).toContainText('No data yet');
    await expect(page.getByTestId('task-issues')).toContainText(
      'task.dataset.text: the CSV contents are required',
    );
    const picker = page.getByTestId('csv-file');

    const latin1 = Buffer.concat([
      Buffer.from('x,y,label\n1,2,caf'),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    await picker.setInputFiles({ name: 'latin1.csv', mimeType: 'text/csv', buffer: latin1 });
    await expect(page.getByTestId('csv-error')).toHaveText(
      'latin1.csv: invalid UTF-8 at byte 17 (save the file as UTF-8)',
    );

    const ragged = 'x,y,label\n1,2,a\n3,oops,b\n';
    await picker.setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(ragged),
    });
    await expect(page.getByTestId('csv-error')).toContainText('line 3');
    await expect(page.getByTestId('csv-error')).toContainText('column 2');

    const good = 'x,y,label\n1,2,a\n3,4,b\n5,6,a\n7,8,b\n';
    await picker.setInputFiles({
      name: 'good.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(good),
    });
    await expect(page.getByTestId('csv-status')).toHaveText(
      'good.csv (34 bytes): 4 rows · 2 features · 2 classes',
    );
    await expect(page.getByTestId('task-issues')).toHaveCount(0);
    await expect(page.getByTestId('csv-text')).toHaveValue(good);
    await screenshot(page, 'forms-04-csv');
  });
});
