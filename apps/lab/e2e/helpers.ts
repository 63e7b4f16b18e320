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
  // `isVisible` does not wait: the toolbar must have rendered before it can tell row from menu.
  await expect(page.getByTestId('toolbar')).toBeVisible();
  const onRow = page
    .getByTestId('toolbar')
    .locator(`:scope > button[data-testid="${testId}"], nav > button[data-testid="${testId}"]`);
  if (await onRow.isVisible()) return onRow.click();
  await page.getByTestId('toolbar-more').click();
  await page.getByTestId('toolbar-menu').getByTestId(testId).click();
}

/**
 * Opens an experiment as a user picks a file: Open, "Open a file from disk…", the file chooser.
 * `contents` is the file's bytes, or a value written as JSON.
 */
export async function openFromDisk(page: Page, name: string, contents: unknown): Promise<void> {
  await page.getByTestId('open').click();
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Open a file from disk…' }).click(),
  ]);
  await chooser.setFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.isBuffer(contents) ? contents : Buffer.from(JSON.stringify(contents)),
  });
}

/** Opens a view from the toolbar (or its "More" menu). */
export async function showView(page: Page, view: string): Promise<void> {
  await toolbarClick(page, `view-${view}`);
  await expect(page.locator(`[data-testid="view-${view}"][aria-selected=true]`)).toHaveCount(1);
}

/**
 * What is wrong with the page's layout as a user sees it, one line each (empty when nothing):
 * - the page scrolls sideways (something wider than the window);
 * - the toolbar takes more than one row;
 * - a control, chart, heading or panel overlaps another one that is neither its ancestor nor its
 *   descendant (more than 4 px² in common);
 * - a button's label is cut off (its text is wider than the button);
 * - something ends right of the window, outside any box that scrolls sideways on purpose.
 * Only what is shown is checked: elements hidden, of zero size or in `aria-hidden` parts are skipped.
 */
export async function layoutProblems(page: Page): Promise<string[]> {
  await page.evaluate(() => window.scrollTo(0, 0));
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1) {
      problems.push(
        `the page scrolls sideways: ${document.documentElement.scrollWidth} px wide in a ${width} px window`,
      );
    }
    const describe = (el: Element): string => {
      const id = el.getAttribute('data-testid');
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 30);
      return `<${el.tagName.toLowerCase()}${id ? ` data-testid=${id}` : ''}>${text ? ` “${text}”` : ''}`;
    };
    const toolbar = document.querySelector('[data-testid=toolbar]');
    if (toolbar) {
      const rows = new Set(
        Array.from(
          toolbar.querySelectorAll(
            ':scope > button, :scope > select, :scope > nav > button, :scope > .more > button',
          ),
        )
          .map((el) => el.getBoundingClientRect())
          .filter((r) => r.width > 0)
          .map((r) => Math.round(r.top / 8)),
      );
      if (rows.size > 1) problems.push(`the toolbar takes ${rows.size} rows`);
    }
    const shown = (el: Element): boolean => {
      if (el.closest('[aria-hidden=true]')) return false;
      // Not rendered: display none, visibility hidden, transparent, or in a closed <details>.
      if (
        !el.checkVisibility({
          opacityProperty: true,
          visibilityProperty: true,
          contentVisibilityAuto: true,
        })
      )
        return false;
      const r = el.getBoundingClientRect();
      return r.width >= 1 && r.height >= 1;
    };
    const scrollsSideways = (el: Element): boolean => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const overflow = getComputedStyle(p).overflowX;
        if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') return true;
      }
      return false;
    };
    const elements = Array.from(
      document.querySelectorAll(
        'button, input, select, textarea, canvas, h1, h2, h3, figure, table, .panel, [role=alert], [role=status]',
      ),
    ).filter(shown);
    const boxes = elements.map((el) => el.getBoundingClientRect());
    elements.forEach((el, i) => {
      const r = boxes[i];
      if (r.right > width + 1 && !scrollsSideways(el)) {
        problems.push(
          `${describe(el)} is cut off: it ends at ${Math.round(r.right)} px in a ${width} px window`,
        );
      }
      if (el.tagName === 'BUTTON' && el.scrollWidth > el.clientWidth + 1) {
        problems.push(
          `${describe(el)}: its label is cut off (${el.scrollWidth} px in ${el.clientWidth} px)`,
        );
      }
    });
    for (let i = 0; i < elements.length; i++) {
      for (let j = i + 1; j < elements.length; j++) {
        const [a, b] = [elements[i], elements[j]];
        if (a.contains(b) || b.contains(a)) continue;
        const [p, q] = [boxes[i], boxes[j]];
        const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
        const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        if (w > 0 && h > 0 && w * h > 4) {
          problems.push(
            `${describe(a)} and ${describe(b)} overlap (${Math.round(w)}×${Math.round(h)} px)`,
          );
        }
      }
    }
    return problems;
  });
}

/** Every view the toolbar offers (on its row or in its "More" menu), in toolbar order. */
export async function toolbarViews(page: Page): Promise<string[]> {
  const ids = await page
    .getByTestId('toolbar-measure')
    .locator('[data-id^="view-"]')
    .evaluateAll((els) =>
      els.map((el) => (el as HTMLElement).dataset['id']!.slice('view-'.length)),
    );
  return ids;
}

/** Waits until the first `count` run cards of Build say done (or diverged): for views without the results table. */
export async function waitForCards(
  page: Page,
  count: number,
  status = /done|diverged/,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    await expect(page.getByTestId(`run-${i}-status`)).toContainText(status, { timeout: 90_000 });
  }
}
