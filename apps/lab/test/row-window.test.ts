import { describe, expect, it } from 'vitest';
import { rowWindow } from '../src/renderer/src/lib/row-window.js';

describe('rowWindow', () => {
  it('draws the rows in view and a few beyond, with the rest as blank space', () => {
    // 5,000 rows of 26 px, 312 px in view (12 rows), scrolled to row 1,000.
    const w = rowWindow(5000, 26, 1000 * 26, 312, 8);
    expect(w).toEqual({ start: 992, end: 1021, padTop: 992 * 26, padBottom: (5000 - 1021) * 26 });
    // Heights add up to the whole list, whatever is drawn.
    expect(w.padTop + (w.end - w.start) * 26 + w.padBottom).toBe(5000 * 26);
  });

  it('stays inside the list at both ends and for short lists', () => {
    expect(rowWindow(5000, 26, 0, 312, 8)).toEqual({
      start: 0,
      end: 21,
      padTop: 0,
      padBottom: 4979 * 26,
    });
    // Scrolled past the end (a list that just shrank): the last rows, no space below.
    const end = rowWindow(100, 26, 1e6, 312, 8);
    expect(end.end).toBe(100);
    expect(end.padBottom).toBe(0);
    expect(end.start).toBe(91);
    expect(rowWindow(5, 26, 0, 312)).toEqual({ start: 0, end: 5, padTop: 0, padBottom: 0 });
    expect(rowWindow(0, 26, 0, 312)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
    // A negative scroll (elastic overscroll) is the top.
    expect(rowWindow(50, 26, -40, 312, 0)).toEqual({
      start: 0,
      end: 13,
      padTop: 0,
      padBottom: 37 * 26,
    });
  });
});
