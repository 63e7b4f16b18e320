import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { optlab } from './capture.js';

const dir = mkdtempSync(join(tmpdir(), 'optlab-landscape-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const specPath = join(dir, 'moons.json');
writeFileSync(
  specPath,
  JSON.stringify({
    version: 1,
    name: 'moons',
    task: {
      kind: 'classification',
      dataset: { type: 'moons', n: 60, noise: 0.1, seed: 1 },
      model: { type: 'mlp', hidden: [4], activation: 'tanh' },
      testFraction: 0,
    },
    training: { steps: 20, batchSize: 'full', evalEvery: 5 },
    runs: [
      { name: 'GD', optimizer: { type: 'SGD', lr: 0.5 }, backend: 'cpu64' },
      { name: 'Adam', optimizer: { type: 'Adam', lr: 0.05 }, backend: 'cpu64' },
    ],
  }),
);

describe('optlab run with diagnostics', () => {
  it('writes the diagnostics events to metrics.jsonl', async () => {
    const path = join(dir, 'diagnosed.json');
    const spec = JSON.parse(readFileSync(specPath, 'utf8'));
    spec.runs = [{ ...spec.runs[0], diagnostics: { every: 5, sharpness: { iterations: 10 } } }];
    writeFileSync(path, JSON.stringify(spec));
    const out = join(dir, 'diagnosed');
    const r = await optlab(['run', path, '--out', out]);
    expect(r.code).toBe(0);
    const events = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((e) => e.type === 'diagnostics');
    expect(events.map((e) => e.step)).toEqual([5, 10, 15, 20]);
    expect(events[0].layers.map((l: { name: string }) => l.name)).toEqual([
      'layer1.W',
      'layer1.b',
      'layer2.W',
      'layer2.b',
    ]);
    expect(events[0].sharpness).toMatchObject({
      twoOverLr: 4,
      batch: 'the full training set (60 rows)',
    });
    expect(events[0].sharpness.value).toBeGreaterThan(0);
  });
});

describe('optlab landscape', () => {
  it('writes a 2-D slice as CSV and JSON, with the trajectory, centred on the final loss', async () => {
    const out = join(dir, 'two');
    const r = await optlab(['landscape', specPath, '--run', 'Adam', '--steps', '5', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(out, 'landscape.json'), 'utf8'));
    expect(json).toMatchObject({ kind: 'loss-landscape', run: 'Adam', dim: 2, steps: 5, span: 1 });
    const rows = readFileSync(join(out, 'landscape.csv'), 'utf8').trimEnd().split('\n');
    expect(rows[0]).toBe('x,y,loss');
    expect(rows).toHaveLength(26);
    expect(rows[1].startsWith('-1,-1,')).toBe(true);
    // The centre (0, 0) is the run's final loss, exactly.
    expect(rows[13]).toBe(`0,0,${json.finalLoss}`);
    const trajectory = readFileSync(join(out, 'trajectory.csv'), 'utf8').trimEnd().split('\n');
    expect(trajectory[0]).toBe('step,x,y');
    expect(trajectory).toHaveLength(22); // header, step 0 and 20 updates
    expect(r.stdout).toContain('loss landscape of Adam (seed 0, 20 updates) on moons: 2-D, 5 × 5');
    expect(r.stdout).toContain(`files: ${join(out, 'landscape.csv')}`);
  });

  it('writes the 1-D interpolation, whose ends are the initial and final losses', async () => {
    const out = join(dir, 'one');
    const r = await optlab([
      'landscape',
      specPath,
      '--run',
      'GD',
      '--dim',
      '1',
      '--steps',
      '5',
      '--span',
      '0',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(out, 'landscape.json'), 'utf8'));
    const rows = readFileSync(join(out, 'landscape.csv'), 'utf8').trimEnd().split('\n');
    expect(rows).toEqual([
      'alpha,loss',
      `0,${json.initialLoss}`,
      `0.25,${json.losses[1]}`,
      `0.5,${json.losses[2]}`,
      `0.75,${json.losses[3]}`,
      `1,${json.finalLoss}`,
    ]);
  });

  it('refuses bad input with exit 2, naming the flag, before anything is written', async () => {
    const cases: [string[], string][] = [
      [
        ['--run', 'Adam', '--steps', '102'],
        '--steps: steps: a 2-D landscape has 3 to 101 points per side',
      ],
      [
        ['--run', 'Adam', '--dim', '1', '--steps', '2000'],
        '--steps: steps: a 1-D landscape has 3 to 1001 points',
      ],
      [['--run', 'Adam', '--dim', '3'], '--dim: dim must be 1 or 2, got 3'],
      [['--run', 'Adam', '--span', 'wide'], '--span: "wide" is not a number'],
      [['--run', 'adam'], '--run: no run named "adam"; the spec\'s runs: "GD", "Adam"'],
      [[], '--run: name the run to draw'],
    ];
    for (const [args, message] of cases) {
      const out = join(dir, `bad-${args.join('-')}`);
      const r = await optlab(['landscape', specPath, ...args, '--out', out]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(existsSync(out)).toBe(false);
    }
    const full = join(dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'notes.txt'), 'mine');
    const r = await optlab(['landscape', specPath, '--run', 'Adam', '--out', full]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out');
  });
});
