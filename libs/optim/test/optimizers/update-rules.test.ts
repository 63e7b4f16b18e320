import { describe, expect, it } from 'vitest';
import { OPTIMIZERS, UPDATE_RULES, updateRuleOf } from '../../src/index.js';

describe('update rules and papers', () => {
  it('every registered optimizer has its rule, paper title and link, and nothing else has one', () => {
    expect(Object.keys(UPDATE_RULES).sort()).toEqual(Object.keys(OPTIMIZERS).sort());
    for (const name of Object.keys(OPTIMIZERS)) {
      const doc = updateRuleOf(name)!;
      expect(doc.rule.length).toBeGreaterThanOrEqual(2);
      expect(
        doc.rule.some((line) => /[θyz] ←/.test(line)),
        name,
      ).toBe(true);
      expect(doc.link).toMatch(/^https:\/\/[a-z0-9.-]+\//);
      // The title's first author is one the registry's citation names.
      const surname = doc.title.split(/[ ,&]/)[0];
      expect(OPTIMIZERS[name].paper, name).toContain(surname);
    }
  });

  it('looks names up as own keys only', () => {
    expect(updateRuleOf('constructor')).toBeUndefined();
    expect(updateRuleOf('SGD')?.rule[3]).toBe('θ ← θ − γ·g');
  });
});
