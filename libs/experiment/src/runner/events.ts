import type { BackendName } from '../spec/schema.js';
import type { Spread } from '../metrics/spread.js';
import type { TargetHit } from '../metrics/loss-curve.js';
import type { ParamsMode, ParamsSample } from './trajectory.js';
import type { LayerNorms } from '../diagnostics/layer-norms.js';
import type { ComparisonAnalysis } from '../protocol/analysis.js';
import type { ClassificationReport } from './classification-report.js';

export type { ParamsMode, ParamsSample } from './trajectory.js';

/**
 * What the runner reports, in order, for every (run, seed): `start`, then `step` and/or `eval`
 * events, then `end` (after `diverged` when the run blew up). After every run: `summary`.
 * Events are plain JSON-serialisable objects: the CLI appends them to metrics.jsonl as they come
 * and the lab posts them from its Web Workers.
 *
 * Losses are always "after": the loss an event reports is the training objective at the
 * parameters after `step` updates (`start` reports the loss before any update). Dataset tasks
 * evaluate the full training set at `eval` events, as the tutorial records its loss history;
 * `step` events of dataset tasks carry the minibatch loss of that step, taken before its update.
 *
 * Learning rates (`lr`): the step size of the update, from the schedule when there is one,
 * else the optimizer's lr. Adafactor in relative-step mode has no lr: `lr` is then its relative
 * step ρₜ = min(10⁻², 1/√t) (warmupInit: min(10⁻⁶·t, 1/√t)) for update t, and `lrMode` says
 * `"relative-step"` (Adafactor scales ρₜ per parameter by max(ε₂, RMS(θ)) with scaleParameter).
 *
 * Points (`params`, `finalParams`) travel in full up to 64 numbers; above that as every k-th
 * coordinate and the norm, `paramsMode: "sampled"` (see `trajectory.ts`), so that no event grows
 * with the dimension.
 *
 * `boundary` events come only when the consumer asks (`RunnerOptions.decisionBoundary`) and the
 * task is classification on exactly two features: one after `start` (step 0) and one after every
 * `eval` whose model is still finite.
 *
 * Closure optimizers (LBFGS, SAM) evaluate the objective several times an update: `evaluations`
 * (step and eval events, RunMetrics) counts the gradient evaluations so far. `closure` events
 * come only when the consumer asks (`RunnerOptions.closureEvaluations`) on function tasks: one
 * per evaluation, with its point, before the update's `step` event.
 */
export type ExperimentEvent =
  | ExperimentStartEvent
  | RunStartEvent
  | StepEvent
  | EvalEvent
  | BoundaryEvent
  | ClosureEvent
  | DiagnosticsEvent
  | DivergedEvent
  | ClassificationReportEvent
  | RunEndEvent
  | CancelledEvent
  | SummaryEvent;

/**
 * Training diagnostics after update `step` (only for runs with `diagnostics`, every
 * `diagnostics.every` updates and after the last): per-parameter norms of the step, and the
 * sharpness when asked. Computed on copies of the weights: the run trains exactly as without.
 */
export interface DiagnosticsEvent extends RunRef {
  readonly type: 'diagnostics';
  readonly step: number;
  readonly epoch: number | null;
  /** The step size of this update (as `lr` of step events). */
  readonly lr: number;
  readonly layers: readonly LayerNorms[];
  readonly sharpness?: {
    /** The top Hessian eigenvalue estimate. */
    readonly value: number;
    /** 2/lr: the stability threshold of plain gradient descent at this step size. */
    readonly twoOverLr: number | null;
    /**
     * The threshold of this run's optimizer, with the rule that gives it (SGD: 2/η, with momentum
     * (2+2β)/η, Nesterov (2+2β)/(η(1+2β))); null for optimizers without one on the raw Hessian
     * (adaptive methods; diagnostics/stability-line.ts).
     */
    readonly stability: { readonly value: number; readonly rule: string } | null;
    readonly iterations: number;
    readonly converged: boolean;
    /** What the loss is taken on: "the full training set (150 rows)", "the function". */
    readonly batch: string;
  };
}

interface RunRef {
  /** The run's name in the spec. */
  readonly run: string;
  readonly seed: number;
}

export interface ExperimentStartEvent {
  readonly type: 'experiment-start';
  readonly experiment: string;
  readonly runs: readonly { readonly name: string; readonly seeds: readonly number[] }[];
  /** (run, seed) pairs that will train. */
  readonly total: number;
}

export interface RunStartEvent extends RunRef {
  readonly type: 'start';
  /** Index of the run in the spec. */
  readonly runIndex: number;
  readonly backend: BackendName;
  /** What actually computes, from the backend itself (`cpu float32 (typed arrays)`, `gpu.js webasm …`). */
  readonly device: string;
  readonly dtype: string;
  /** Model or function, for humans (`MLP(20→64→3, tanh)`, `Rosenbrock(a=1, b=100)`). */
  readonly model: string;
  readonly parameterCount: number;
  /**
   * Which parameters went to which optimizer, when not all to one group of the run's optimizer:
   * `Muon: 2 matrices; AdamW(lr=0.02): 2 vectors (biases)`, or the `paramGroups` of the spec.
   */
  readonly paramGroups?: string;
  readonly totalSteps: number;
  readonly totalEpochs: number | null;
  readonly stepsPerEpoch: number | null;
  /** The step size of the first update: see the note on learning rates above. */
  readonly lr: number;
  /** Present only when `lr` is Adafactor's relative step ρₜ, not a learning rate. */
  readonly lrMode?: 'relative-step';
  readonly initialLoss: number;
  /** Function tasks: the start point (or its sample, see `paramsMode`). */
  readonly params?: readonly number[];
  /** `full`: `params` is the whole point; `sampled`: every `paramsSample.stride`-th coordinate. */
  readonly paramsMode?: ParamsMode;
  /** With `paramsMode: "sampled"`: the dimension, the stride and the norm of the whole point. */
  readonly paramsSample?: ParamsSample;
}

export interface StepEvent extends RunRef {
  readonly type: 'step';
  readonly step: number;
  readonly epoch: number | null;
  /** Function tasks: f after the step. Dataset tasks: the minibatch loss of the step. */
  readonly loss: number;
  /** The step size of this step's update: see the note on learning rates above. */
  readonly lr: number;
  /** Present only when `lr` is Adafactor's relative step ρₜ, not a learning rate. */
  readonly lrMode?: 'relative-step';
  readonly elapsedMs: number;
  /** Function tasks: the point after the step (the trajectory), or its sample. */
  readonly params?: readonly number[];
  /** `full`: `params` is the whole point; `sampled`: every `paramsSample.stride`-th coordinate. */
  readonly paramsMode?: ParamsMode;
  /** With `paramsMode: "sampled"`: the dimension, the stride and the norm of the whole point. */
  readonly paramsSample?: ParamsSample;
  /** Closure optimizers only: gradient evaluations so far (closure calls). */
  readonly evaluations?: number;
  /** Function tasks: what the optimizer estimates of itself (Prodigy: `{ d }`). */
  readonly optimizerStats?: OptimizerStats;
  /**
   * Present when the run averages its weights (`averaging` in the spec): what this evaluation ran
   * on, the average (`ema`, `swa`) or, before the first average is taken, the raw weights.
   */
  readonly evaluatedOn?: 'raw' | 'ema' | 'swa';
}

/** Numbers an optimizer estimates of itself, read at evaluations: Prodigy's step size `d`. */
export type OptimizerStats = Readonly<Record<string, number>>;

/**
 * One evaluation of the objective by a closure optimizer during update `step` (LBFGS's initial
 * point and line-search trials, SAM's two points), on a function task, when asked for.
 */
export interface ClosureEvent extends RunRef {
  readonly type: 'closure';
  /** The update in progress (1-based): these evaluations precede its `step` event. */
  readonly step: number;
  /** 0-based order of the evaluation within the update. */
  readonly index: number;
  readonly loss: number;
  /** LBFGS: `initial` (where the step starts), `step` (after a fixed step), `lineSearch` (a strong-Wolfe trial). */
  readonly kind?: 'initial' | 'step' | 'lineSearch';
  /** LBFGS: the step length along the search direction. */
  readonly t?: number;
  /** The point evaluated (or its sample, see `paramsMode`). */
  readonly params?: readonly number[];
  readonly paramsMode?: ParamsMode;
  readonly paramsSample?: ParamsSample;
}

export interface EvalEvent extends RunRef {
  readonly type: 'eval';
  readonly step: number;
  /** Completed epochs (null for step-based training that has not finished one). */
  readonly epoch: number | null;
  /** Full training-set loss after `step` updates. */
  readonly loss: number;
  /** The step size of the last update: see the note on learning rates above. */
  readonly lr: number;
  /** Present only when `lr` is Adafactor's relative step ρₜ, not a learning rate. */
  readonly lrMode?: 'relative-step';
  readonly elapsedMs: number;
  readonly trainAccuracy?: number;
  readonly testLoss?: number;
  readonly testAccuracy?: number;
  /** Closure optimizers only: gradient evaluations so far (closure calls). */
  readonly evaluations?: number;
  /** What the optimizer estimates of itself (Prodigy: `{ d }`), for plots. */
  readonly optimizerStats?: OptimizerStats;
  /**
   * Present when the run averages its weights (`averaging` in the spec): what this evaluation ran
   * on, the average (`ema`, `swa`) or, before the first average is taken, the raw weights.
   */
  readonly evaluatedOn?: 'raw' | 'ema' | 'swa';
  /** On the validation split (`validationFraction`), where there is one. */
  readonly validationLoss?: number;
  readonly validationAccuracy?: number;
}

/** The square grid a decision boundary is sampled on, in the model's (standardised) input space. */
export interface BoundaryGrid {
  /** Cells per side: the grid has size × size cells. */
  readonly size: number;
  /** [min, max] of the first feature (columns, left to right). */
  readonly x: readonly [number, number];
  /** [min, max] of the second feature (rows, top = max to bottom = min). */
  readonly y: readonly [number, number];
}

/**
 * What a 2-feature classifier predicts over its input domain after `step` updates: for every
 * cell centre of `grid`, row-major with row 0 at the top, the predicted class (argmax of the
 * logits) and its probability (softmax, or sigmoid for one binary logit; 4 decimals).
 */
export interface BoundaryEvent extends RunRef {
  readonly type: 'boundary';
  readonly step: number;
  readonly epoch: number | null;
  readonly classes: number;
  readonly grid: BoundaryGrid;
  readonly predicted: readonly number[];
  readonly confidence: readonly number[];
  /**
   * On the first boundary event of a (run, seed) only: the training points as the model sees
   * them (features flattened [x0, y0, x1, y1, …] and labels), every k-th row up to 1,000.
   */
  readonly points?: { readonly x: readonly number[]; readonly labels: readonly number[] };
}

export interface DivergedEvent extends RunRef {
  readonly type: 'diverged';
  /**
   * The step after which the run was seen diverging: a loss or parameter NaN/±Infinity, or a
   * loss above 10⁶ × max(|initial loss|, 1) (`divergence.ts`). `reason` says which.
   */
  readonly step: number;
  readonly epoch: number | null;
  readonly reason: string;
}

/**
 * Classification tasks, when the consumer asks (`RunnerOptions.classificationReport`): the final
 * model's confusion matrix and misclassified samples, just before `end` (not after `diverged`).
 */
export interface ClassificationReportEvent extends RunRef {
  readonly type: 'classification-report';
  readonly report: ClassificationReport;
}

export interface RunEndEvent extends RunRef {
  readonly type: 'end';
  readonly metrics: RunMetrics;
}

export interface CancelledEvent {
  readonly type: 'cancelled';
  readonly run: string | null;
  readonly seed: number | null;
  readonly step: number | null;
}

export interface SummaryEvent {
  readonly type: 'summary';
  readonly summary: ExperimentSummary;
}

/** Final numbers of one (run, seed). */
export interface RunMetrics {
  readonly run: string;
  readonly seed: number;
  readonly optimizer: string;
  readonly schedule: string | null;
  /**
   * Present when the run averages its weights: the final metrics (final loss, accuracies, the
   * final point or weights) are those of the average (`ema`, `swa`), or of the raw weights when
   * no average was taken (`raw`: the run ended before `start`).
   */
  readonly evaluatedOn?: 'raw' | 'ema' | 'swa';
  /** The optimizer and schedule as configured, for tables: `SGD(lr=0.01, momentum=0.9)`. */
  readonly label: string;
  readonly backend: BackendName;
  readonly device: string;
  readonly status: 'done' | 'diverged';
  readonly diverged: { readonly step: number; readonly reason: string } | null;
  readonly steps: number;
  /** Gradient evaluations: closure calls for closure optimizers (LBFGS, SAM), else one per step. */
  readonly evaluations: number;
  /** As the start event's `paramGroups`; null when every parameter is in one group. */
  readonly paramGroups: string | null;
  readonly epochs: number | null;
  readonly initialLoss: number;
  readonly finalLoss: number;
  readonly bestLoss: number;
  /** Step of the best loss. */
  readonly bestStep: number;
  /**
   * Epochs within 10% of the best loss: the tutorial's count of loss-history entries at or
   * below 1.1 × the minimum (its `convergence_speed`). The field keeps the tutorial's old name;
   * it is not a time to converge (see `target` for steps to a target loss).
   */
  readonly epochsToConverge: number;
  /** What one entry of the loss history is: an epoch, or an evaluation every N steps. */
  readonly historyUnit: 'epoch' | 'step';
  readonly target: TargetHit | null;
  readonly wallTimeMs: number;
  readonly stepsPerSecond: number;
  /**
   * How many runs shared the machine while this one was timed: the most runs in progress at once
   * (this one included) between its start and its end. 1 when runs go one after the other; up to
   * N with `--jobs N`. A timing field, like `wallTimeMs`: wall times are comparable only between
   * runs with the same value.
   */
  readonly concurrentRuns: number;
  /** The step size of the last update (Adafactor relative-step: ρₜ, as events' `lr`). */
  readonly finalLr: number;
  readonly trainAccuracy: number | null;
  readonly testAccuracy: number | null;
  readonly testLoss: number | null;
  /** On the validation split at the last evaluation, and the best over the evaluations. */
  readonly validationLoss: number | null;
  readonly bestValidationLoss: number | null;
  readonly validationAccuracy: number | null;
  readonly bestValidationAccuracy: number | null;
  /** Function tasks: the final point (or its sample, see `finalParamsMode`). */
  readonly finalParams: readonly number[] | null;
  /** As `paramsMode` of events; null without `finalParams`. */
  readonly finalParamsMode: ParamsMode | null;
  /** With `finalParamsMode: "sampled"`: the dimension, the stride and the norm of the point. */
  readonly finalParamsSample: ParamsSample | null;
  /**
   * Linear regression: final weights [b, w…] beside the least-squares solution of the same data.
   * Data with no unique solution (fewer rows than weights, collinear columns) has no reference:
   * `leastSquares` and `maxAbsDifference` are then null and `leastSquaresUnavailable` says why.
   */
  readonly linearRegression: {
    readonly weights: readonly number[];
    readonly leastSquares: readonly number[] | null;
    /** max |weights − leastSquares|. */
    readonly maxAbsDifference: number | null;
    readonly leastSquaresUnavailable: string | null;
  } | null;
}

/** Median and spread over the seeds of one run. */
export interface RunAggregate {
  readonly run: string;
  readonly optimizer: string;
  readonly schedule: string | null;
  readonly label: string;
  readonly backend: BackendName;
  readonly device: string;
  readonly seeds: readonly number[];
  readonly diverged: number;
  readonly finalLoss: Spread | null;
  readonly bestLoss: Spread | null;
  readonly epochsToConverge: Spread | null;
  /** Steps to target over the seeds that reached it; `reachedTarget` says how many did. */
  readonly targetStep: Spread | null;
  readonly targetMs: Spread | null;
  readonly reachedTarget: number;
  readonly wallTimeMs: Spread | null;
  readonly stepsPerSecond: Spread | null;
  readonly trainAccuracy: Spread | null;
  readonly testAccuracy: Spread | null;
}

export interface ExperimentSummary {
  readonly experiment: string;
  readonly task: string;
  readonly targetLoss: number | null;
  readonly status: 'done' | 'diverged' | 'cancelled';
  readonly startedAt: string;
  readonly wallTimeMs: number;
  readonly runs: readonly RunMetrics[];
  readonly aggregates: readonly RunAggregate[];
  /**
   * The comparison (`runComparison`): the protocol, each run's tuning budget and chosen
   * configuration, statistics over seeds and verdicts. Absent from `runExperiment`'s own summary.
   */
  readonly analysis?: ComparisonAnalysis;
}
