import { describe, expect, it } from 'vitest';
import {
  firstSentence,
  presets,
  startCards,
  suites,
  SUMMARY_CHARS,
} from '../src/renderer/src/lib/presets.js';

describe('presets: words for people', () => {
  it('every example has a human title and a one-line summary, not its file name', () => {
    expect(presets.length).toBeGreaterThanOrEqual(14);
    for (const preset of [...presets, ...suites]) {
      expect(preset.title, preset.file).not.toBe(preset.name);
      expect(preset.title, preset.file).not.toMatch(/\.json$|^[a-z0-9-]+$/);
      expect(preset.summary, preset.file).not.toContain('\n');
      expect(preset.summary.length, preset.file).toBeGreaterThan(20);
      expect(preset.summary.length, preset.file).toBeLessThanOrEqual(SUMMARY_CHARS);
    }
    expect(new Set(presets.map((p) => p.title)).size).toBe(presets.length);
  });

  it('the menu is sorted by title', () => {
    const titles = presets.map((p) => p.title);
    expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b)));
  });

  it('three start cards: Rosenbrock paths, linear regression, the moons boundary, each with its view', () => {
    expect(startCards.map((c) => [c.preset.name, c.view])).toEqual([
      ['lbfgs-rosenbrock', 'paths'],
      ['linear-regression', 'compare'],
      ['moons-boundary', 'boundary'],
    ]);
  });

  it('an example without an entry falls back to the first sentence of its description', () => {
    expect(firstSentence('Adam on x². More words: here.')).toBe('Adam on x².');
    expect(firstSentence('A comparison: SGD vs Adam, 3.5 times.')).toBe(
      'A comparison: SGD vs Adam, 3.5 times.',
    );
    expect(firstSentence('No stop at all')).toBe('No stop at all');
    const long = `${'word '.repeat(40)}end.`;
    const cut = firstSentence(long);
    expect(cut.length).toBeLessThanOrEqual(SUMMARY_CHARS);
    expect(cut).toMatch(/^(word )+word…$/);
  });
});
