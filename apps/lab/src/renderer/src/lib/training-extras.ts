/**
 * The run fields around its optimizer that the "Training extras" fold of a run card edits:
 * Lookahead, gradient clipping by norm and by value, weight averaging, parameter groups
 * (`runOptimizerFields` and `averaging` in @optlab/experiment's spec) and training diagnostics
 * (`diagnostics`, docs/decisions/0029-training-diagnostics-and-loss-landscapes.md). Pure functions over a run
 * draft, so the card stays thin and tests check them without a page. Each returns the patch for
 * `updateRun`, where `undefined` removes a field: a run that uses none of them writes none of them.
 *
 * The fields are checked by the spec's validator (the card lists its issues with their JSON
 * paths), as everything else in the run is; the descriptions below only drive the form.
 */
import {
  SHARPNESS_DEFAULTS,
  SHARPNESS_LIMITS,
  type Catalog,
  type OptionDescription,
} from '@optlab/experiment';
import { lookup } from '@optlab/tensor';
import type { ExperimentDraft, RunDraft } from './draft.js';
import { defaultsOf } from './options.js';

/** The Lookahead wrapper's catalog entry (its options are @optlab/optim's LOOKAHEAD_OPTIONS). */
export const LOOKAHEAD = 'Lookahead';

/**
 * `clipGradNorm.maxNorm` and `clipGradValue.clipValue` as the one option model describes a field;
 * the spec's zod schema (run-optimizer-schema.ts) is where their rules live, and says the same.
 */
export const MAX_NORM: OptionDescription = {
  name: 'maxNorm',
  kind: 'number',
  default: null,
  required: true,
  min: 0,
  doc: 'Largest norm of all gradients together (torch.nn.utils.clip_grad_norm_).',
};

export const CLIP_VALUE: OptionDescription = {
  name: 'clipValue',
  kind: 'number',
  default: null,
  required: true,
  min: 0,
  doc: 'Largest |g| of any element (torch.nn.utils.clip_grad_value_).',
};

/** The p-norms the form offers for `clipGradNorm.normType`; 2 is the default, left unwritten. */
export const NORM_TYPES: readonly (number | 'inf')[] = [2, 1, 'inf'];

/** Group options the list editor shows, when the run's optimizer has them. */
export const GROUP_OPTIONS: readonly string[] = ['lr', 'weightDecay'];

export interface ParamGroupDraft {
  match: string;
  [option: string]: unknown;
}

/** Parameter groups name a model's parameters: only dataset tasks have them. */
export function hasParameterNames(task: ExperimentDraft['task']): boolean {
  return task.kind === 'regression' || task.kind === 'classification';
}

export function lookaheadOptions(catalog: Catalog): readonly OptionDescription[] {
  return lookup(catalog.optimizerWrappers, LOOKAHEAD)?.options ?? [];
}

/** Turning Lookahead on writes `lookahead: {}` (its defaults, k 5 and α 0.5); off removes it. */
export function setLookahead(on: boolean): Pick<RunDraft, 'lookahead'> {
  return { lookahead: on ? {} : undefined };
}

/** The clip-by-norm patch: no maxNorm clears the field; norm type 2 (the default) is left out. */
export function setClipGradNorm(
  maxNorm: number | undefined,
  normType: number | 'inf' = 2,
): Pick<RunDraft, 'clipGradNorm'> {
  if (maxNorm === undefined) return { clipGradNorm: undefined };
  return { clipGradNorm: normType === 2 ? { maxNorm } : { maxNorm, normType } };
}

export function setClipGradValue(clipValue: number | undefined): Pick<RunDraft, 'clipGradValue'> {
  return { clipGradValue: clipValue === undefined ? undefined : { clipValue } };
}

/** Switching the averaging type starts from its defaults ('' is none). */
export function setAveragingType(catalog: Catalog, type: string): Pick<RunDraft, 'averaging'> {
  if (type === '') return { averaging: undefined };
  const entry = lookup(catalog.averaging, type);
  if (!entry) throw new Error(`unknown averaging ${JSON.stringify(type)}`);
  return { averaging: defaultsOf(type, entry.options) as RunDraft['averaging'] };
}

/**
 * The options a group may set, from the run's optimizer (its lr and weightDecay, those it has):
 * an empty field means "the run's value", so none has a default here.
 */
export function groupOptions(
  catalog: Catalog,
  optimizerType: string,
): readonly OptionDescription[] {
  const entry = lookup(catalog.optimizers, optimizerType);
  return (entry?.options ?? [])
    .filter((o) => GROUP_OPTIONS.includes(o.name))
    .map((o) => ({ ...o, default: null, required: false, perGroup: false }));
}

/** A new group: biases, the usual first one (`{ match: 'bias', weightDecay: 0 }` in PyTorch). */
export function addParamGroup(groups: readonly ParamGroupDraft[] | undefined): {
  paramGroups: ParamGroupDraft[];
} {
  return { paramGroups: [...(groups ?? []), { match: 'bias' }] };
}

/** A group replaced; the options it gives are kept as they are. */
export function editParamGroup(
  groups: readonly ParamGroupDraft[],
  index: number,
  group: ParamGroupDraft,
): { paramGroups: ParamGroupDraft[] } {
  return { paramGroups: groups.map((g, i) => (i === index ? group : g)) };
}

/** A group removed; removing the last removes the field (the spec wants at least one). */
export function removeParamGroup(
  groups: readonly ParamGroupDraft[],
  index: number,
): Pick<RunDraft, 'paramGroups'> {
  const rest = groups.filter((_, i) => i !== index);
  return { paramGroups: rest.length > 0 ? rest : undefined };
}

// ---- training diagnostics (`runs[].diagnostics`) ---------------------------------------------

export type DiagnosticsDraft = NonNullable<RunDraft['diagnostics']>;

/** About this many diagnostics points over a run, when diagnostics are turned on. */
export const DIAGNOSTICS_POINTS = 50;

/** K when the run's length is not known before its data is loaded (the preset's value). */
export const DIAGNOSTICS_EVERY_UNKNOWN = 10;

/**
 * The K a run's diagnostics start from ("every K updates"): about `DIAGNOSTICS_POINTS` points over
 * its `updates` (long-run.ts `trainingUpdates`), at least 1.
 */
export function defaultDiagnosticsEvery(updates: number | null): number {
  if (updates === null || !Number.isFinite(updates)) return DIAGNOSTICS_EVERY_UNKNOWN;
  return Math.max(1, Math.round(updates / DIAGNOSTICS_POINTS));
}

/**
 * K as the form reads it: an integer (its text must be one), but no bounds here — K = 0 reaches
 * the draft, so the spec's validator names `runs[i].diagnostics.every` on the card and the run
 * does not start, as for every other field the validator judges (diagnostics-schema.ts: ≥ 1).
 */
export const DIAGNOSTICS_EVERY: OptionDescription = {
  name: 'every',
  kind: 'integer',
  default: null,
  required: true,
  doc: 'Compute the diagnostics after every this many updates (and after the last).',
};

/**
 * The power iteration's options, as the one option model describes them: defaults and bounds from
 * the spec's SHARPNESS_DEFAULTS and SHARPNESS_LIMITS, so an empty field leaves the spec's default.
 */
export const SHARPNESS_OPTIONS: readonly OptionDescription[] = [
  {
    name: 'iterations',
    kind: 'integer',
    default: SHARPNESS_DEFAULTS.iterations,
    min: 1,
    max: SHARPNESS_LIMITS.iterations,
    doc: 'Most power-iteration steps, each one Hessian-vector product (two gradients).',
  },
  {
    name: 'tolerance',
    kind: 'number',
    default: SHARPNESS_DEFAULTS.tolerance,
    min: 0,
    exclusiveMin: true,
    doc: 'Stop when the estimate changes by less than this, relative.',
  },
  {
    name: 'seed',
    kind: 'integer',
    default: SHARPNESS_DEFAULTS.seed,
    min: 0,
    doc: 'Seed of the first start vector; later estimates start from the previous eigenvector.',
  },
];

/** On: every `every` updates (no sharpness); off removes the field, sharpness and all. */
export function setDiagnostics(on: boolean, every: number): Pick<RunDraft, 'diagnostics'> {
  return { diagnostics: on ? { every } : undefined };
}

/** A new K; the sharpness settings are kept. */
export function setDiagnosticsEvery(
  diagnostics: DiagnosticsDraft,
  every: number,
): Pick<RunDraft, 'diagnostics'> {
  return { diagnostics: { ...diagnostics, every } };
}

/** Sharpness on writes `sharpness: {}` (the spec's defaults); off removes it, K stays. */
export function setSharpness(
  diagnostics: DiagnosticsDraft,
  on: boolean,
): Pick<RunDraft, 'diagnostics'> {
  const { sharpness: _sharpness, ...rest } = diagnostics;
  return { diagnostics: on ? { ...rest, sharpness: {} } : rest };
}

/** The power iteration's options as the form gives them (an emptied field is left out). */
export function setSharpnessOptions(
  diagnostics: DiagnosticsDraft,
  options: Record<string, unknown>,
): Pick<RunDraft, 'diagnostics'> {
  const sharpness: Record<string, number> = {};
  for (const option of SHARPNESS_OPTIONS) {
    const value = options[option.name];
    if (typeof value === 'number') sharpness[option.name] = value;
  }
  return { diagnostics: { ...diagnostics, sharpness } };
}
