import { describe, expect, it } from 'vitest';
import { gridEdges, gridEdgeText } from '../src/index.js';

const configs = (lrs: readonly unknown[], extra: Record<string, unknown[]> = {}) =>
  lrs.map((lr, i) => ({
    values: {
      'optimizer.lr': lr,
      ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, v[i]])),
    },
  }));

describe('gridEdges', () => {
  it('names the lowest and the highest end, per swept option, with the range tried', () => {
    const configurations = configs([0.1, 0.01, 1], { 'optimizer.momentum': [0.5, 0.9, 0.99] });
    expect(
      gridEdges({
        paths: ['optimizer.lr', 'optimizer.momentum'],
        configurations,
        bestValues: { 'optimizer.lr': 0.01, 'optimizer.momentum': 0.99 },
        chosenOnMerit: true,
      }),
    ).toEqual([
      { path: 'optimizer.lr', value: 0.01, side: 'lowest', tried: [0.01, 1] },
      { path: 'optimizer.momentum', value: 0.99, side: 'highest', tried: [0.5, 0.99] },
    ]);
  });

  it('says nothing inside the grid, with fewer than 3 distinct values, for non-numbers, or with no merit', () => {
    const inside = { 'optimizer.lr': 0.1 };
    expect(
      gridEdges({
        paths: ['optimizer.lr'],
        configurations: configs([0.01, 0.1, 1]),
        bestValues: inside,
        chosenOnMerit: true,
      }),
    ).toEqual([]);
    expect(
      gridEdges({
        paths: ['optimizer.lr'],
        configurations: configs([0.01, 1, 0.01, 1]),
        bestValues: { 'optimizer.lr': 1 },
        chosenOnMerit: true,
      }),
    ).toEqual([]);
    expect(
      gridEdges({
        paths: ['model.init'],
        configurations: [
          { values: { 'model.init': 'a' } },
          { values: { 'model.init': 'b' } },
          { values: { 'model.init': 'c' } },
        ],
        bestValues: { 'model.init': 'c' },
        chosenOnMerit: true,
      }),
    ).toEqual([]);
    expect(
      gridEdges({
        paths: ['optimizer.lr'],
        configurations: configs([0.01, 0.1, 1]),
        bestValues: { 'optimizer.lr': 0.01 },
        chosenOnMerit: false,
      }),
    ).toEqual([]);
  });

  it('reads as a sentence naming the run, the option, the value, the side and the range', () => {
    expect(
      gridEdgeText('Momentum', {
        path: 'optimizer.lr',
        value: 1,
        side: 'highest',
        tried: [1e-4, 1],
      }),
    ).toBe(
      'Momentum: the chosen optimizer.lr = 1 is the highest value tried (1e-4 … 1); its optimum may lie above the grid — widen it before reading the ranking',
    );
    expect(
      gridEdgeText('SGD', {
        path: 'optimizer.lr',
        value: 0.001,
        side: 'lowest',
        tried: [0.001, 10],
      }),
    ).toContain('is the lowest value tried (1e-3 … 10); its optimum may lie below the grid');
  });
});
