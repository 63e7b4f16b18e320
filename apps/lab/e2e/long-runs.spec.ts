/**
 * Long runs (issue 13 part 7, issue 15 improvement 6): before a run that may take long starts,
 * its estimated time from a quick calibration, with how it was estimated; while runs train, a
 * progress bar with the time left per run and for Run all, updating, for dataset tasks, 2-D
 * function tasks and comparisons (sweeps) alike. The estimator's arithmetic is tested as a unit
 * (test/time-estimate.test.ts); this checks what a user sees.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { screenshot, showView } from './helpers.js';

async function digitsTask(page: Page, epochs: number, batch: number): Promise<void> {
  await page.goto('/');
  await showView(page, 'build');
  await page.getByTestId('task-kind').selectOption('classification');
  await page.getByTestId('task-dataset').selectOption('digits');
  await setTraining(page, 'epochs', epochs);
  await page.getByTestId('training-batch').fill(String(batch));
  await page.getByTestId('training-batch').dispatchEvent('change');
}

async function setTraining(page: Page, mode: 'epochs' | 'steps', count: number): Promise<void> {
  await page.getByTestId('training-mode').selectOption(mode);
  await page.getByTestId('training-count').fill(String(count));
  await page.getByTestId('training-count').dispatchEvent('change');
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Seconds in a "about 1 min 05 s left" text. */
function secondsIn(text: string): number {
  const m = /about (?:(\d+) h )?(?:(\d+) min )?(?:(\d+) s|(\d+) ms)? left/.exec(text);
  if (!m) return Number.NaN;
  return (
    (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0) + Number(m[4] ?? 0) / 1000
  );
}

/** Waits for a time-left text, then for a different one (it updates while the run trains). */
async function expectTimeLeftUpdates(locator: Locator): Promise<[string, string]> {
  await expect(locator).toHaveText(/about .+ left/, { timeout: 60_000 });
  const first = await locator.innerText();
  await expect.poll(async () => locator.innerText(), { timeout: 30_000 }).not.toBe(first);
  await expect(locator).toHaveText(/about .+ left|estimating/);
  return [first, await locator.innerText()];
}

test('a run that may take long shows its estimated time before it starts, and how', async ({
  page,
}) => {
  // Digits (1,797 images of 8×8), batch 32: 57 updates an epoch.
  await digitsTask(page, 100, 32);
  const total = page.getByTestId('estimate-total');
  // Unasked: the spec says these runs may take long.
  await expect(total).toHaveText(/^≈ .+ for Run all \(3 runs side by side on \d+ cores?\)$/, {
    timeout: 60_000,
  });
  const runs = page.getByTestId('estimate-run');
  await expect(runs).toHaveCount(3);
  for (const [i, name] of ['SGD', 'Momentum', 'Adam'].entries()) {
    expect(oneLine(await runs.nth(i).innerText())).toMatch(
      new RegExp(
        `^${name}: ≈ .+ = data .+ \\+ warm-up 500 ms \\+ 5,700 updates × .+ \\+ 101 evaluations × .+$`,
      ),
    );
  }
  expect(oneLine(await page.getByTestId('estimate-how').innerText())).toMatch(
    /^How: a worker prepared the data once, then started each run, timed its first evaluation and \d+ updates for up to a second/,
  );
  await screenshot(page, 'long-runs-01-estimate');

  // Half the epochs: estimated again, unasked.
  await setTraining(page, 'epochs', 50);
  await expect(runs.first()).toContainText('2,850 updates', { timeout: 60_000 });
  await expect(runs.first()).toContainText('51 evaluations');

  // A quick experiment is not estimated unasked, but can be on the button.
  await setTraining(page, 'epochs', 2);
  await expect(page.getByTestId('estimate-none')).toHaveText(
    'Not estimated (this experiment looks quick).',
  );
  await page.getByTestId('estimate-button').click();
  await expect(runs.first()).toContainText('114 updates', { timeout: 60_000 });
  await expect(runs.first()).toContainText('3 evaluations');
});

test('while runs train: a progress bar with the time left per run and for Run all, updating', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await digitsTask(page, 300, 16);
  await page.getByTestId('run-all').click();
  await showView(page, 'compare');
  await expect(page.getByTestId('runs-progress')).toBeVisible();
  await expect(page.getByTestId('run-progress')).toHaveCount(3);
  const [before, after] = await expectTimeLeftUpdates(page.getByTestId('all-time-left'));
  expect(before).toMatch(/^\d+% · about .+ left$/);
  expect(secondsIn(before)).toBeGreaterThan(0);
  expect(Number.isFinite(secondsIn(after)) || /estimating/.test(after)).toBe(true);
  await expect(page.getByTestId('run-time-left')).toHaveCount(3);
  await expect(page.getByTestId('run-time-left').first()).toHaveText(/about .+ left|estimating/);
  const progress = page.getByTestId('all-progress');
  const p0 = Number(await progress.getAttribute('value'));
  await expect.poll(async () => Number(await progress.getAttribute('value'))).toBeGreaterThan(p0);
  await screenshot(page, 'long-runs-02-time-left');

  // The Build view's run cards show each run's time left beside its bar.
  await showView(page, 'build');
  await expectTimeLeftUpdates(page.getByTestId('run-1-time-left'));

  // Paused: the time left waits with the run.
  await page.getByTestId('pause-all').click();
  await expect(page.getByTestId('run-1-time-left')).toHaveText(/^paused/);
  await page.getByTestId('stop-all').click();
  await expect(page.getByTestId('run-1-time-left')).toHaveCount(0);
});

test('every kind of run: a 2-D function task and one long epoch of a dataset show their time left', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await showView(page, 'build');
  // Rosenbrock (the new experiment), one run of many steps. (Three runs of 50,000 points each
  // are more than the charts keep up with on a busy machine.)
  // Down to one run (its Remove button is disabled once it is the last).
  const remove = page.getByRole('button', { name: 'Remove run' });
  while ((await remove.count()) > 1) await remove.first().click();
  await setTraining(page, 'steps', 40_000);
  await page.getByTestId('run-0-run').click();
  await expect(page.getByTestId('run-0-time-left')).toHaveText(/about .+ left/, {
    timeout: 60_000,
  });
  await page.getByTestId('stop-all').click();

  // Digits, 30 epochs of batch 1 evaluated once, at the end: tens of thousands of updates and no
  // event before, so the time left comes from the progress the runner reports between events
  // (onProgress). Long enough that the run is still going when the test stops it, even on a
  // quiet machine (4 epochs finished before the Stop click there).
  await page.getByTestId('task-kind').selectOption('classification');
  await page.getByTestId('task-dataset').selectOption('digits');
  await setTraining(page, 'epochs', 30);
  await page.getByLabel('Evaluate every').fill('30');
  await page.getByLabel('Evaluate every').dispatchEvent('change');
  await page.getByTestId('training-batch').fill('1');
  await page.getByTestId('training-batch').dispatchEvent('change');
  await page.getByTestId('run-0-run').click();
  const left = page.getByTestId('run-0-time-left');
  await expectTimeLeftUpdates(left);
  await screenshot(page, 'long-runs-03-one-epoch');
  await expect(page.getByTestId('stop-all')).toBeEnabled();
  await page.getByTestId('stop-all').click();
});
