/**
 * Your own function: a typed Rosenbrock trains exactly like the built-in one (cpu64, every run's
 * path within 1e-12), its contour is drawn in the form and in the paths view; a bad expression
 * shows where in the text it goes wrong.
 */
import { expect, test, type Page } from '@playwright/test';
import { canvasPixels, screenshot, waitForRuns, showView } from './helpers.js';

const RUNS = ['SGD', 'Momentum', 'Adam'];

async function trajectories(page: Page): Promise<number[][][]> {
  return page.evaluate(() => {
    const lab = (
      window as unknown as {
        optlabDebug: {
          lab: {
            draft: { runs: { id: string }[] };
            results: Record<string, { trajectory: number[][] }>;
          };
        };
      }
    ).optlabDebug.lab;
    return lab.draft.runs.map((r) => lab.results[r.id]?.trajectory.map((p) => [...p]) ?? []);
  });
}

async function runAll(page: Page): Promise<void> {
  await page.getByRole('button', { name: /Run all/ }).click();
  await waitForRuns(page, RUNS);
  await showView(page, 'build');
}

test('a typed Rosenbrock gives the built-in trajectories within 1e-12 on cpu64', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByTestId('training-count').fill('300');
  await page.getByTestId('training-count').dispatchEvent('change');
  for (let i = 0; i < RUNS.length; i++)
    await page.getByTestId(`run-${i}-backend`).selectOption('cpu64');
  await runAll(page);
  const builtIn = await trajectories(page);
  expect(builtIn.map((t) => t.length)).toEqual([301, 301, 301]);

  await page.getByTestId('task-function').selectOption('expression');
  await page.getByTestId('expression-input').fill('(1 - x)^2 + 100*(y - x^2)^2');
  await expect(page.getByTestId('expression-contour')).toBeVisible();
  expect((await canvasPixels(page.getByTestId('expression-contour'))).drawn).toBeGreaterThan(1000);
  await screenshot(page, 'expression-01-form');
  await runAll(page);
  const typed = await trajectories(page);
  let worst = 0;
  typed.forEach((path, r) => {
    expect(path).toHaveLength(builtIn[r].length);
    path.forEach((p, k) =>
      p.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - builtIn[r][k][j])))),
    );
  });
  expect(worst).toBeLessThan(1e-12);

  await showView(page, 'paths');
  await expect(page.getByTestId('contour')).toBeVisible();
  await expect(page.getByText('f(x, y) = (1 - x)^2 + 100*(y - x^2)^2')).toBeVisible();
  await screenshot(page, 'expression-02-paths');
});

test('a bad expression shows the position of the problem; the task keeps the last good one', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByTestId('task-function').selectOption('expression');
  const input = page.getByTestId('expression-input');
  await input.fill('x^2 + y^2');
  await expect(page.getByTestId('expression-contour')).toBeVisible();
  await input.fill('x^2 + zeta*y');
  const error = page.getByTestId('expression-error');
  await expect(error).toContainText('unknown symbol "zeta"');
  await expect(error).toContainText('at character 7');
  await expect(error).toHaveAttribute('data-position', '6');
  await expect(error.locator('mark')).toHaveText('zeta');
  await screenshot(page, 'expression-03-error');
  await input.fill('sin(x + ');
  await expect(error).toContainText('syntax error');
  await expect(error).toHaveAttribute('data-position', '8');
  // The draft still holds the last expression that parsed.
  const expr = await page.evaluate(
    () =>
      (
        window as unknown as {
          optlabDebug: { lab: { draft: { task: { function: { expr: string } } } } };
        }
      ).optlabDebug.lab.draft.task.function.expr,
  );
  expect(expr).toBe('x^2 + y^2');
});
