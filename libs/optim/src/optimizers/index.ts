/**
 * Optimizers with PyTorch's names, options, defaults and update rules, one file each; every
 * update is one fused pass per parameter tensor (Adafactor: a few, see its file).
 */
export { Optimizer } from './optimizer.js';
export type {
  OptimizerStateDict,
  ParameterState,
  SavedParameterState,
  SavedTensor,
} from './optimizer.js';
export { resolveParamGroups } from './param-groups.js';
export type { OptimizerSpec, ParamGroup, ParamGroupBase, ParamGroupInput } from './param-groups.js';
export { SGD, SGD_SPEC } from './sgd.js';
export type { SGDGroup, SGDOptions } from './sgd.js';
export { Adagrad, ADAGRAD_SPEC } from './adagrad.js';
export type { AdagradGroup, AdagradOptions } from './adagrad.js';
export { RMSprop, RMSPROP_SPEC } from './rmsprop.js';
export type { RMSpropGroup, RMSpropOptions } from './rmsprop.js';
export { Adadelta, ADADELTA_SPEC } from './adadelta.js';
export type { AdadeltaGroup, AdadeltaOptions } from './adadelta.js';
export { Adam, ADAM_SPEC } from './adam.js';
export type { AdamGroup, AdamOptions } from './adam.js';
export { AdamW, ADAMW_SPEC } from './adamw.js';
export type { AdamWGroup, AdamWOptions } from './adamw.js';
export { Adamax, ADAMAX_SPEC } from './adamax.js';
export type { AdamaxGroup, AdamaxOptions } from './adamax.js';
export { NAdam, NADAM_SPEC } from './nadam.js';
export type { NAdamGroup, NAdamOptions } from './nadam.js';
export { RAdam, RADAM_SPEC, RADAM_RECTIFICATION_THRESHOLD } from './radam.js';
export type { RAdamGroup, RAdamOptions } from './radam.js';
export { Adafactor, ADAFACTOR_SPEC, ADAFACTOR_HF_ONLY_OPTIONS } from './adafactor.js';
export type { AdafactorGroup, AdafactorOptions } from './adafactor.js';
export { AdafactorHF, ADAFACTOR_HF_SPEC } from './adafactor-hf.js';
export type { AdafactorHFGroup, AdafactorHFOptions } from './adafactor-hf.js';
export { ASGD, ASGD_SPEC } from './asgd.js';
export type { ASGDGroup, ASGDOptions } from './asgd.js';
export { Rprop, RPROP_SPEC } from './rprop.js';
export type { RpropGroup, RpropOptions } from './rprop.js';
export { ClosureOptimizer, isClosureOptimizer, stepWithClosure } from './closure.js';
export type { Closure } from './closure.js';
export { LBFGS, LBFGS_SPEC } from './lbfgs.js';
export type { LBFGSEvaluation, LBFGSGroup, LBFGSOptions } from './lbfgs.js';
export { Lion, LION_SPEC } from './lion.js';
export type { LionGroup, LionOptions } from './lion.js';
export { Muon, MUON_SPEC, MUON_NS_COEFFICIENTS } from './muon.js';
export type { MuonAdjustLrFn, MuonGroup, MuonOptions } from './muon.js';
export { ScheduleFreeOptimizer } from './schedule-free.js';
export type { ScheduleFreeGroup } from './schedule-free.js';
export { AdamWScheduleFree, ADAMW_SCHEDULE_FREE_SPEC } from './adamw-schedule-free.js';
export type { AdamWScheduleFreeGroup, AdamWScheduleFreeOptions } from './adamw-schedule-free.js';
export { SGDScheduleFree, SGD_SCHEDULE_FREE_SPEC } from './sgd-schedule-free.js';
export type { SGDScheduleFreeGroup, SGDScheduleFreeOptions } from './sgd-schedule-free.js';
export { Prodigy, PRODIGY_SPEC } from './prodigy.js';
export type { ProdigyEstimate, ProdigyGroup, ProdigyOptions } from './prodigy.js';
export { LAMB, LAMB_SPEC } from './lamb.js';
export type { LAMBGroup, LAMBOptions } from './lamb.js';
export { LARS, LARS_SPEC } from './lars.js';
export type { LARSGroup, LARSOptions } from './lars.js';
export { AdaBelief, ADABELIEF_SPEC } from './adabelief.js';
export type { AdaBeliefGroup, AdaBeliefOptions } from './adabelief.js';
export { Adan, ADAN_SPEC } from './adan.js';
export type { AdanGroup, AdanOptions } from './adan.js';
export { AdEMAMix, ADEMAMIX_SPEC, ademamixAlphaAt, ademamixBeta3At } from './ademamix.js';
export type { AdEMAMixGroup, AdEMAMixOptions } from './ademamix.js';
export { Lookahead, LOOKAHEAD_OPTIONS } from './lookahead.js';
export type { LookaheadOptions } from './lookahead.js';
export { clipGradNorm, clipGradValue } from './clip.js';
export { CombinedOptimizer } from './combined.js';
export { OPTIMIZERS, checkOptimizerOptions, createOptimizer } from './registry.js';
export type { OptimizerInfo } from './registry.js';
export { UPDATE_RULES, updateRuleOf } from './update-rules.js';
export type { UpdateRule } from './update-rules.js';
export { SAM } from './sam.js';
export type { SAMOptions } from './sam.js';
