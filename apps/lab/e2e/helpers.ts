/** Helpers for the lab's end-to-end tests: screenshots, canvas pixels, table cells. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

export const SCREENSHOTS = join(import.meta.dirname, '..', 'test-results', 'screens');
mkdirSync(SCREENSHOTS, { recursive: true });

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOTS, `${name}.png`);
  // From the top, so the sticky toolbar is drawn at the top of the full-page image.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The run colours of src/renderer/src/lib/palette.ts, in run order. */
export const RUN_COLORS = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#d55e00',
  '#56b4e9',
  '#7f7f7f',
  '#b8a000',
];

/** The first class colours of src/renderer/src/lib/boundary.ts (decision boundaries). */
export const CLASS_COLORS = ['#d55e00', '#0072b2'];

export interface CanvasPixels {
  width: number;
  height: number;
  /** Pixels that are not (nearly) the background colour. */
  drawn: number;
  /** Per colour asked for: how many pixels are within a small distance of it. */
  matches: number[];
}

/** Reads a canvas's pixels in the page and counts drawn pixels and pixels of each colour. */
export async function canvasPixels(
  canvas: Locator,
  colors: readonly string[] = [],
): Promise<CanvasPixels> {
  return canvas.evaluate((element, hexes) => {
    const c = element as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const targets = hexes.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
    const matches = targets.map(() => 0);
    const [r0, g0, b0, a0] = [data[0], data[1], data[2], data[3]];
    let drawn = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (Math.abs(r - r0) + Math.abs(g - g0) + Math.abs(b - b0) + Math.abs(a - a0) > 24) drawn++;
      targets.forEach(([tr, tg, tb], k) => {
        if (a > 200 && Math.abs(r - tr) + Math.abs(g - tg) + Math.abs(b - tb) < 40) matches[k]++;
      });
    }
    return { width: c.width, height: c.height, drawn, matches };
  }, colors);
}

/** The text of one table cell of a run's row (`data-col` names the column). */
export async function cell(page: Page, run: string, column: string): Promise<string> {
  return (
    await page
      .locator(`[data-testid=result-row][data-run="${run}"] [data-col=${column}]`)
      .innerText()
  ).trim();
}

/** The device string a run reports (the tooltip of its backend label in the results table). */
export async function deviceOf(page: Page, run: string): Promise<string> {
  const label = page.locator(
    `[data-testid=result-row][data-run="${run}"] [data-col=device] [data-device]`,
  );
  return (await label.getAttribute('title')) ?? '';
}

export function numbersIn(text: string): number[] {
  return text.split(',').map((s) => Number(s.trim()));
}

/** Waits until every row of the results table has left queued/running. */
export async function waitForRuns(
  page: Page,
  runs: readonly string[],
  status = /done|diverged/,
): Promise<void> {
  for (const run of runs) {
    await page
      .locator(`[data-testid=result-row][data-run="${run}"] [data-col=status]`)
      .filter({ hasText: status })
      .waitFor({ timeout: 90_000 });
  }
}

/** Picks a preset in Build (switching to Build first) and waits until it is loaded. */
export async function openPreset(page: Page, name: string): Promise<void> {
  await showView(page, 'build');
  await selectPreset(page, name);
}

/**
 * Picks a preset by its spec name (the menu lists human titles; each option carries the name in
 * `data-name`) and waits until it is loaded.
 */
export async function selectPreset(page: Page, name: string): Promise<void> {
  const select = page.getByTestId('preset-select');
  const value = await select.locator(`option[data-name="${name}"]`).getAttribute('value');
  expect(value, `a preset named ${name}`).toBeTruthy();
  await select.selectOption(value!);
  await expect(page.getByTestId('experiment-name')).toHaveValue(name);
}

/**
 * Clicks a toolbar command or view (`data-testid`), through the "More" menu when the narrow
 * toolbar moved it there.
 */
export async function toolbarClick(page: Page, testId: string): Promise<void> {
  const onRow = page.getByTestId('toolbar').locator(`:scope > button[data-testid="${testId}"], nav > button[data-testid="${testId}"]`);
  if (await onRow.isVisible()) return onRow.click();
  await page.getByTestId('toolbar-more').click();
  await page.getByTestId('toolbar-menu').getByTestId(testId).click();
}

/** Opens a view from the toolbar (or its "More" menu). */
export async function showView(page: Page, view: string): Promise<void> {
  await toolbarClick(page, `view-${view}`);
  await expect(page.locator(`[data-testid="view-${view}"][aria-selected=true]`)).toHaveCount(1);
}
