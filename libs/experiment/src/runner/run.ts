import { Parameter, tidy, type Backend, type Tensor } from '@optlab/tensor';
import { BatchSampler, createModel, type Model } from '@optlab/models';
import { createOptimizer, createSchedule } from '@optlab/optim';
import { aggregateRuns } from '../metrics/aggregate.js';
import { bestOf, epochsToConverge, timeToTarget, type LossPoint } from '../metrics/loss-curve.js';
import { optionsOf } from '../spec/options-check.js';
import type { ExperimentSpec, RunSpec } from '../spec/schema.js';
import { BackendPool, createBackend, type BackendFactory } from './backends.js';
import type {
  BoundaryEvent,
  ExperimentEvent,
  ExperimentSummary,
  RunMetrics,
  RunStartEvent,
} from './events.js';
import { prepareTask, type PreparedData, type PreparedFunction } from './prepared-task.js';
import { BoundarySampler, DEFAULT_BOUNDARY_SIZE, boundaryPoints } from './boundary.js';

export interface RunnerOptions {
  /** Stops the experiment: the run in progress ends with a `cancelled` event. */
  readonly signal?: AbortSignal;
  /** How backends are made (tests inject one); default `createBackend`. */
  readonly backendFactory?: BackendFactory;
  /**
   * Milliseconds clock; default `performance.now`. A consumer that pauses the run (by not pulling
   * events) passes a `PausableClock`'s `now` so that paused time is not counted as training time.
   */
  readonly now?: () => number;
  /**
   * Emit `boundary` events (the decision boundary on a `size` × `size` grid, default 48) for
   * classification tasks with exactly two features. Off by default: the CLI's metrics files and
   * timings stay as they are; the lab asks for it.
   */
  readonly decisionBoundary?: { readonly size?: number };
  /** Longest stretch of computing between two yields to the event loop, in ms. Default 50. */
  readonly yieldEveryMs?: number;
}

/** The seeds of a run: `seeds`, or `[seed]`, or `[0]`. */
export function seedsOf(run: RunSpec): number[] {
  return run.seeds ?? [run.seed ?? 0];
}

type Schedule = { readonly pure: boolean; step(metric?: number): void };
type Optimizer = ReturnType<typeof createOptimizer>;

class Cancelled extends Error {}

/**
 * Runs every (run, seed) of a validated spec one after the other and yields their events as they
 * happen. It uses no Node API: the CLI drives it in Node and the lab in a Web Worker.
 *
 * Fairness: the dataset (and its split) is prepared once for the whole spec; the initial
 * weights and the data order come from the seed alone, so runs with the same seed start from
 * the same weights and see the same minibatches, on every backend.
 *
 * Divergence: a loss or parameter that becomes NaN/±Inf ends that run with `diverged` at the
 * step where it was seen (the CPU backends check every step; a GPU backend, where reading back
 * stalls, at each evaluation); the other runs go on.
 */
export async function* runExperiment(
  spec: ExperimentSpec,
  options: RunnerOptions = {},
): AsyncGenerator<ExperimentEvent, ExperimentSummary | null> {
  const now = options.now ?? (() => performance.now());
  const pool = new BackendPool(options.backendFactory ?? createBackend);
  const started = now();
  const startedAt = new Date().toISOString();
  const prepared = await prepareTask(spec);
  const metrics: RunMetrics[] = [];
  const pairs = spec.runs.flatMap((run, runIndex) =>
    seedsOf(run).map((seed) => ({ run, runIndex, seed })),
  );
  yield {
    type: 'experiment-start',
    experiment: spec.name,
    runs: spec.runs.map((r) => ({ name: r.name, seeds: seedsOf(r) })),
    total: pairs.length,
  };
  try {
    for (const { run, runIndex, seed } of pairs) {
      const ctx = new RunContext(spec, run, runIndex, seed, now, options);
      if (options.signal?.aborted) {
        yield { type: 'cancelled', run: run.name, seed, step: 0 };
        return null;
      }
      const backend = await pool.get({ backend: run.backend, gpuMode: run.gpuMode });
      const events =
        prepared.kind === 'function'
          ? trainFunction(ctx, backend, prepared)
          : trainDataset(ctx, backend, prepared);
      try {
        for await (const event of events) {
          if (event.type === 'end') metrics.push(event.metrics);
          yield event;
        }
      } catch (err) {
        if (err instanceof Cancelled) {
          yield { type: 'cancelled', run: run.name, seed, step: ctx.step };
          return null;
        }
        throw err;
      }
    }
  } finally {
    if (prepared.kind !== 'function') prepared.dispose();
    await pool.dispose();
  }
  const summary: ExperimentSummary = {
    experiment: spec.name,
    task: describeTask(spec),
    targetLoss: spec.training.targetLoss ?? null,
    status: metrics.some((m) => m.status === 'diverged') ? 'diverged' : 'done',
    startedAt,
    wallTimeMs: now() - started,
    runs: metrics,
    aggregates: aggregateRuns(metrics),
  };
  yield { type: 'summary', summary };
  return summary;
}

/** Runs a spec to the end and returns its summary (events are dropped). */
export async function runToSummary(
  spec: ExperimentSpec,
  options: RunnerOptions = {},
): Promise<{ summary: ExperimentSummary | null; events: ExperimentEvent[] }> {
  const events: ExperimentEvent[] = [];
  let summary: ExperimentSummary | null = null;
  for await (const e of runExperiment(spec, options)) {
    events.push(e);
    if (e.type === 'summary') summary = e.summary;
  }
  return { summary, events };
}

export function describeTask(spec: ExperimentSpec): string {
  const t = spec.task;
  if (t.kind === 'function') return `function ${t.function.type}`;
  return `${t.kind}: ${t.model.type} on ${t.dataset.type}`;
}

/** State shared by both training loops: clocks, loss history, cancellation, yielding. */
class RunContext {
  step = 0;
  readonly history: LossPoint[] = [];
  readonly t0: number;
  #lastYield: number;

  constructor(
    readonly spec: ExperimentSpec,
    readonly run: RunSpec,
    readonly runIndex: number,
    readonly seed: number,
    readonly now: () => number,
    readonly options: RunnerOptions,
  ) {
    this.t0 = now();
    this.#lastYield = this.t0;
  }

  get elapsed(): number {
    return this.now() - this.t0;
  }

  /** Throws `Cancelled` when aborted; lets timers and messages through every so often. */
  async checkpoint(): Promise<void> {
    if (this.options.signal?.aborted) throw new Cancelled();
    if (this.now() - this.#lastYield >= (this.options.yieldEveryMs ?? 50)) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      this.#lastYield = this.now();
      if (this.options.signal?.aborted) throw new Cancelled();
    }
  }

  makeOptimizer(params: Parameter[]): { optimizer: Optimizer; schedule: Schedule | null } {
    const { optimizer: o, schedule: s } = this.run;
    const optimizer = createOptimizer(o.type, params, optionsOf(o));
    const schedule = s
      ? (createSchedule(s.type, optimizer, optionsOf(s)) as unknown as Schedule)
      : null;
    return { optimizer, schedule };
  }

  lr(optimizer: Optimizer): number {
    return optimizer.paramGroups[0].lr;
  }

  metrics(
    start: RunStartEvent,
    diverged: { step: number; reason: string } | null,
    finalLr: number,
    extra: Partial<RunMetrics> = {},
  ): RunMetrics {
    const losses = this.history.map((p) => p.loss);
    const best = bestOf(losses);
    const wall = this.elapsed;
    const finite = diverged ? losses.filter(Number.isFinite) : losses;
    const bestFinite = bestOf(finite);
    return {
      run: this.run.name,
      seed: this.seed,
      optimizer: this.run.optimizer.type,
      schedule: this.run.schedule?.type ?? null,
      label: runLabel(this.run),
      backend: this.run.backend,
      device: start.device,
      status: diverged ? 'diverged' : 'done',
      diverged,
      steps: this.step,
      epochs: start.stepsPerEpoch ? Math.floor(this.step / start.stepsPerEpoch) : null,
      initialLoss: start.initialLoss,
      finalLoss: losses.length > 0 ? losses[losses.length - 1] : start.initialLoss,
      bestLoss: bestFinite?.loss ?? NaN,
      bestStep: bestFinite ? this.history[losses.indexOf(bestFinite.loss)].step : 0,
      epochsToConverge: best && Number.isFinite(best.loss) ? epochsToConverge(finite) : 0,
      historyUnit: start.stepsPerEpoch && this.spec.training.epochs ? 'epoch' : 'step',
      target: timeToTarget(this.history, this.spec.training.targetLoss),
      wallTimeMs: wall,
      stepsPerSecond: wall > 0 ? (this.step / wall) * 1000 : 0,
      finalLr,
      trainAccuracy: null,
      testAccuracy: null,
      testLoss: null,
      finalParams: null,
      linearRegression: null,
      ...extra,
    };
  }
}

/** `Adam(lr=0.01) + StepLR(stepSize=10, gamma=0.5)`: what a run compares, in one line. */
export function runLabel(run: RunSpec): string {
  const show = (c: { type: string } & Record<string, unknown>) => {
    const args = Object.entries(optionsOf(c)).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    return args.length > 0 ? `${c.type}(${args.join(', ')})` : c.type;
  };
  return run.schedule ? `${show(run.optimizer)} + ${show(run.schedule)}` : show(run.optimizer);
}

const allFinite = (xs: ArrayLike<number>): boolean => {
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) return false;
  return true;
};

/**
 * A test function: one parameter (a vector, or a matrix for a matrix start point), its gradient
 * computed on the host in float64 from the point read back each step. Every step is an
 * evaluation: f after the step, and the point (the trajectory).
 */
async function* trainFunction(
  ctx: RunContext,
  backend: Backend,
  task: PreparedFunction,
): AsyncGenerator<ExperimentEvent> {
  const { fn, shape } = task;
  const param = new Parameter(backend.tensor([...task.start], shape), fn.kind);
  const ref = { run: ctx.run.name, seed: ctx.seed };
  const evaluate = async () => {
    const point = Float64Array.from(await param.value.data());
    const loss = fn.f(point);
    if (allFinite(point)) param.grad = backend.tensor(fn.grad(point), shape);
    return { loss, point };
  };
  try {
    const { optimizer, schedule } = ctx.makeOptimizer([param]);
    const totalSteps = ctx.spec.training.steps ?? 0;
    let current = await evaluate();
    const start: RunStartEvent = {
      type: 'start',
      ...ref,
      runIndex: ctx.runIndex,
      backend: ctx.run.backend,
      device: backend.device,
      dtype: backend.dtype,
      model: fn.name,
      parameterCount: param.value.size,
      totalSteps,
      totalEpochs: null,
      stepsPerEpoch: null,
      lr: ctx.lr(optimizer),
      initialLoss: current.loss,
      params: Array.from(current.point),
    };
    yield start;
    let diverged: { step: number; reason: string } | null = null;
    let lastLr = ctx.lr(optimizer);
    while (ctx.step < totalSteps) {
      await ctx.checkpoint();
      lastLr = ctx.lr(optimizer);
      optimizer.step();
      ctx.step++;
      current = await evaluate();
      ctx.history.push({ step: ctx.step, epoch: null, elapsedMs: ctx.elapsed, loss: current.loss });
      yield {
        type: 'step',
        ...ref,
        step: ctx.step,
        epoch: null,
        loss: current.loss,
        lr: lastLr,
        elapsedMs: ctx.elapsed,
        params: Array.from(current.point),
      };
      const reason = !allFinite(current.point)
        ? 'a parameter became NaN or infinite'
        : !Number.isFinite(current.loss)
          ? `the loss became ${current.loss}`
          : null;
      if (reason) {
        diverged = { step: ctx.step, reason };
        yield { type: 'diverged', ...ref, step: ctx.step, epoch: null, reason };
        break;
      }
      if (schedule) {
        if (schedule.pure) schedule.step();
        else schedule.step(current.loss);
      }
    }
    yield {
      type: 'end',
      ...ref,
      metrics: ctx.metrics(start, diverged, lastLr, { finalParams: Array.from(current.point) }),
    };
    optimizer.dispose?.();
  } finally {
    param.dispose();
  }
}

/**
 * A model on a dataset: minibatches from a seeded sampler, the full training loss (and the
 * accuracies) at every evaluation, as the tutorial records its loss history after each epoch.
 */
async function* trainDataset(
  ctx: RunContext,
  backend: Backend,
  task: PreparedData,
): AsyncGenerator<ExperimentEvent> {
  const { spec, run } = ctx;
  const training = spec.training;
  const ref = { run: run.name, seed: ctx.seed };
  const data = task.tensors(backend);
  const modelSpec = spec.task.kind === 'function' ? null : spec.task.model;
  const model: Model = createModel(
    backend,
    { kind: modelSpec!.type, ...optionsOf(modelSpec!) },
    { features: task.train.features, classes: task.train.classes, seed: ctx.seed },
  );
  let sampler2d: BoundarySampler | null = null;
  try {
    const { optimizer, schedule } = ctx.makeOptimizer(model.parameters());
    const n = task.train.n;
    const batchSize = training.batchSize === 'full' ? n : Math.min(training.batchSize, n);
    const sampler = new BatchSampler(n, {
      batchSize,
      shuffle: training.shuffle && batchSize < n,
      seed: ctx.seed,
    });
    const stepsPerEpoch = sampler.batchesPerEpoch;
    const totalSteps = training.epochs ? training.epochs * stepsPerEpoch : training.steps!;
    const fullBatch = batchSize === n;
    const evaluate = async () => {
      const lossT = tidy(() => model.loss(data.x, data.y));
      const loss = (await lossT.data())[0];
      lossT.dispose();
      const out: {
        loss: number;
        trainAccuracy?: number;
        testLoss?: number;
        testAccuracy?: number;
      } = { loss };
      if (model.accuracy) out.trainAccuracy = await model.accuracy(data.x, data.y);
      if (data.testX && data.testY) {
        const t = tidy(() => model.loss(data.testX!, data.testY!));
        out.testLoss = (await t.data())[0];
        t.dispose();
        if (model.accuracy) out.testAccuracy = await model.accuracy(data.testX, data.testY);
      }
      return out;
    };
    const initial = await evaluate();
    const wantsBoundary =
      ctx.options.decisionBoundary !== undefined &&
      task.kind === 'classification' &&
      task.train.features === 2;
    sampler2d = wantsBoundary
      ? new BoundarySampler(
          backend,
          task.test ? [task.train, task.test] : [task.train],
          ctx.options.decisionBoundary?.size ?? DEFAULT_BOUNDARY_SIZE,
        )
      : null;
    const boundary = async (epoch: number | null, first = false): Promise<BoundaryEvent> => ({
      type: 'boundary',
      ...ref,
      step: ctx.step,
      epoch,
      classes: task.train.classes,
      grid: sampler2d!.grid,
      ...(await sampler2d!.sample(model)),
      ...(first ? { points: boundaryPoints(task.train) } : {}),
    });
    const start: RunStartEvent = {
      type: 'start',
      ...ref,
      runIndex: ctx.runIndex,
      backend: run.backend,
      device: backend.device,
      dtype: backend.dtype,
      model: model.name,
      parameterCount: model.parameters().reduce((s, p) => s + p.value.size, 0),
      totalSteps,
      totalEpochs: training.epochs ?? null,
      stepsPerEpoch,
      lr: ctx.lr(optimizer),
      initialLoss: initial.loss,
    };
    yield start;
    if (sampler2d) yield await boundary(0, true);
    let diverged: { step: number; reason: string } | null = null;
    let last = initial;
    let lastLr = ctx.lr(optimizer);
    let batches: Int32Array[] = [];
    // A pure schedule is a function of its step count; ReduceLROnPlateau (not pure) follows a
    // metric and steps only where there is one (evaluations, or minibatch losses per step).
    const stepSchedule = async (metric: number | undefined) => {
      if (!schedule) return;
      if (schedule.pure) schedule.step();
      else if (metric !== undefined) schedule.step(metric);
    };
    outer: while (ctx.step < totalSteps) {
      if (ctx.step % stepsPerEpoch === 0) batches = sampler.nextEpoch();
      await ctx.checkpoint();
      const batch = batches[ctx.step % stepsPerEpoch];
      lastLr = ctx.lr(optimizer);
      const lossT: Tensor = tidy(() => {
        if (fullBatch && batch.length === n && isIdentity(batch)) {
          return model.lossAndGrad(data.x, data.y);
        }
        return model.lossAndGrad(backend.gather(data.x, batch), backend.gather(data.y, batch));
      });
      optimizer.step();
      ctx.step++;
      const epoch = Math.floor(ctx.step / stepsPerEpoch);
      const epochEnd = ctx.step % stepsPerEpoch === 0;
      let batchLoss: number | null = null;
      if (backend.canReadSync) {
        batchLoss = lossT.dataSync()[0];
        if (!Number.isFinite(batchLoss)) {
          lossT.dispose();
          diverged = { step: ctx.step, reason: `the minibatch loss became ${batchLoss}` };
          yield { type: 'diverged', ...ref, step: ctx.step, epoch, reason: diverged.reason };
          break outer;
        }
      }
      if (training.logEvery > 0 && ctx.step % training.logEvery === 0) {
        batchLoss ??= (await lossT.data())[0];
        yield {
          type: 'step',
          ...ref,
          step: ctx.step,
          epoch,
          loss: batchLoss,
          lr: lastLr,
          elapsedMs: ctx.elapsed,
        };
      }
      if (training.scheduleInterval === 'step') {
        if (schedule && !schedule.pure) batchLoss ??= (await lossT.data())[0];
        await stepSchedule(batchLoss ?? undefined);
      }
      lossT.dispose();
      const isEval = training.epochs
        ? epochEnd && (epoch % training.evalEvery === 0 || ctx.step === totalSteps)
        : ctx.step % training.evalEvery === 0 || ctx.step === totalSteps;
      if (isEval) {
        last = await evaluate();
        ctx.history.push({ step: ctx.step, epoch, elapsedMs: ctx.elapsed, loss: last.loss });
        yield {
          type: 'eval',
          ...ref,
          step: ctx.step,
          epoch,
          lr: lastLr,
          elapsedMs: ctx.elapsed,
          ...last,
        };
        const bad = !Number.isFinite(last.loss)
          ? `the training loss became ${last.loss}`
          : (await paramsFinite(model))
            ? null
            : 'a parameter became NaN or infinite';
        if (bad) {
          diverged = { step: ctx.step, reason: bad };
          yield { type: 'diverged', ...ref, step: ctx.step, epoch, reason: bad };
          break;
        }
        if (sampler2d) yield await boundary(epoch);
      }
      if (training.scheduleInterval === 'epoch' && epochEnd) {
        await stepSchedule(isEval ? last.loss : undefined);
      }
    }
    let linearRegression: RunMetrics['linearRegression'] = null;
    if (task.leastSquares?.ok) {
      const weights = Array.from(await model.parameters()[0].value.data());
      const ls = task.leastSquares.weights;
      linearRegression = {
        weights,
        leastSquares: [...ls],
        maxAbsDifference: Math.max(...weights.map((w, i) => Math.abs(w - ls[i]))),
      };
    }
    yield {
      type: 'end',
      ...ref,
      metrics: ctx.metrics(start, diverged, lastLr, {
        trainAccuracy: last.trainAccuracy ?? null,
        testAccuracy: last.testAccuracy ?? null,
        testLoss: last.testLoss ?? null,
        linearRegression,
      }),
    };
    optimizer.dispose?.();
  } finally {
    sampler2d?.dispose();
    model.dispose();
  }
}

function isIdentity(batch: Int32Array): boolean {
  for (let i = 0; i < batch.length; i++) if (batch[i] !== i) return false;
  return true;
}

async function paramsFinite(model: Model): Promise<boolean> {
  for (const p of model.parameters()) if (!allFinite(await p.value.data())) return false;
  return true;
}
