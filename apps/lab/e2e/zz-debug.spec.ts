import { expect, test } from '@playwright/test';
import { selectPreset } from './helpers.js';
test('debug', async ({ page }) => {
  await page.goto('/');
  await selectPreset(page, 'moons-boundary');
  await page.getByTestId('training-count').fill('500');
  await page.getByTestId('training-count').press('Tab');
  await page.getByTestId('run-all').click();
  const stepOf = async (run: string) =>
    Number(await page.locator(`[data-testid=result-row][data-run="${run}"] [data-col=step]`).getAttribute('data-step'));
  await expect.poll(() => stepOf('Adam'), { timeout: 30_000 }).toBeGreaterThan(0);
  for (let i = 0; i < 8; i++) {
    const state = await page.evaluate(() => {
      const lab = (window as any).optlabDebug.lab;
      const bs = [...document.querySelectorAll('[data-testid=pause-all]')] as HTMLButtonElement[];
      return { pausable: lab.pausable, statuses: Object.values(lab.results).map((r: any) => r.status), n: bs.length, disabled: bs.map((b) => b.disabled), view: lab.view };
    });
    console.log(JSON.stringify(state));
    await page.waitForTimeout(300);
  }
});
