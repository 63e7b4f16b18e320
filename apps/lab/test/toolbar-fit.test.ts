import { describe, expect, it } from 'vitest';
import { fitToolbar } from '../src/renderer/src/lib/toolbar-fit.js';

const entries = [
  { id: 'new', width: 50, priority: 60 },
  { id: 'save', width: 60, priority: 58 },
  { id: 'run', width: 90, priority: 100 },
  { id: 'export', width: 100, priority: 30 },
  { id: 'view-a', width: 80, priority: 80 },
  { id: 'view-b', width: 80, priority: 80 },
];

describe('fitToolbar', () => {
  it('keeps every entry when they all fit, without the overflow button', () => {
    expect([...fitToolbar(entries, 460, 60)]).toEqual(entries.map((e) => e.id));
  });

  it('drops the lowest priorities first, reserving room for the overflow button', () => {
    // 459 px: all but one must go; with the 60 px button 399 px remain: export (30) goes,
    // 360 px used, then nothing else must leave.
    expect([...fitToolbar(entries, 459, 60)].sort()).toEqual(
      ['new', 'run', 'save', 'view-a', 'view-b'].sort(),
    );
    // 300 px - 60: run 90 + view-a 80 + view-b 80 = 250 > 240, so view-b overflows; new (50) fits.
    expect([...fitToolbar(entries, 300, 60)].sort()).toEqual(['new', 'run', 'view-a'].sort());
  });

  it('among equal priorities the earlier entry stays, and a later small one may still fit', () => {
    const kept = fitToolbar(
      [
        { id: 'a', width: 100, priority: 1 },
        { id: 'b', width: 100, priority: 1 },
        { id: 'c', width: 20, priority: 1 },
      ],
      180,
      50,
    );
    expect([...kept]).toEqual(['a', 'c']);
  });

  it('a new entry (a view added later) is measured like the rest', () => {
    const more = [...entries, { id: 'view-c', width: 80, priority: 80 }];
    expect(fitToolbar(more, 540, 60).has('view-c')).toBe(true);
    expect(fitToolbar(more, 539, 60).has('export')).toBe(false);
  });
});
