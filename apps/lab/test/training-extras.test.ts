import { describe, expect, it } from 'vitest';
import { formatIssue, validateSpec } from '@optlab/experiment';
import { LOOKAHEAD_OPTIONS } from '@optlab/optim';
import { catalog } from '../src/renderer/src/lib/catalog.js';
import {
  fromSpec,
  toSpec,
  updateRun,
  type ExperimentDraft,
} from '../src/renderer/src/lib/draft.js';
import { checkDraft, issuesUnder } from '../src/renderer/src/lib/spec-check.js';
import {
  addParamGroup,
  editParamGroup,
  groupOptions,
  hasParameterNames,
  lookaheadOptions,
  removeParamGroup,
  setAveragingType,
  setClipGradNorm,
  setClipGradValue,
  setLookahead,
} from '../src/renderer/src/lib/training-extras.js';

const base = {
  version: 1,
  name: 'moons',
  task: {
    kind: 'classification',
    dataset: { type: 'moons', n: 64 },
    model: { type: 'mlp', hidden: [4] },
  },
  training: { epochs: 2, batchSize: 16 },
  runs: [{ name: 'Adam', optimizer: { type: 'Adam', lr: 0.01 }, backend: 'cpu' }],
};

function draft(): ExperimentDraft {
  return fromSpec(structuredClone(base));
}

function edit(d: ExperimentDraft, ...patches: Parameters<typeof updateRun>[2][]): ExperimentDraft {
  return patches.reduce((next, patch) => updateRun(next, next.runs[0].id, patch), d);
}

/** The messages a run card lists for run 0, as RunCard.svelte words them. */
function cardIssues(d: ExperimentDraft): string[] {
  return issuesUnder(checkDraft(d, catalog).issues, 'runs[0]').map(formatIssue);
}

describe('training extras in a run draft', () => {
  it('writes no extra field for a run that uses none, and removes each when turned off', () => {
    const plain = draft();
    expect(toSpec(plain)).toEqual(base);
    const on = edit(
      plain,
      setLookahead(true),
      setClipGradNorm(1),
      setClipGradValue(0.5),
      setAveragingType(catalog, 'ema'),
      addParamGroup(undefined),
    );
    const off = edit(
      on,
      setLookahead(false),
      setClipGradNorm(undefined),
      setClipGradValue(undefined),
      setAveragingType(catalog, ''),
      removeParamGroup(on.runs[0].paramGroups!, 0),
    );
    expect(toSpec(off)).toEqual(base);
    expect(Object.keys(off.runs[0]).sort()).toEqual(['backend', 'id', 'name', 'optimizer']);
  });

  it('produces exactly the spec fields, which validateSpec accepts', () => {
    const groups = addParamGroup(undefined).paramGroups;
    const d = edit(
      draft(),
      { lookahead: { k: 3, alpha: 0.8 } },
      setClipGradNorm(2.5, 'inf'),
      setClipGradValue(0.1),
      { averaging: { type: 'swa', start: 4, swaLr: 0.005 } },
      editParamGroup(groups, 0, { match: 'bias', weightDecay: 0, lr: 0.02 }),
    );
    const spec = toSpec(d);
    expect((spec['runs'] as unknown[])[0]).toEqual({
      name: 'Adam',
      optimizer: { type: 'Adam', lr: 0.01 },
      backend: 'cpu',
      lookahead: { k: 3, alpha: 0.8 },
      clipGradNorm: { maxNorm: 2.5, normType: 'inf' },
      clipGradValue: { clipValue: 0.1 },
      averaging: { type: 'swa', start: 4, swaLr: 0.005 },
      paramGroups: [{ match: 'bias', weightDecay: 0, lr: 0.02 }],
    });
    expect(validateSpec(spec, catalog)).toMatchObject({ ok: true });
  });

  it('leaves the default L2 norm unwritten, and Lookahead on with its defaults is {}', () => {
    expect(setClipGradNorm(1)).toEqual({ clipGradNorm: { maxNorm: 1 } });
    expect(setClipGradNorm(1, 2)).toEqual({ clipGradNorm: { maxNorm: 1 } });
    expect(setClipGradNorm(1, 1)).toEqual({ clipGradNorm: { maxNorm: 1, normType: 1 } });
    expect(setLookahead(true)).toEqual({ lookahead: {} });
    const spec = toSpec(edit(draft(), setLookahead(true), setClipGradNorm(1)));
    expect(validateSpec(spec, catalog)).toMatchObject({ ok: true });
  });

  it('starts an averaging from its registry defaults', () => {
    expect(setAveragingType(catalog, 'ema')).toEqual({
      averaging: defaultsOfAveraging('ema'),
    });
    // SWA's start has no default: the form shows it required, the validator names it.
    expect(setAveragingType(catalog, 'swa').averaging).not.toHaveProperty('start');
    expect(() => setAveragingType(catalog, 'nope')).toThrow('unknown averaging "nope"');
  });

  it('takes the Lookahead form from @optlab/optim and group fields from the run’s optimizer', () => {
    expect(lookaheadOptions(catalog)).toBe(LOOKAHEAD_OPTIONS);
    expect(groupOptions(catalog, 'AdamW').map((o) => [o.name, o.default])).toEqual([
      ['lr', null],
      ['weightDecay', null],
    ]);
    // Adadelta has a weightDecay; Rprop has none.
    expect(groupOptions(catalog, 'Rprop').map((o) => o.name)).toEqual(['lr']);
    expect(hasParameterNames({ kind: 'function' })).toBe(false);
    expect(hasParameterNames({ kind: 'regression' })).toBe(true);
  });

  it('keeps the other groups when one is edited or removed', () => {
    const two = [{ match: 'bias' }, { match: 'layer1', lr: 0.1 }];
    expect(editParamGroup(two, 1, { match: 'layer2', lr: 0.1 }).paramGroups).toEqual([
      { match: 'bias' },
      { match: 'layer2', lr: 0.1 },
    ]);
    expect(removeParamGroup(two, 0)).toEqual({ paramGroups: [{ match: 'layer1', lr: 0.1 }] });
    expect(removeParamGroup([{ match: 'bias' }], 0)).toEqual({ paramGroups: undefined });
  });
});

describe('bad extras on the card: the validator’s message with its JSON path', () => {
  it('names a required SWA start', () => {
    expect(cardIssues(edit(draft(), setAveragingType(catalog, 'swa')))).toEqual([
      'runs[0].averaging.start: is required',
    ]);
  });

  it('names a group that matches no parameter, and a bad group option', () => {
    const d = edit(draft(), {
      paramGroups: [
        { match: 'nothing', lr: 0.1 },
        { match: 'bias', lr: -1 },
      ],
    });
    expect(cardIssues(d)).toEqual([
      'runs[0].paramGroups[0].match: "nothing" matches no parameter of the mlp model; its parameters: layer1.W, layer1.b, layer2.W, layer2.b',
      'runs[0].paramGroups[1].lr: must be ≥ 0, got -1',
    ]);
  });

  it('names a Lookahead alpha above 1 and a negative clip', () => {
    const d = edit(draft(), { lookahead: { alpha: 2 } }, setClipGradValue(-1));
    expect(cardIssues(d)).toEqual([
      'runs[0].lookahead.alpha: must be ≤ 1, got 2',
      'runs[0].clipGradValue.clipValue: must be ≥ 0, got -1',
    ]);
  });
});

function defaultsOfAveraging(type: string): Record<string, unknown> {
  const config: Record<string, unknown> = { type };
  for (const o of catalog.averaging[type]!.options)
    if (o.default !== null) config[o.name] = o.default;
  return config;
}
