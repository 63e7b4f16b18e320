import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examples, optlab } from './capture.js';

describe('optlab list optimizers', () => {
  it('names every optimizer and the Lookahead wrapper: at least 26 entries', async () => {
    const r = await optlab(['list', 'optimizers']);
    expect(r.code).toBe(0);
    const names = [...r.stdout.matchAll(/^ {2}(\S+)(?: \[[^\]]*\])? {2}— {2}/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThanOrEqual(26);
    for (const n of ['LBFGS', 'SAM', 'Muon', 'AdamWScheduleFree', 'Prodigy', 'AdEMAMix']) {
      expect(names).toContain(n);
    }
    expect(names.at(-1)).toBe('Lookahead');
    expect(r.stdout).toContain(
      `  Lookahead [wrapper: "lookahead": { … } beside any run's optimizer]  —  `,
    );
    expect(r.stdout).toContain('      k: integer, default 5 (≥ 1) [steps]');
    const json = JSON.parse((await optlab(['list', 'optimizers', '--json'])).stdout) as {
      name: string;
      wrapper?: boolean;
    }[];
    expect(json.filter((o) => o.wrapper).map((o) => o.name)).toEqual(['Lookahead']);
  });
});

describe('optlab run with closure optimizers and Muon', () => {
  it('says how many evaluations LBFGS made, and where Muon put each parameter', async () => {
    const out = mkdtempSync(join(tmpdir(), 'optlab-cli-'));
    try {
      const r = await optlab(['run', join(examples, 'lbfgs-rosenbrock.json'), '--out', out]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/done: final loss .* ms, \d+ evaluations in 10 steps\n/);
      expect(r.stderr).toContain('200 evaluations in 10 steps'); // LBFGS fixed steps: 20 a step
      const spec = {
        version: 1,
        name: 'muon',
        task: {
          kind: 'classification',
          dataset: { type: 'blobs', n: 30, centers: 3 },
          model: { type: 'mlp', hidden: [4] },
        },
        training: { steps: 2 },
        runs: [{ name: 'm', optimizer: { type: 'Muon', lr: 0.02 } }],
      };
      const path = join(out, 'muon.json');
      writeFileSync(path, JSON.stringify(spec));
      const m = await optlab(['run', path, '--out', join(out, 'muon')]);
      expect(m.code).toBe(0);
      expect(m.stderr).toContain(
        '  parameters: Muon: 2 matrices; AdamW(lr=0.02): 2 vectors (biases)\n',
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
