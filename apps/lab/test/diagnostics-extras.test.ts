/**
 * The "Diagnostics" section of a run card's Training extras: the patches it writes into the run
 * draft, the default K (about 50 points over the run), the validator's messages on the card, and
 * that diagnostics on one run alone keep the comparison like for like.
 */
import { describe, expect, it } from 'vitest';
import {
  formatIssue,
  SHARPNESS_DEFAULTS,
  SHARPNESS_LIMITS,
  validateSpec,
} from '@optlab/experiment';
import { catalog } from '../src/renderer/src/lib/catalog.js';
import {
  fromSpec,
  toSpec,
  updateRun,
  type ExperimentDraft,
} from '../src/renderer/src/lib/draft.js';
import { FolderStore } from '../src/renderer/src/lib/folder-data.js';
import { trainingUpdates } from '../src/renderer/src/lib/long-run.js';
import { parseOption } from '../src/renderer/src/lib/options.js';
import { runDifferences, settingsTable } from '../src/renderer/src/lib/run-differences.js';
import { checkDraft, issuesUnder } from '../src/renderer/src/lib/spec-check.js';
import {
  defaultDiagnosticsEvery,
  DIAGNOSTICS_EVERY,
  DIAGNOSTICS_EVERY_UNKNOWN,
  setDiagnostics,
  setDiagnosticsEvery,
  setSharpness,
  setSharpnessOptions,
  SHARPNESS_OPTIONS,
} from '../src/renderer/src/lib/training-extras.js';

const base = {
  version: 1,
  name: 'moons',
  task: {
    kind: 'classification',
    dataset: { type: 'moons', n: 300, noise: 0.15, seed: 42 },
    model: { type: 'mlp', hidden: [16] },
    testFraction: 0.25,
  },
  training: { epochs: 40, batchSize: 16 },
  runs: [
    { name: 'SGD', optimizer: { type: 'SGD', lr: 0.1 }, backend: 'cpu' },
    { name: 'Adam', optimizer: { type: 'Adam', lr: 0.01 }, backend: 'cpu' },
  ],
};

function draft(): ExperimentDraft {
  return fromSpec(structuredClone(base));
}

function edit(d: ExperimentDraft, ...patches: Parameters<typeof updateRun>[2][]): ExperimentDraft {
  return patches.reduce((next, patch) => updateRun(next, next.runs[1].id, patch), d);
}

/** The messages run 1's card lists, as RunCard.svelte words them. */
function cardIssues(d: ExperimentDraft): string[] {
  return issuesUnder(checkDraft(d, catalog).issues, 'runs[1]').map(formatIssue);
}

describe('diagnostics patches', () => {
  it('on writes { every }, sharpness adds {}, its options only what the form gives; off removes all', () => {
    const on = edit(draft(), setDiagnostics(true, 12));
    expect((toSpec(on)['runs'] as Record<string, unknown>[])[1]['diagnostics']).toEqual({
      every: 12,
    });
    const sharp = edit(on, setSharpness(on.runs[1].diagnostics!, true));
    expect(sharp.runs[1].diagnostics).toEqual({ every: 12, sharpness: {} });
    const tuned = edit(
      sharp,
      setSharpnessOptions(sharp.runs[1].diagnostics!, { iterations: 30, seed: 3 }),
    );
    expect(tuned.runs[1].diagnostics).toEqual({
      every: 12,
      sharpness: { iterations: 30, seed: 3 },
    });
    const k = edit(tuned, setDiagnosticsEvery(tuned.runs[1].diagnostics!, 5));
    expect(k.runs[1].diagnostics).toEqual({ every: 5, sharpness: { iterations: 30, seed: 3 } });
    const noSharpness = edit(k, setSharpness(k.runs[1].diagnostics!, false));
    expect(noSharpness.runs[1].diagnostics).toEqual({ every: 5 });
    const off = edit(k, setDiagnostics(false, 5));
    expect(toSpec(off)).toEqual(base);
    // The other run is untouched.
    expect((toSpec(k)['runs'] as Record<string, unknown>[])[0]).toEqual(base.runs[0]);
  });

  it('writes spec fields that validateSpec accepts, and a spec’s diagnostics come back unchanged', () => {
    const on = edit(draft(), setDiagnostics(true, 12));
    const d = edit(on, setSharpness(on.runs[1].diagnostics!, true));
    const tuned = edit(
      d,
      setSharpnessOptions(d.runs[1].diagnostics!, { iterations: 25, tolerance: 1e-4, seed: 7 }),
    );
    const spec = toSpec(tuned);
    expect(validateSpec(spec, catalog)).toMatchObject({ ok: true });
    // Saved and reopened: the draft holds the same setting the controls read.
    const reopened = fromSpec(JSON.parse(JSON.stringify(spec)));
    expect(reopened.runs[1].diagnostics).toEqual({
      every: 12,
      sharpness: { iterations: 25, tolerance: 1e-4, seed: 7 },
    });
  });

  it('describes the power iteration with the spec’s defaults and bounds', () => {
    expect(SHARPNESS_OPTIONS.map((o) => [o.name, o.default])).toEqual([
      ['iterations', SHARPNESS_DEFAULTS.iterations],
      ['tolerance', SHARPNESS_DEFAULTS.tolerance],
      ['seed', SHARPNESS_DEFAULTS.seed],
    ]);
    expect(SHARPNESS_OPTIONS[0].max).toBe(SHARPNESS_LIMITS.iterations);
    // An emptied field leaves the option out (the spec's default applies).
    expect(parseOption(SHARPNESS_OPTIONS[0], '')).toEqual({ ok: true, value: undefined });
    expect(parseOption(SHARPNESS_OPTIONS[0], '1001')).toEqual({
      ok: false,
      error: 'iterations must be ≤ 1000, got 1001',
    });
  });

  it('reads K as an integer and leaves its bounds to the validator', () => {
    expect(parseOption(DIAGNOSTICS_EVERY, '0')).toEqual({ ok: true, value: 0 });
    expect(parseOption(DIAGNOSTICS_EVERY, '25')).toEqual({ ok: true, value: 25 });
    expect(parseOption(DIAGNOSTICS_EVERY, '2.5')).toEqual({
      ok: false,
      error: 'every must be an integer, got 2.5',
    });
    expect(parseOption(DIAGNOSTICS_EVERY, 'ten')).toEqual({
      ok: false,
      error: 'every must be a finite number, got "ten"',
    });
    expect(parseOption(DIAGNOSTICS_EVERY, '')).toEqual({ ok: false, error: 'every is required' });
  });
});

describe('the default K: about 50 points over the run', () => {
  it('is the run’s updates / 50, rounded, at least 1, and 10 when the length is unknown', () => {
    expect(defaultDiagnosticsEvery(600)).toBe(12);
    expect(defaultDiagnosticsEvery(300)).toBe(6);
    expect(defaultDiagnosticsEvery(5000)).toBe(100);
    expect(defaultDiagnosticsEvery(74)).toBe(1);
    expect(defaultDiagnosticsEvery(10)).toBe(1);
    expect(defaultDiagnosticsEvery(null)).toBe(DIAGNOSTICS_EVERY_UNKNOWN);
    expect(DIAGNOSTICS_EVERY_UNKNOWN).toBe(10);
  });

  it('counts a run’s updates from the spec: steps, or epochs × batches of the training rows', () => {
    const folders = new FolderStore();
    // moons 300, a quarter held out: 225 rows, 15 batches of 16 per epoch, 40 epochs.
    expect(trainingUpdates(base, folders, 0)).toBe(600);
    expect(
      trainingUpdates(
        { ...base, training: { epochs: 40, batchSize: 16, dropLast: true } },
        folders,
        0,
      ),
    ).toBe(560);
    expect(
      trainingUpdates({ ...base, training: { steps: 300, batchSize: 'full' } }, folders, 0),
    ).toBe(300);
    expect(trainingUpdates({ ...base, training: { epochs: 7 } }, folders, 0)).toBe(7);
    // A run's own batch size: 225 / 100 → 3 batches.
    const own = {
      ...base,
      runs: [base.runs[0], { ...base.runs[1], training: { batchSize: 100 } }],
    };
    expect(trainingUpdates(own, folders, 1)).toBe(120);
    expect(trainingUpdates(own, folders, 0)).toBe(600);
    // A validation fraction shrinks the training rows too: 300 × 0.75 × 0.8 = 180 → 12 batches.
    const validated = { ...base, task: { ...base.task, validationFraction: 0.2 } };
    expect(trainingUpdates(validated, folders, 0)).toBe(480);
    // A test function's epoch is one update.
    const fn = {
      version: 1,
      task: { kind: 'function', function: { type: 'rosenbrock' } },
      training: { epochs: 20 },
      runs: [],
    };
    expect(trainingUpdates(fn, folders, 0)).toBe(20);
    // A dataset folder not loaded yet: unknown.
    const folder = { ...base, task: { ...base.task, dataset: { type: 'idx', folder: 'x' } } };
    expect(trainingUpdates(folder, folders, 0)).toBeNull();
  });
});

describe('a bad K on the card: the validator’s message with its JSON path', () => {
  it('names runs[1].diagnostics.every for K = 0, and the sharpness’s iterations', () => {
    const zero = edit(draft(), setDiagnostics(true, 0));
    expect(cardIssues(zero)).toEqual(['runs[1].diagnostics.every: must be ≥ 1, got 0']);
    expect(issuesUnder(checkDraft(zero, catalog).issues, 'runs[0]')).toEqual([]);
    const iterations = edit(draft(), { diagnostics: { every: 5, sharpness: { iterations: 0 } } });
    expect(cardIssues(iterations)).toEqual([
      'runs[1].diagnostics.sharpness.iterations: must be ≥ 1, got 0',
    ]);
  });
});

describe('diagnostics on one run keep the comparison like for like', () => {
  it('is no difference for the badge, and differs in the table without being unfair', () => {
    const d = edit(draft(), { diagnostics: { every: 12, sharpness: {} } });
    expect(runDifferences(d.runs)).toEqual([]);
    const rows = settingsTable(d.runs);
    const every = rows.find((r) => r.key === 'diagnostics.every')!;
    expect(every).toMatchObject({ values: ['none', '12'], differs: true, unfair: false });
    // A setting that does change training still is unfair.
    const seeded = edit(d, { seed: 3 });
    expect(runDifferences(seeded.runs).map((x) => x.key)).toEqual(['seed']);
    expect(settingsTable(seeded.runs).find((r) => r.key === 'seed')).toMatchObject({
      differs: true,
      unfair: true,
    });
  });
});
