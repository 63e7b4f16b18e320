/**
 * The toolbar stays on one row at any width (issue 15, small screens): what does not fit moves to
 * a "More" menu, every command and view stays reachable there, and the row fills again when the
 * window widens. Which entries move is measured, not listed, so new views join in by themselves.
 */
import { expect, test, type Page } from '@playwright/test';
import { layoutProblems, toolbarClick } from './helpers.js';

/** Test ids of the entries on the row, in the menu (opened), and of every entry there is. */
async function entries(page: Page): Promise<{ row: string[]; menu: string[]; all: string[] }> {
  const toolbar = page.getByTestId('toolbar');
  const ids = (locator: ReturnType<Page['locator']>) =>
    locator.evaluateAll((els) =>
      els.map((el) => el.getAttribute('data-testid') ?? el.getAttribute('data-id') ?? ''),
    );
  const row = await ids(toolbar.locator(':scope > button[data-testid], :scope > nav > button'));
  let menu: string[] = [];
  if (await page.getByTestId('toolbar-more').isVisible()) {
    await page.getByTestId('toolbar-more').click();
    menu = await ids(page.getByTestId('toolbar-menu').locator('button'));
    await page.keyboard.press('Escape');
  }
  const all = await ids(
    page.getByTestId('toolbar-measure').locator('[data-id]:not([data-id=more])'),
  );
  return { row, menu, all };
}

test('one row at 1024 px with the rest in “More”; all on the row at 2560 px', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto('/');
  const narrow = await entries(page);
  expect(narrow.menu.length, 'some entries moved to the menu').toBeGreaterThan(0);
  // Every entry is somewhere, once; the run controls and the open view stay on the row.
  expect([...narrow.row, ...narrow.menu].sort()).toEqual([...narrow.all].sort());
  for (const id of ['run-all', 'stop-all', 'pause-all', 'view-build'])
    expect(narrow.row).toContain(id);
  expect(await layoutProblems(page)).toEqual([]);
  const height = (await page.getByTestId('toolbar').boundingBox())!.height;
  expect(height).toBeLessThan(50);

  // A command from the menu works, and the menu closes on a click outside.
  await toolbarClick(page, 'view-sweep');
  await expect(page.locator('[data-testid=view-sweep][aria-selected=true]')).toHaveCount(1);
  await page.getByTestId('toolbar-more').click();
  await expect(page.getByTestId('toolbar-menu')).toBeVisible();
  await page.locator('main').click({ position: { x: 5, y: 5 } });
  await expect(page.getByTestId('toolbar-menu')).toHaveCount(0);

  // Ten views and the file and run controls fit on one row of a 2560 px screen (not of 1920 px).
  await page.setViewportSize({ width: 2560, height: 900 });
  await expect(page.getByTestId('toolbar-more')).toHaveCount(0);
  const wide = await entries(page);
  expect(wide.menu).toEqual([]);
  expect(wide.row).toHaveLength(wide.all.length);
});
