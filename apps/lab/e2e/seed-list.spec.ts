/**
 * Seed aggregation of a run card that lists several seeds (issue 10, item 5): `"seeds": [0, 1, 2]`
 * trains three times in one worker; the compare charts draw the three as one group — their median
 * with an interquartile band — and, with the toggle, each seed as a thin line. The worker sends
 * every seed's points, and the median of their final losses is the runner's own median over the
 * seeds (the results table's aggregate).
 */
import { expect, test } from '@playwright/test';
import { openFromDisk, showView } from './helpers.js';

const SPEC = {
  version: 1,
  name: 'seed-list-e2e',
  task: {
    kind: 'classification',
    dataset: { type: 'iris' },
    model: { type: 'mlp', hidden: [8], activation: 'tanh' },
    testFraction: 0.2,
  },
  training: { epochs: 15, batchSize: 16 },
  runs: [
    { name: 'SGD', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu', seeds: [0, 1, 2] },
    { name: 'Adam', optimizer: { type: 'Adam', lr: 0.01 }, backend: 'cpu' },
  ],
};

/** The parts of the page's LabState this test reads (window.optlabDebug.lab). */
interface DebugLab {
  draft: { runs: { id: string; name: string }[] };
  results: Record<
    string,
    {
      status: string;
      series: { step: number[]; loss: number[] };
      seedSeries?: { seed: number; series: { step: number[]; loss: number[] } }[];
      aggregate?: { finalLoss: { median: number } };
    }
  >;
}

test.use({ viewport: { width: 1440, height: 900 } });

test('a run card with a seeds list is one group on the charts: median + IQR band, or every seed thin', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await openFromDisk(page, 'seed-list-e2e.json', SPEC);
  await expect(page.getByTestId('experiment-name')).toHaveValue('seed-list-e2e');
  await page.getByTestId('run-all').click();
  await showView(page, 'compare');

  // Both runs finish: SGD's three seeds, then the results' aggregate.
  const finished = () =>
    page.evaluate(() => {
      const { lab } = (window as unknown as { optlabDebug: { lab: DebugLab } }).optlabDebug;
      return lab.draft.runs.every((r) =>
        ['done', 'diverged'].includes(lab.results[r.id]?.status ?? ''),
      );
    });
  await expect.poll(finished, { timeout: 90_000 }).toBe(true);

  const legend = page.getByTestId('chart-loss').locator('.u-legend');
  await expect(legend).toContainText('SGD (median of 3 seeds)');
  await expect(legend).toContainText('Adam');
  await expect(legend).not.toContainText('SGD · seed');
  // The band's edges are the group's q3 and q1 lines.
  await expect(legend).toContainText('SGD (median of 3 seeds) q3');
  await expect(legend).toContainText('SGD (median of 3 seeds) q1');

  // Every seed's points came from the worker; they differ, and the median of their final losses
  // is the runner's median over the seeds.
  const data = await page.evaluate(() => {
    const { lab } = (window as unknown as { optlabDebug: { lab: DebugLab } }).optlabDebug;
    const run = lab.draft.runs.find((r) => r.name === 'SGD')!;
    const result = lab.results[run.id];
    const others = result.seedSeries ?? [];
    return {
      steps: [result.series.step, ...others.map((e) => e.series.step)],
      seeds: others.map((e) => e.seed),
      finals: [result.series.loss, ...others.map((e) => e.series.loss)].map((l) => l[l.length - 1]),
      median: result.aggregate?.finalLoss.median,
    };
  });
  expect(data.seeds).toEqual([1, 2]);
  expect(data.steps[1]).toEqual(data.steps[0]);
  expect(data.steps[2]).toEqual(data.steps[0]);
  expect(new Set(data.finals).size).toBe(3);
  const sorted = [...data.finals].sort((a, b) => a - b);
  expect(sorted[1]).toBe(data.median);

  // The toggle: each seed thin, under its seed's name; the group's median is gone.
  await page.getByTestId('seed-view').selectOption('seeds');
  for (const seed of [0, 1, 2]) await expect(legend).toContainText(`SGD · seed ${seed}`);
  await expect(legend).not.toContainText('median of 3 seeds');
  await page.getByTestId('seed-view').selectOption('groups');
  await expect(legend).toContainText('SGD (median of 3 seeds)');
  expect(errors).toEqual([]);
});
