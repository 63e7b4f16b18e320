import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsvLine, CSV_COLUMNS, type GroupAnalysis } from '@optlab/experiment';
import { afterEach, describe, expect, it } from 'vitest';
import { examples, optlab } from './capture.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'optlab-cmp-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** examples/tuned-comparison.json cut down: 2 optimizers × 3 lrs, 3 epochs, reruns on 3 seeds. */
function cutDown(): Record<string, unknown> {
  const spec = JSON.parse(readFileSync(join(examples, 'tuned-comparison.json'), 'utf8'));
  const keep = ['SGD', 'Adam'];
  return {
    ...spec,
    $schema: undefined,
    training: { ...spec.training, epochs: 3 },
    protocol: { ...spec.protocol, rerunSeeds: 3 },
    runs: spec.runs
      .filter((r: { name: string }) => keep.includes(r.name))
      .map((r: { name: string }) => ({
        ...r,
        sweep: { 'optimizer.lr': { logspace: r.name === 'SGD' ? [0.01, 1, 3] : [0.001, 0.1, 3] } },
      })),
  };
}

describe('optlab run on a sweep with a protocol', () => {
  it('--dry-run lists the tuned-comparison expansion, the budgets and the trainings without running', async () => {
    const dir = tmp();
    const { code, stdout, stderr } = await optlab([
      'run',
      join(examples, 'tuned-comparison.json'),
      '--dry-run',
      '--out',
      join(dir, 'out'),
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('tuned-comparison: 55 configurations\n');
    for (const name of ['SGD', 'Momentum', 'Adam', 'NAdam', 'AdamW']) {
      expect(stdout).toMatch(new RegExp(`\\n  ${name} \\(\\w+\\): tuning budget 11\\n`));
      expect(stdout).toContain(`    ${name}[lr=1e-4]\n    ${name}[lr=3.16e-4]\n`);
      expect(stdout).toContain(`    ${name}[lr=3.16]\n    ${name}[lr=10]\n`);
    }
    expect(stdout).toContain('trainings: 80 (configurations × seeds, plus the reruns)\n');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('tunes on seed 0, reruns the best on 3 seeds, prints the leaderboard, verdicts and sensitivity, and writes the protocol', async () => {
    const dir = tmp();
    const path = join(dir, 'spec.json');
    writeFileSync(path, JSON.stringify(cutDown()));
    const out = join(dir, 'out');
    const { code, stdout, stderr } = await optlab(['run', path, '--out', out]);
    expect(stderr).not.toContain('Error');
    expect(code).toBe(0);
    expect(stdout).toContain(
      'protocol: each configuration trained on seed 0; the best by best validation loss (median over those seeds) rerun on 3 other seeds (1, 2, 3); test accuracy reported\n',
    );
    expect(stdout).toContain('tuning budget (configurations per run): SGD 3, Adam 3\n');
    expect(stdout).toMatch(
      /│ # │ run +│ best configuration +│ test accuracy \(median \[95% CI\]\) │ seeds │ budget │/,
    );
    expect(stdout).toMatch(
      /│ [12] │ (SGD|Adam) +│ \1\[lr=[\d.e-]+\] +│ \d+\.\d% \[\d+\.\d%–\d+\.\d%\] +│ 3 +│ 3 +│/,
    );
    expect(stdout).toContain(
      'verdicts (test accuracy, Mann–Whitney U, α = 0.05):\n' +
        'No pair differs significantly at α = 0.05 (1 compared): the order of the leaderboard is not a verdict on these seeds.\n',
    );
    // 3 seeds each: the rank test cannot reach p < 0.05 (its smallest p is 0.1), and says so.
    expect(stdout).toContain(
      '  cannot decide on test accuracy at 3 seeds each: the smallest p-value the test can give is 0.1, above α = 0.05; use at least 4 seeds each\n',
    );
    expect(stdout).toContain('sensitivity: best validation loss against optimizer.lr (* chosen)\n');

    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const a = summary.analysis;
    // 3 epochs: both runs want the largest lr of their short grids, and are told so.
    expect(a.groups.map((g: GroupAnalysis) => g.edges)).toEqual([
      [{ path: 'optimizer.lr', value: 1, side: 'highest', tried: [0.01, 1] }],
      [{ path: 'optimizer.lr', value: 0.1, side: 'highest', tried: [0.001, 0.1] }],
    ]);
    expect(stdout).toContain(
      'search space (Choi et al. 2019: rankings follow the search space):\n' +
        '  SGD: the chosen optimizer.lr = 1 is the highest value tried (0.01 … 1); its optimum may lie above the grid — widen it before reading the ranking\n' +
        '  Adam: the chosen optimizer.lr = 0.1 is the highest value tried (1e-3 … 0.1); its optimum may lie above the grid — widen it before reading the ranking\n' +
        'verdicts',
    );
    expect(a.protocol).toMatchObject({
      kind: 'tune-and-rerun',
      select: { metric: 'validation-loss', reduce: 'best', over: 'median' },
      tuneSeeds: [0],
      rerunSeeds: [1, 2, 3],
      report: 'test-accuracy',
      bootstrap: { resamples: 10000, confidence: 0.95, seed: 0 },
    });
    expect(a.groups.map((g: { name: string; budget: number }) => [g.name, g.budget])).toEqual([
      ['SGD', 3],
      ['Adam', 3],
    ]);
    for (const g of a.groups) {
      // The chosen configuration has the best selection score of its run.
      const scores = g.configurations.map((c: { score: number | null }) => c.score ?? Infinity);
      const chosen = g.configurations.find((c: { selected: boolean }) => c.selected);
      expect(chosen.name).toBe(g.best);
      expect(chosen.score).toBe(Math.min(...scores));
      expect(g.reported.phase).toBe('rerun');
      expect(g.reported.seeds).toEqual([1, 2, 3]);
      expect(g.reported.stats.testAccuracy.n).toBe(3);
      expect(g.reported.stats.testAccuracy.medianCi).not.toBeNull();
    }
    expect(a.comparisons).toHaveLength(1);
    expect(a.comparisons[0].verdict.outcome).toBe('undecidable');
    // 6 tuning runs and 2 × 3 reruns, each with its validation numbers.
    expect(summary.runs).toHaveLength(12);
    for (const r of summary.runs) expect(r.bestValidationLoss).toBeGreaterThan(0);

    const lines = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
    expect(parseCsvLine(lines[0])).toEqual([...CSV_COLUMNS]);
    const rows = lines.slice(1).map(parseCsvLine);
    const col = (name: string) => CSV_COLUMNS.indexOf(name as (typeof CSV_COLUMNS)[number]);
    expect(rows.filter((r) => r[col('phase')] === 'tune')).toHaveLength(6);
    const reruns = rows.filter((r) => r[col('phase')] === 'rerun');
    expect(reruns.map((r) => r[col('seed')])).toEqual(['1', '2', '3', '1', '2', '3']);
    expect(reruns.every((r) => r[col('selected')] === 'true' && r[col('budget')] === '3')).toBe(
      true,
    );
    expect(rows.every((r) => r[col('select_metric')] === 'validation-loss')).toBe(true);
    expect(rows[0][col('configuration')]).toBe('{"optimizer.lr":0.01}');
  }, 120_000);

  it('examples/tuned-comparison.json: the chosen lr of every optimizer lies inside the shared grid, so no search-space warning', async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    const { code, stdout } = await optlab([
      'run',
      join(examples, 'tuned-comparison.json'),
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    const a = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).analysis;
    expect(a.groups.map((g: GroupAnalysis) => [g.name, g.best, g.edges])).toEqual([
      ['SGD', 'SGD[lr=3.16]', []],
      ['Momentum', 'Momentum[lr=1]', []],
      ['Adam', 'Adam[lr=0.316]', []],
      ['NAdam', 'NAdam[lr=0.316]', []],
      ['AdamW', 'AdamW[lr=0.316]', []],
    ]);
    expect(stdout).not.toContain('search space');
  }, 120_000);

  it('refuses bad sweeps with exit 2, naming the JSON path, before writing anything', async () => {
    const dir = tmp();
    const spec = cutDown();
    const runs = spec.runs as Record<string, unknown>[];
    runs[0] = { ...runs[0], sweep: { 'optimizer.lrr': [0.1], 'optimizer.momentum': [] } };
    runs[1] = { ...runs[1], sweep: { 'optimizer.lr': { logspace: [0, 0.1, 3] } } };
    const path = join(dir, 'spec.json');
    writeFileSync(path, JSON.stringify(spec));
    const { code, stderr } = await optlab(['run', path, '--out', join(dir, 'out')]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'runs[0].sweep["optimizer.lrr"]: unknown option "lrr" for optimizer SGD',
    );
    expect(stderr).toContain(
      'runs[0].sweep["optimizer.momentum"]: an empty grid: give at least one value',
    );
    expect(stderr).toContain(
      'runs[1].sweep["optimizer.lr"].logspace: a log grid needs lo > 0 and hi > 0, got [0, 0.1, 3]',
    );
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
