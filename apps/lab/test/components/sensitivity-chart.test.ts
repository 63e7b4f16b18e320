// SensitivityChart mounted in Chromium with the losses of a real sweep: a log y axis over 113
// decades. uPlot 1.6.32's own log ticks never end below about 1e-22 (the page froze for minutes
// and threw "Invalid array length" after the 100 × 5 sweep of e2e/perf-sweep.spec.ts); the chart
// draws with the lab's ticks (chart-scale.ts logAxis).
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, expect, it } from 'vitest';
import SensitivityChart from '../../src/renderer/src/components/SensitivityChart.svelte';
import type { Sensitivity } from '../../src/renderer/src/lib/sensitivity.js';

let component: ReturnType<typeof mount> | undefined;
afterEach(() => {
  if (component) unmount(component);
  component = undefined;
  document.body.innerHTML = '';
});

// The sensitivity to lr of SGD on ½·(x² + 4y²), 200 steps, lr log grid × momentum linear grid
// (each lr's best momentum): the final losses of e2e/perf-sweep.spec.ts's sweep.
const medians = [
  0.0072492911901307295, 1.8910127634324036e-5, 6.375803114897284e-10, 1.644791263895433e-10,
  1.3285803929644667e-19, 1.8897745511311797e-31, 6.902588478713914e-45, 5.0841237728154394e-80,
  4.149521756471496e-113, 2.9513123012508263e-87,
];
const data: Sensitivity = {
  path: 'optimizer.lr',
  metric: 'final loss',
  lowerIsBetter: true,
  band: true,
  xs: [
    0.001, 0.0020355579570665743, 0.004143496196577045, 0.008434326653017491, 0.01716856073104845,
    0.03494760040746639, 0.07113786608980127, 0.14480524936783148, 0.29475947757569887, 0.6,
  ],
  lines: [
    {
      name: 'SGD',
      median: medians,
      q1: medians,
      q3: medians,
      diverged: [],
      best: 0.29475947757569887,
    },
  ],
};

it('draws losses down to 1e-113 on a log axis, with ticks at decades', async () => {
  const errors: string[] = [];
  const onError = (event: ErrorEvent) => errors.push(event.message);
  window.addEventListener('error', onError);
  const target = document.createElement('div');
  target.style.width = '640px';
  document.body.append(target);
  component = mount(SensitivityChart, { target, props: { data } });
  flushSync();
  const chart = target.querySelector<HTMLElement>('[data-testid=sensitivity-chart]')!;
  // uPlot draws in a microtask after it is built.
  await expect.poll(() => chart.dataset['markers']).toBeDefined();
  window.removeEventListener('error', onError);
  expect(errors).toEqual([]);
  const ticks = chart.dataset['yTicks']!.split('|');
  // Whole decades every few (at most the axis's tick count), from the lowest loss to the highest.
  expect(ticks.length).toBeGreaterThanOrEqual(3);
  expect(ticks.length).toBeLessThanOrEqual(8);
  for (const t of ticks) expect(t).toMatch(/^1(e-\d+)?$/);
  expect(Number(ticks[0])).toBeLessThanOrEqual(1e-100);
  expect(Number(ticks.at(-1))).toBeGreaterThanOrEqual(1e-20);
  // The chosen lr is ringed.
  const markers = JSON.parse(chart.dataset['markers']!) as { kind: string; x: number }[];
  expect(markers).toEqual([expect.objectContaining({ kind: 'best', x: 0.29475947757569887 })]);
});
