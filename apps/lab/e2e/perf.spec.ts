/**
 * Responsiveness measurement (a measurement, not a pass/fail timing): 8 runs streaming 20,000
 * points each into the compare view, as workers would, at 60 batches a second. It records the
 * page's frame intervals and the cost of the batched chart redraws, writes them to
 * test-results/perf.json and prints them. It asserts only that everything was drawn.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { canvasPixels, RUN_COLORS, screenshot } from './helpers.js';

test('8 runs × 20,000 points stay responsive', async ({ page }, info) => {
  await page.goto('/');
  await expect(page.getByTestId('run-all')).toBeVisible();
  const measurement = await page.evaluate(async () => {
    type Series = Record<string, number[]>;
    const { lab, frames } = (
      window as unknown as {
        optlabDebug: {
          lab: {
            draft: { runs: { id: string }[] };
            results: Record<string, unknown>;
            version: number;
            view: string;
            duplicateRun(id: string): void;
          };
          frames: { costs: number[]; flushes: number };
        };
      }
    ).optlabDebug;
    while (lab.draft.runs.length < 8) lab.duplicateRun(lab.draft.runs[0].id);
    lab.view = 'compare';
    const keys = [
      'step',
      'epoch',
      'time',
      'loss',
      'lr',
      'trainAccuracy',
      'testAccuracy',
      'testLoss',
    ];
    const results: Record<
      string,
      { status: string; progress: number; series: Series; trajectory: [] }
    > = {};
    lab.draft.runs.forEach((run) => {
      results[run.id] = {
        status: 'running',
        progress: 0,
        series: Object.fromEntries(keys.map((k) => [k, []])),
        trajectory: [],
      };
    });
    lab.results = results;
    await new Promise((r) => setTimeout(r, 300));

    const TOTAL = 20_000;
    const PER_BATCH = 250;
    const intervals: number[] = [];
    let last = performance.now();
    let measuring = true;
    const tick = (now: number) => {
      intervals.push(now - last);
      last = now;
      if (measuring) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const costsBefore = frames.costs.length;
    const flushesBefore = frames.flushes;
    const started = performance.now();
    for (let done = 0; done < TOTAL; done += PER_BATCH) {
      lab.draft.runs.forEach((run, r) => {
        const s = results[run.id].series;
        for (let i = done; i < done + PER_BATCH; i++) {
          s.step.push(i + 1);
          s.epoch.push(NaN);
          s.time.push((i + 1) / 1000);
          s.loss.push(10 * Math.exp(-i / (2000 + 500 * r)) + 0.01 * Math.random());
          s.lr.push((0.01 * (1 + Math.cos((Math.PI * i) / TOTAL))) / 2);
          s.trainAccuracy.push(NaN);
          s.testAccuracy.push(NaN);
          s.testLoss.push(NaN);
        }
      });
      lab.version += 1;
      await new Promise((r) => setTimeout(r, 16));
    }
    const streamingMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, 500));
    measuring = false;
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const pct = (xs: number[], p: number) =>
      sorted(xs)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
    const costs = frames.costs.slice(costsBefore);
    return {
      runs: lab.draft.runs.length,
      pointsPerRun: TOTAL,
      batches: TOTAL / PER_BATCH,
      streamingMs: Math.round(streamingMs),
      frames: intervals.length,
      frameIntervalMs: {
        median: +pct(intervals, 0.5).toFixed(1),
        p95: +pct(intervals, 0.95).toFixed(1),
        max: +Math.max(...intervals).toFixed(1),
      },
      redraws: frames.flushes - flushesBefore,
      redrawCostMs: {
        median: +pct(costs, 0.5).toFixed(1),
        p95: +pct(costs, 0.95).toFixed(1),
        max: +Math.max(...costs).toFixed(1),
      },
      seriesLength: Object.values(results).map((r) => r.series.loss.length),
    };
  });
  measurement.seriesLength.forEach((n) => expect(n).toBe(20_000));
  const loss = page.getByTestId('chart-loss').locator('canvas').first();
  const pixels = await canvasPixels(loss, RUN_COLORS);
  pixels.matches.forEach((count, i) => expect(count, `run ${i}'s curve`).toBeGreaterThan(20));
  await screenshot(page, '07-perf-8x20000');

  const report = {
    ...measurement,
    seriesLength: undefined,
    browser: 'Debian Chromium, headless, SwiftShader',
    note: 'redraw = one batched frame: setData of every chart',
  };
  const path = join(import.meta.dirname, '..', 'test-results', 'perf.json');
  writeFileSync(path, JSON.stringify(report, null, 2));
  await info.attach('perf.json', { path, contentType: 'application/json' });
  console.log(`responsiveness: ${JSON.stringify(report)}`);
});
