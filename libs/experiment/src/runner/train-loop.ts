import type { Backend, Tensor } from '@optlab/tensor';
import { stepWithClosure, type Optimizer } from '@optlab/optim';
import { bestOf, epochsToConverge, timeToTarget, type LossPoint } from '../metrics/loss-curve.js';
import type { ExperimentSpec, RunSpec } from '../spec/schema.js';
import { RunDiagnostics } from '../diagnostics/run-diagnostics.js';
import { stabilityLine } from '../diagnostics/stability-line.js';
import { buildOptimizer } from './build-optimizer.js';
import { RunAverager, type EvaluatedOn } from './averaging.js';
import { divergenceLimit, lossDivergence } from './divergence.js';
import type { ClosureEvent, ExperimentEvent, RunMetrics, RunStartEvent } from './events.js';
import { stepSizeOf, type StepSize } from './learning-rate.js';
import { logParams } from './trajectory.js';
import type { ClosureEvaluation, Evaluation, TrainingTask } from './training-task.js';

/** What the loop needs from its caller besides the task: the run, its clock, cancellation. */
export interface RunSetup {
  readonly spec: ExperimentSpec;
  readonly run: RunSpec;
  readonly runIndex: number;
  readonly seed: number;
  readonly label: string;
  readonly backend: Backend;
  readonly now: () => number;
  /** `now()` when the run began (before its backend was fetched): the origin of its times. */
  readonly t0: number;
  readonly signal?: AbortSignal;
  /** Longest stretch of computing between two yields to the event loop, in ms. */
  readonly yieldEveryMs: number;
  /** Emit a `closure` event for every closure evaluation of a test function (its point). */
  readonly closureEvaluations?: boolean;
  /**
   * Ends the run early, after at least one update, once it has made `steps` updates or run for
   * `ms` milliseconds (a warm-up, `unit-runner.ts`); absent: the run trains to its end.
   */
  readonly stopAfter?: { readonly steps: number; readonly ms: number };
  /**
   * Sees the weights (one flat vector, `diagnostics/flat-weights.ts`) before the first update,
   * after every `every`-th and after the last: the trajectory a loss landscape projects.
   */
  readonly observeWeights?: {
    readonly every: number;
    observe(step: number, weights: Float64Array): void;
  };
  /** Told the updates done and the run's time at every yield to the event loop (`RunnerOptions.onProgress`). */
  readonly onProgress?: (step: number, elapsedMs: number) => void;
}

/** Thrown out of `trainRun` when the signal aborts; `step` is the last completed update. */
export class Cancelled extends Error {
  constructor(readonly step: number) {
    super(`cancelled after step ${step}`);
  }
}

/**
 * The training loop, for every task: gradients (the task), clipping, `optimizer.step()` — or,
 * for optimizers that evaluate the objective themselves (LBFGS, SAM), `stepWithClosure` with the
 * task's closure, counting its evaluations — the schedule, the evaluations the task asks for
 * (Schedule-Free optimizers in eval mode, at their average x; training steps in train mode),
 * divergence, events, yielding to the event loop and cancellation. Everything the run holds — the task's model or parameter, the optimizer's state
 * — is released in one `finally`, whether the run ends, diverges, is cancelled (`Cancelled` is
 * thrown at the next step) or its consumer stops pulling events.
 *
 * Divergence (`divergence.ts`): every loss the loop sees — each evaluation, and the minibatch
 * loss whenever it is read (every step on backends that read synchronously) — is checked against
 * non-finite values and `divergenceLimit(initial loss)`, and each evaluation's parameters
 * against non-finite values. The run then ends with `diverged` at that step.
 */
export async function* trainRun(
  setup: RunSetup,
  task: TrainingTask,
): AsyncGenerator<ExperimentEvent> {
  const { spec, run, backend, now } = setup;
  const training = spec.training;
  const ref = { run: run.name, seed: setup.seed };
  const { t0 } = setup;
  /** Time spent on diagnostics, which is not training time (subtracted from every elapsed time). */
  let diagnosticsMs = 0;
  const elapsed = () => now() - t0 - diagnosticsMs;
  let lastYield = t0;
  let step = 0;
  /** Throws `Cancelled` when aborted; lets timers and messages through every so often. */
  const checkpoint = async () => {
    if (setup.signal?.aborted) throw new Cancelled(step);
    if (now() - lastYield >= setup.yieldEveryMs) {
      setup.onProgress?.(step, elapsed());
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastYield = now();
      if (setup.signal?.aborted) throw new Cancelled(step);
    }
  };
  let optimizer: Optimizer | null = null;
  let averager: RunAverager | null = null;
  let lossT: Tensor | null = null;
  try {
    const begun = await task.start();
    const built = buildOptimizer(run, begun.parameters);
    optimizer = built.optimizer;
    let { schedule } = built;
    const opt = optimizer;
    /** Gradient evaluations: closure calls, or one per ordinary step. */
    let evaluations = 0;
    const closureDriven = built.requiresClosure;
    const minibatchLosses = begun.evaluationEvent === 'eval';
    const observed: (ClosureEvaluation & { kind?: ClosureEvent['kind']; t?: number })[] = [];
    const observing = setup.closureEvaluations === true && !minibatchLosses && closureDriven;
    if (observing && built.lbfgs) {
      // LBFGS reports right after each evaluation: it annotates the one just observed.
      built.lbfgs.onEvaluation = (e) => {
        const last = observed.at(-1);
        if (last) Object.assign(last, { kind: e.kind, t: e.t });
      };
    }
    // Weight averaging (runner/averaging.ts): trains on the raw weights, evaluates on the average.
    averager = run.averaging ? new RunAverager(run.averaging, begun.parameters) : null;
    const avg = averager;
    const onAverage = <T>(f: () => Promise<T>): Promise<T> => (avg ? avg.on(f) : f());
    const stepSize = (t: number): StepSize => stepSizeOf(opt, schedule, t);
    const { initial, totalSteps } = begun;
    const limit = divergenceLimit(initial.loss);
    const start: RunStartEvent = {
      type: 'start',
      ...ref,
      runIndex: setup.runIndex,
      backend: run.backend,
      device: backend.device,
      dtype: backend.dtype,
      model: begun.model,
      parameterCount: begun.parameters.reduce((s, p) => s + p.value.size, 0),
      ...(built.paramGroups ? { paramGroups: built.paramGroups } : {}),
      totalSteps,
      totalEpochs: begun.totalEpochs,
      stepsPerEpoch: begun.stepsPerEpoch,
      ...stepSize(1),
      initialLoss: initial.loss,
      ...(initial.point ? logParams(initial.point) : {}),
    };
    yield start;
    yield* begun.events;
    const history: LossPoint[] = [];
    let diverged: { step: number; reason: string } | null = null;
    let last: Evaluation = initial;
    let used = stepSize(1);
    // A loss that is not finite where training starts (1/x at x = 0, log of a negative) gives
    // nothing to descend: the run stops at step 0 with the reason; the other runs go on.
    if (!Number.isFinite(initial.loss)) {
      const point = initial.point && initial.point.length <= 8 ? Array.from(initial.point) : null;
      const reason = `${begun.lossName} is ${initial.loss} at the start${point ? ` point (${point.join(', ')})` : ''}`;
      diverged = { step: 0, reason };
      yield { type: 'diverged', ...ref, step: 0, epoch: task.epochAfter(0), reason };
    }
    // A pure schedule is a function of its step count; ReduceLROnPlateau (not pure) follows a
    // metric and steps only where there is one (evaluations, or minibatch losses per step).
    const stepSchedule = (metric: number | undefined) => {
      if (avg) schedule = avg.scheduleAt(step, opt, schedule);
      if (!schedule) return;
      if (schedule.pure) schedule.step();
      else if (metric !== undefined) schedule.step(metric);
    };
    const needsStepMetric =
      schedule !== null && !schedule.pure && begun.scheduleInterval === 'step';
    const { stopAfter } = setup;
    const diagnostics = run.diagnostics
      ? new RunDiagnostics(run.diagnostics, task.objective(), totalSteps)
      : null;
    const watch = setup.observeWeights;
    const watched = watch ? task.objective() : null;
    if (watch && watched) watch.observe(0, await watched.current());
    while (!diverged && step < totalSteps) {
      if (stopAfter && step > 0 && (step >= stopAfter.steps || elapsed() >= stopAfter.ms)) break;
      await checkpoint();
      used = stepSize(step + 1);
      const diagnosed = diagnostics?.due(step + 1) ? diagnostics : null;
      if (diagnosed) {
        const began = now();
        await diagnosed.before();
        diagnosticsMs += now() - began;
      }
      let batchLoss: number | null = null;
      if (closureDriven) {
        const evaluate = task.closure(step, observing ? (e) => observed.push({ ...e }) : undefined);
        const loss = await stepWithClosure(optimizer, async () => {
          evaluations++;
          const value = await evaluate();
          built.clip();
          return value;
        });
        if (minibatchLosses) batchLoss = loss;
      } else {
        lossT = await task.step(step);
        built.clip();
        optimizer.step();
        evaluations++;
      }
      step++;
      avg?.afterStep(step);
      const epoch = task.epochAfter(step);
      const logged = training.logEvery > 0 && step % training.logEvery === 0;
      if (observed.length > 0) {
        yield* observed.map((e, index) => closureEvent({ ...ref, step }, index, e));
        observed.length = 0;
      }
      if (lossT) {
        // Read only where it is cheap or needed: a readback stalls an asynchronous backend.
        if (backend.canReadSync) batchLoss = lossT.dataSync()[0];
        else if (logged || needsStepMetric) batchLoss = (await lossT.data())[0];
        lossT.dispose();
        lossT = null;
      }
      if (batchLoss !== null) {
        const reason = lossDivergence('the minibatch loss', batchLoss, limit);
        if (reason) {
          diverged = { step, reason };
          yield { type: 'diverged', ...ref, step, epoch, reason };
          break;
        }
        if (logged) {
          yield {
            type: 'step',
            ...ref,
            step,
            epoch,
            loss: batchLoss,
            ...used,
            elapsedMs: elapsed(),
            ...(closureDriven ? { evaluations } : {}),
          };
        }
      }
      if (diagnosed) {
        const began = now();
        const reading = await diagnosed.after();
        diagnosticsMs += now() - began;
        yield {
          type: 'diagnostics',
          ...ref,
          step,
          epoch,
          lr: used.lr,
          layers: reading.layers,
          ...(reading.sharpness
            ? {
                sharpness: {
                  ...reading.sharpness,
                  twoOverLr: used.lr > 0 ? 2 / used.lr : null,
                  stability: stabilityLine(run, opt.paramGroups[0], used.lr),
                },
              }
            : {}),
        };
      }
      if (watch && watched && (step % watch.every === 0 || step === totalSteps)) {
        watch.observe(step, await watched.current());
      }
      const evaluated = task.evaluatesAfter(step);
      if (evaluated) {
        built.evalMode();
        last = await onAverage(() => task.evaluate());
        const stats = await built.stats();
        const elapsedMs = elapsed();
        history.push({ step, epoch, elapsedMs, loss: last.loss });
        yield evaluationEvent(
          begun.evaluationEvent,
          { ...ref, step, epoch, elapsedMs },
          used,
          last,
          {
            ...(closureDriven ? { evaluations } : {}),
            ...(stats ? { optimizerStats: stats } : {}),
            ...(avg ? { evaluatedOn: avg.evaluatedOn } : {}),
          },
        );
        const reason = last.paramsFinite
          ? lossDivergence(begun.lossName, last.loss, limit)
          : 'a parameter became NaN or infinite';
        if (reason) {
          diverged = { step, reason };
          yield { type: 'diverged', ...ref, step, epoch, reason };
          break;
        }
        yield* await onAverage(() => task.afterEvaluation(step, epoch));
        built.trainMode();
      }
      if (begun.scheduleInterval === 'step') {
        stepSchedule(batchLoss ?? (evaluated ? last.loss : undefined));
      } else if (task.endsEpoch(step)) {
        stepSchedule(evaluated ? last.loss : undefined);
      }
    }
    // Final numbers at the point the run reports (Schedule-Free: its average x; averaging: the
    // average of the weights).
    built.evalMode();
    const extra = {
      ...(await onAverage(() => task.finalMetrics(last))),
      ...(avg ? { evaluatedOn: avg.evaluatedOn } : {}),
    };
    if (!diverged && task.finalEvents) yield* await onAverage(() => task.finalEvents!());
    yield {
      type: 'end',
      ...ref,
      metrics: runMetrics(setup, {
        start,
        history,
        steps: step,
        diverged,
        finalLr: used.lr,
        wallTimeMs: elapsed(),
        evaluations,
        paramGroups: built.paramGroups,
        extra,
      }),
    };
  } finally {
    lossT?.dispose();
    averager?.dispose();
    optimizer?.dispose?.();
    task.dispose();
  }
}

/** A closure evaluation of a test function as an event: its loss and point. */
function closureEvent(
  at: { run: string; seed: number; step: number },
  index: number,
  e: ClosureEvaluation & { kind?: ClosureEvent['kind']; t?: number },
): ClosureEvent {
  return {
    type: 'closure',
    ...at,
    index,
    loss: e.loss,
    ...(e.kind !== undefined ? { kind: e.kind, t: e.t } : {}),
    ...(e.point ? logParams(e.point) : {}),
  };
}

/** An evaluation as an event: a function's `step` event with its point, or an `eval` event. */
function evaluationEvent(
  kind: 'step' | 'eval',
  at: { run: string; seed: number; step: number; epoch: number | null; elapsedMs: number },
  used: StepSize,
  e: Evaluation,
  optimizer: {
    evaluations?: number;
    optimizerStats?: Record<string, number>;
    evaluatedOn?: EvaluatedOn;
  },
): ExperimentEvent {
  const { run, seed, step, epoch, elapsedMs } = at;
  if (kind === 'step') {
    return {
      type: 'step',
      run,
      seed,
      step,
      epoch,
      loss: e.loss,
      ...used,
      elapsedMs,
      ...(e.point ? logParams(e.point) : {}),
      ...optimizer,
    };
  }
  return {
    type: 'eval',
    run,
    seed,
    step,
    epoch,
    ...used,
    elapsedMs,
    loss: e.loss,
    ...(e.trainAccuracy !== undefined ? { trainAccuracy: e.trainAccuracy } : {}),
    ...(e.testLoss !== undefined ? { testLoss: e.testLoss } : {}),
    ...(e.testAccuracy !== undefined ? { testAccuracy: e.testAccuracy } : {}),
    ...optimizer,
    ...(e.validationLoss !== undefined ? { validationLoss: e.validationLoss } : {}),
    ...(e.validationAccuracy !== undefined ? { validationAccuracy: e.validationAccuracy } : {}),
  };
}

interface RunOutcome {
  readonly start: RunStartEvent;
  /** Every evaluation's loss, in order. */
  readonly history: readonly LossPoint[];
  readonly steps: number;
  readonly diverged: { step: number; reason: string } | null;
  readonly finalLr: number;
  readonly wallTimeMs: number;
  readonly evaluations: number;
  readonly paramGroups: string | null;
  /** The task's own metrics (accuracies, final point, least squares). */
  readonly extra: Partial<RunMetrics>;
}

function runMetrics(setup: RunSetup, o: RunOutcome): RunMetrics {
  const { run, spec } = setup;
  const { start, history, diverged, steps, wallTimeMs } = o;
  const losses = history.map((p) => p.loss);
  const best = bestOf(losses);
  const finite = diverged ? losses.filter(Number.isFinite) : losses;
  const bestFinite = bestOf(finite);
  return {
    run: run.name,
    seed: setup.seed,
    optimizer: run.optimizer.type,
    schedule: run.schedule?.type ?? null,
    label: setup.label,
    backend: run.backend,
    device: start.device,
    status: diverged ? 'diverged' : 'done',
    diverged,
    steps,
    evaluations: o.evaluations,
    paramGroups: o.paramGroups,
    epochs: start.stepsPerEpoch ? Math.floor(steps / start.stepsPerEpoch) : null,
    initialLoss: start.initialLoss,
    finalLoss: losses.length > 0 ? losses[losses.length - 1] : start.initialLoss,
    bestLoss: bestFinite?.loss ?? NaN,
    bestStep: bestFinite ? history[losses.indexOf(bestFinite.loss)].step : 0,
    epochsToConverge: best && Number.isFinite(best.loss) ? epochsToConverge(finite) : 0,
    historyUnit: start.stepsPerEpoch && spec.training.epochs ? 'epoch' : 'step',
    target: timeToTarget(history, spec.training.targetLoss),
    wallTimeMs,
    stepsPerSecond: wallTimeMs > 0 ? (steps / wallTimeMs) * 1000 : 0,
    concurrentRuns: 1,
    finalLr: o.finalLr,
    trainAccuracy: null,
    testAccuracy: null,
    testLoss: null,
    validationLoss: null,
    bestValidationLoss: null,
    validationAccuracy: null,
    bestValidationAccuracy: null,
    finalParams: null,
    finalParamsMode: null,
    finalParamsSample: null,
    linearRegression: null,
    ...o.extra,
  };
}
