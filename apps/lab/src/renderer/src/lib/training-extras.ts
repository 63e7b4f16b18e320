/**
 * The run fields around its optimizer that the "Training extras" fold of a run card edits:
 * Lookahead, gradient clipping by norm and by value, weight averaging and parameter groups
 * (`runOptimizerFields` and `averaging` in @optlab/experiment's spec). Pure functions over a run
 * draft, so the card stays thin and tests check them without a page. Each returns the patch for
 * `updateRun`, where `undefined` removes a field: a run that uses none of them writes none of them.
 *
 * The fields are checked by the spec's validator (the card lists its issues with their JSON
 * paths), as everything else in the run is; the descriptions below only drive the form.
 */
import type { Catalog, OptionDescription } from '@optlab/experiment';
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
