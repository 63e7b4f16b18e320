/**
 * Every view at two window sizes, 1440×900 and 1024×700: a full-page screenshot of each, and the
 * layout checked as a user would see it (helpers.ts `layoutProblems`: no sideways scrolling, a
 * one-row toolbar, nothing overlapping, no label or control cut off). The views are read from the
 * toolbar itself, so a view added later is screenshotted and checked without changing this file.
 *
 * Screenshots: apps/lab/test-results/screens/views/<view>-<width>x<height>.png (CI keeps
 * apps/lab/test-results as an artifact: .ci/run).
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  layoutProblems,
  openPreset,
  screenshot,
  showView,
  toolbarClick,
  toolbarViews,
  waitForCards,
  waitForRuns,
} from './helpers.js';

const PROFILE_FIXTURES = join(import.meta.dirname, 'fixtures', 'profiles', 'bench');

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
];

async function shoot(
  page: Page,
  name: string,
  size: { width: number; height: number },
): Promise<void> {
  const path = await screenshot(page, `views/${name}-${size.width}x${size.height}`);
  expect
    .soft(await layoutProblems(page), `${name} at ${size.width}×${size.height} (${path})`)
    .toEqual([]);
}

for (const size of SIZES) {
  test(`every view at ${size.width}×${size.height}: screenshotted, nothing overlaps or is cut off`, async ({
    page,
  }) => {
    test.setTimeout(300_000);
    // Each page error is named with the view that was open, so a failure says where to look.
    const errors: string[] = [];
    let current = 'start';
    page.on('pageerror', (error) => errors.push(`${current}: ${error.message}`));
    await page.setViewportSize(size);
    await page.goto('/');

    // The first visit: the guided start above the form.
    await expect(page.getByTestId('start-card')).toHaveCount(3);
    await shoot(page, 'start', size);

    // A start card: Rosenbrock's paths beside the form.
    await page.locator('[data-testid=start-card][data-preset=lbfgs-rosenbrock]').click();
    await waitForCards(page, 3);
    await expect(page.getByTestId('beside')).toBeVisible();
    await expect(page.getByTestId('contour')).toBeVisible();
    await shoot(page, 'paths-beside-form', size);

    // Each view on its own.
    await toolbarClick(page, 'form-beside');
    await expect(page.getByTestId('beside')).toHaveCount(0);
    await showView(page, 'paths');
    await expect(page.getByTestId('contour')).toBeVisible();
    await shoot(page, 'paths', size);

    // The other views with a trained 2-D classifier (boundaries, accuracy charts, the table).
    await openPreset(page, 'moons-boundary');
    await toolbarClick(page, 'run-all');
    await showView(page, 'compare');
    await waitForRuns(page, ['SGD', 'Adam']);
    const views = await toolbarViews(page);
    expect(views).toEqual(
      expect.arrayContaining([
        'build',
        'compare',
        'paths',
        'boundary',
        'benchmark',
        'sweep',
        'profile',
      ]),
    );
    for (const view of views.filter((v) => v !== 'paths')) {
      current = view;
      await showView(page, view);
      if (view === 'boundary') await expect(page.getByTestId('boundary-canvas')).toHaveCount(2);
      if (view === 'compare') await expect(page.getByTestId('chart-loss')).toBeVisible();
      await shoot(page, view, size);
    }

    // The performance profiles with the CLI's result files loaded (e2e/fixtures/profiles).
    current = 'profile (loaded)';
    await showView(page, 'profile');
    await page.getByTestId('profile-folder').setInputFiles(PROFILE_FIXTURES);
    await expect(page.getByTestId('profile-chart-steps')).toBeVisible();
    await shoot(page, 'profile-loaded', size);

    // The toolbar's "More" menu, open, when the row is too narrow for everything.
    if (await page.getByTestId('toolbar-more').isVisible()) {
      await page.getByTestId('toolbar-more').click();
      await expect(page.getByTestId('toolbar-menu')).toBeVisible();
      await screenshot(page, `views/toolbar-menu-${size.width}x${size.height}`);
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('toolbar-menu')).toHaveCount(0);
    }
    expect(errors).toEqual([]);
  });
}
