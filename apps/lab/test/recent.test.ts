import { describe, expect, it } from 'vitest';
import { parseRecent, pushRecent } from '../src/shared/recent.js';

describe('recent files', () => {
  it('puts the newest first without duplicates and keeps the limit', () => {
    expect(pushRecent(['a.json', 'b.json'], 'b.json')).toEqual(['b.json', 'a.json']);
    expect(pushRecent(['a.json', 'b.json', 'c.json'], 'd.json', 3)).toEqual([
      'd.json',
      'a.json',
      'b.json',
    ]);
  });

  it('reads stored lists defensively', () => {
    expect(parseRecent(null)).toEqual([]);
    expect(parseRecent('not json')).toEqual([]);
    expect(parseRecent('{"a":1}')).toEqual([]);
    expect(parseRecent('["a.json", 3, "b.json"]')).toEqual(['a.json', 'b.json']);
  });
});
