// The performance profile view's input: the CLI's result files (apps/lab/e2e/fixtures/profiles,
// written by tools/fixtures/lab/make-profile-results.sh) read as tasks, and the profile drawn
// from them equal to @optlab/experiment's suiteProfile (what `optlab bench` prints).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { suiteProfile, type ExperimentSummary, type ProfileTask } from '@optlab/experiment';
import {
  profileInput,
  profilesOf,
  profileTaus,
  readInFolder,
  readResultFiles,
  type PickedText,
} from '../src/renderer/src/lib/profile-files.js';

const FIXTURES = join(__dirname, '../e2e/fixtures/profiles');

/** Every file under `dir`, named from FIXTURES as a browser's folder pick names them. */
function folder(dir: string): PickedText[] {
  const out: PickedText[] = [];
  for (const name of readdirSync(join(FIXTURES, dir)).sort()) {
    const path = join(FIXTURES, dir, name);
    if (statSync(path).isDirectory()) out.push(...folder(join(dir, name)));
    else out.push({ name: relative(FIXTURES, path), text: readFileSync(path, 'utf8') });
  }
  return out;
}

function file(path: string): PickedText {
  return { name: path, text: readFileSync(join(FIXTURES, path), 'utf8') };
}

const summary = (path: string) =>
  JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as ExperimentSummary;

const BENCH = ['rosenbrock', 'himmelblau', 'beale', 'iris'];

describe('reading result files', () => {
  it('reads a bench folder through its suite.json, ignoring the specs beside the summaries', () => {
    const outcome = readResultFiles(folder('bench'), true);
    expect(outcome.problems).toEqual([]);
    // In the suite's order, not the folder's alphabetical one.
    expect(outcome.experiments.map((e) => e.summary.experiment)).toEqual(BENCH);
    expect(outcome.experiments.find((e) => e.summary.experiment === 'iris')?.file).toBe(
      'bench/iris/summary.json',
    );
  });

  it('reads only summaries and suite indexes from a folder', () => {
    expect(readInFolder('bench/iris/summary.json')).toBe(true);
    expect(readInFolder('bench/suite.json')).toBe(true);
    expect(readInFolder('bench/iris/metrics.jsonl')).toBe(false);
    expect(readInFolder('bench/iris/spec.json')).toBe(false);
  });

  it('says which summary a picked suite.json misses', () => {
    const picked = folder('bench').filter((f) => f.name !== 'bench/beale/summary.json');
    expect(readResultFiles(picked, true).problems).toEqual([
      'bench/suite.json: the summary of experiment "beale" (bench/beale/summary.json) was not picked; pick the whole result folder',
    ]);
  });

  it('reads the --json output of a suite and of one experiment', () => {
    const summaries = BENCH.map((n) => summary(`bench/${n}/summary.json`));
    const suite = { name: 'bench.json', text: JSON.stringify({ out: 'x', suite: 's', summaries }) };
    const one = { name: 'run.json', text: JSON.stringify({ out: 'x', summary: summaries[0] }) };
    const outcome = readResultFiles([suite, one]);
    expect(outcome.problems).toEqual([]);
    expect(outcome.experiments.map((e) => `${e.file}:${e.summary.experiment}`)).toEqual([
      'bench.json:rosenbrock',
      'bench.json:himmelblau',
      'bench.json:beale',
      'bench.json:iris',
      'run.json:rosenbrock',
    ]);
  });

  it('reads files picked one by one that share a name (each is summary.json)', () => {
    const a = file('rosenbrock-near/summary.json');
    const b = file('himmelblau-far/summary.json');
    const outcome = readResultFiles([
      { name: 'summary.json', text: a.text },
      { name: 'summary.json', text: b.text },
    ]);
    expect(outcome.experiments.map((e) => e.summary.experiment)).toEqual([
      'rosenbrock-near',
      'himmelblau-far',
    ]);
  });

  it('names a file that is a spec, not JSON, or not a result', () => {
    const outcome = readResultFiles([
      file('rosenbrock-near/spec.json'),
      { name: 'notes.json', text: '{ "a": ' },
      {
        name: 'other.json',
        text: '{ "experiment": "x", "targetLoss": 1, "runs": [{ "run": "A" }] }',
      },
    ]);
    expect(outcome.experiments).toEqual([]);
    expect(outcome.problems).toEqual([
      'rosenbrock-near/spec.json: this is an experiment spec, not its results: run it (optlab run) and open the summary.json it writes',
      expect.stringMatching(/^notes\.json: not JSON \(/),
      'other.json: not an OptLab result file (runs[0].status is not "done" or "diverged")',
    ]);
  });
});

describe('profile input', () => {
  it('is the CLI profile of the same summaries, at the table grid and at every jump', () => {
    const files = [
      ...folder('bench'),
      file('rosenbrock-near/summary.json'),
      file('himmelblau-far/summary.json'),
    ];
    const { experiments, problems } = readResultFiles(files, true);
    expect(problems).toEqual([]);
    const input = profileInput(experiments);
    expect(input.problems).toEqual([]);
    const summaries = experiments.map((e) => e.summary);
    for (const measure of ['steps', 'ms'] as const) {
      const pair = profilesOf(input.entries, measure);
      expect(pair.table).toEqual(suiteProfile(summaries, measure));
      expect(pair.drawn).toEqual(suiteProfile(summaries, measure, pair.drawn.taus));
    }
    // The fixtures' steps profile as `optlab bench` printed it for the suite's four tasks plus
    // the two single runs: SGD misses rosenbrock and rosenbrock-near.
    const steps = profilesOf(input.entries, 'steps').table;
    expect(steps.tasks).toEqual([...BENCH, 'rosenbrock-near', 'himmelblau-far']);
    expect(steps.optimizers.map((o) => [o.name, o.solved])).toEqual([
      ['SGD', 4],
      ['Momentum', 6],
      ['Adam', 6],
    ]);
  });

  it('puts every ratio where a line jumps on the drawn grid, and one τ past the last', () => {
    const tasks: ProfileTask[] = [
      { name: 'a', costs: { A: 10, B: 30 } },
      { name: 'b', costs: { A: 50, B: 20, C: Infinity } },
    ];
    expect(profileTaus(tasks)).toEqual([1, 1.25, 1.5, 2, 2.5, 3, 4, 8, 16, 32]);
  });

  it('leaves out, naming the file, a task without a target, a task loaded twice, and one sharing no optimizer', () => {
    const rosenbrock = summary('bench/rosenbrock/summary.json');
    const input = profileInput([
      { file: 'a/summary.json', summary: rosenbrock },
      { file: 'b/summary.json', summary: summary('himmelblau-far/summary.json') },
      {
        file: 'c/summary.json',
        summary: { ...rosenbrock, experiment: 'no-target', targetLoss: null },
      },
      { file: 'd/summary.json', summary: rosenbrock },
      { file: 'lbfgs-only/summary.json', summary: summary('lbfgs-only/summary.json') },
    ]);
    expect(input.entries.map((e) => e.file)).toEqual(['a/summary.json', 'b/summary.json']);
    expect(input.problems).toEqual([
      'c/summary.json: experiment "no-target" sets no training.targetLoss, so it has no steps or time to a target; left out',
      'd/summary.json: experiment "rosenbrock" is already loaded from a/summary.json; left out',
      'lbfgs-only/summary.json: experiment "lbfgs-only" shares no optimizer with the other files (its runs: LBFGS); left out',
    ]);
  });
});
