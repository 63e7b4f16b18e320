import type { Parameter, Tensor } from '@optlab/tensor';
import type { WeightObjective } from '../diagnostics/objective.js';
import type { ExperimentEvent, RunMetrics } from './events.js';

/**
 * What one (run, seed) trains, seen from the training loop (`train-loop.ts`): a test function's
 * point (`function-task.ts`) or a model on a dataset (`data-task.ts`). A task computes gradients
 * and evaluations and knows its own epochs; the loop owns everything else once — the optimizer
 * and schedule, timing, divergence, event emission, yielding, cancellation and cleanup.
 */
export interface TrainingTask {
  /** Builds what is trained (on the run's backend) and evaluates it before any update. */
  start(): Promise<TaskStart>;
  /**
   * Writes the gradients of update `stepIndex` (0-based) into the parameters. Returns the loss
   * they were taken at when it is a tensor the loop may read (a dataset's minibatch loss, taken
   * before the update; the loop disposes it), or null (a test function: its loss comes with the
   * evaluation after every update).
   */
  step(stepIndex: number): Tensor | null | Promise<Tensor | null>;
  /**
   * For optimizers that step with a closure (LBFGS, SAM): a closure that computes the loss at the
   * parameters as they are when it is called and writes their gradients, on the data of update
   * `stepIndex` (a dataset's minibatch; called once per update, in place of `step`). `observe`
   * sees every evaluation with its point, where the task has one (test functions).
   */
  closure(stepIndex: number, observe?: (e: ClosureEvaluation) => void): () => Promise<number>;
  /** Whether the parameters after `step` updates are evaluated. */
  evaluatesAfter(step: number): boolean;
  /** The full objective at the current parameters. */
  evaluate(): Promise<Evaluation>;
  /** Events of the task's own after an evaluation that did not diverge (decision boundaries). */
  afterEvaluation(step: number, epoch: number | null): Promise<ExperimentEvent[]>;
  /** Events about the final model, after the last evaluation of a run that did not diverge. */
  finalEvents?(): Promise<ExperimentEvent[]>;
  /** Completed epochs after `step` updates; null for tasks without epochs. */
  epochAfter(step: number): number | null;
  /** Whether update `step` (1-based) completes an epoch. */
  endsEpoch(step: number): boolean;
  /** The task's part of the run's final metrics, from the last evaluation. */
  finalMetrics(last: Evaluation): Promise<Partial<RunMetrics>>;
  /**
   * The objective as a function of the flat weights (after `start`): what the diagnostics'
   * sharpness and the loss landscape evaluate. A dataset: the full training loss; a function: f.
   */
  objective(): WeightObjective;
  /** Frees what `start` made on the backend; safe to call at any point, and more than once. */
  dispose(): void;
}

export interface TaskStart {
  /** Model or function, for humans. */
  readonly model: string;
  /** What the optimizer updates. */
  readonly parameters: Parameter[];
  readonly totalSteps: number;
  readonly totalEpochs: number | null;
  readonly stepsPerEpoch: number | null;
  /**
   * When a pure schedule steps (a metric-driven one steps at the same points, given a loss):
   * after each update, or after each epoch.
   */
  readonly scheduleInterval: 'step' | 'epoch';
  /**
   * How evaluations are reported: test functions evaluate after every update and report it as
   * a `step` event with the point (the trajectory); datasets as `eval` events.
   */
  readonly evaluationEvent: 'step' | 'eval';
  /** The evaluation's loss in divergence reasons: "the loss", "the training loss". */
  readonly lossName: string;
  readonly initial: Evaluation;
  /** Task events right after `start` (the first decision boundary). */
  readonly events: readonly ExperimentEvent[];
}

export interface Evaluation {
  /** Full training loss (dataset) or f (test function). */
  readonly loss: number;
  readonly trainAccuracy?: number;
  readonly testLoss?: number;
  readonly testAccuracy?: number;
  /** On the validation split (`validationFraction`), where there is one. */
  readonly validationLoss?: number;
  readonly validationAccuracy?: number;
  /** Test functions: the point. */
  readonly point?: Float64Array;
  /** False when a parameter is NaN or ±Infinity. */
  readonly paramsFinite: boolean;
}

/** One evaluation of a closure: its loss, and for a test function the point it was taken at. */
export interface ClosureEvaluation {
  readonly loss: number;
  readonly point?: Float64Array;
}
