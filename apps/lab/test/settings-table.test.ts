import { describe, expect, it } from 'vitest';
import type { RunDraft } from '../src/renderer/src/lib/draft.js';
import { settingsTable } from '../src/renderer/src/lib/run-differences.js';

const sgd: RunDraft = {
  id: 'a',
  name: 'SGD',
  optimizer: { type: 'SGD', lr: 0.01, momentum: 0 },
  backend: 'cpu64',
  seed: 0,
};
const adam: RunDraft = {
  id: 'b',
  name: 'Adam',
  optimizer: { type: 'Adam', lr: 0.01, betas: [0.9, 0.999] },
  schedule: { type: 'CosineAnnealingLR', tMax: 100 },
  backend: 'cpu',
  seed: 0,
};

describe('settingsTable: runs side by side', () => {
  it('lists every setting of every run, each run’s value, and which differ', () => {
    const rows = settingsTable([sgd, adam]);
    expect(rows.map((r) => [r.key, r.values, r.differs, r.compared])).toEqual([
      ['optimizer.type', ['SGD', 'Adam'], true, true],
      ['optimizer.lr', ['0.01', '0.01'], false, true],
      ['optimizer.momentum', ['0', 'none'], true, true],
      ['optimizer.betas', ['none', '[0.9,0.999]'], true, true],
      ['schedule.type', ['none', 'CosineAnnealingLR'], true, true],
      ['schedule.tMax', ['none', '100'], true, true],
      ['backend', ['cpu64', 'cpu'], true, false],
      ['seed', ['0', '0'], false, false],
    ]);
  });

  it('identical runs differ nowhere; the names and lab ids are not settings', () => {
    const rows = settingsTable([sgd, { ...sgd, id: 'c', name: 'SGD 2' }]);
    expect(rows.some((r) => r.differs)).toBe(false);
    expect(rows.map((r) => r.key)).not.toContain('name');
    expect(rows.map((r) => r.key)).not.toContain('id');
  });

  it('nested extras are dotted paths (lookahead.k, clipGradNorm.maxNorm)', () => {
    const rows = settingsTable([{ ...sgd, lookahead: { k: 5, alpha: 0.5 } }, sgd]);
    expect(rows.find((r) => r.key === 'lookahead.k')?.values).toEqual(['5', 'none']);
    expect(rows.find((r) => r.key === 'lookahead.k')?.compared).toBe(false);
  });
});
