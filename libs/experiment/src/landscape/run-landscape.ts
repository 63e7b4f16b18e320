import { Rng, type Backend } from '@optlab/tensor';
import type { WeightObjective } from '../diagnostics/objective.js';
import type { ExperimentSpec, RunSpec } from '../spec/schema.js';
import { createBackend, type BackendFactory } from '../runner/backends.js';
import { DataTask } from '../runner/data-task.js';
import { runLabel } from '../runner/describe.js';
import { prepareTask, type PreparedData } from '../runner/prepared-task.js';
import { Cancelled, trainRun } from '../runner/train-loop.js';
import { seedsOf } from '../runner/units.js';
import { filterNormalizedDirection, projectOntoPlane } from './directions.js';
import {
  interpolationAlphas,
  LANDSCAPE_DEFAULTS,
  LANDSCAPE_LIMITS,
  LandscapeError,
  resolveLandscapeOptions,
  sliceCoordinates,
  type LandscapeOptions,
} from './grid.js';

export interface LandscapeProgress {
  /** Training the run, then evaluating the grid. */
  readonly phase: 'training' | 'grid';
  readonly done: number;
  readonly total: number;
}

export interface LandscapeRunOptions extends Partial<LandscapeOptions> {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: LandscapeProgress) => void;
  readonly backendFactory?: BackendFactory;
  /** Longest stretch of computing between two yields to the event loop, in ms. Default 50. */
  readonly yieldEveryMs?: number;
}

/** One trajectory point: the weights after `step` updates, as coordinates of the landscape. */
export interface TrajectoryPoint {
  readonly step: number;
  /** 1-D: α of the point's projection on the line θ₀ → θ₁; 2-D: the first coordinate. */
  readonly x: number;
  /** 2-D: the second coordinate; null in 1-D. */
  readonly y: number | null;
}

export interface LandscapeResult {
  readonly kind: 'loss-landscape';
  readonly experiment: string;
  readonly run: string;
  /** The run's seed trained (its first). */
  readonly seed: number;
  readonly dim: 1 | 2;
  readonly steps: number;
  readonly span: number;
  /** Seed of the directions (2-D). */
  readonly directionSeed: number;
  readonly directions: string;
  /** What the loss is taken on. */
  readonly batch: string;
  /** Updates the run made. */
  readonly trainedSteps: number;
  readonly initialLoss: number;
  readonly finalLoss: number;
  /** 1-D: the α of each point; 2-D: the coordinates along the first direction (columns). */
  readonly xs: readonly number[];
  /** 2-D: the coordinates along the second direction (rows); empty in 1-D. */
  readonly ys: readonly number[];
  /** 1-D: one loss per α; 2-D: row-major, losses[r * xs.length + c] at (xs[c], ys[r]). */
  readonly losses: readonly number[];
  readonly trajectory: readonly TrajectoryPoint[];
}

/**
 * The loss landscape of one run (Li et al. 2018): trains the run named `runName` (its first
 * seed) as the runner would, keeping its weights every few updates, then evaluates the full
 * training loss
 *
 * - 1-D: along θ(α) = (1 − α)·θ₀ + α·θ₁ from the initial to the final weights (Goodfellow et
 *   al. 2015's interpolation), α = 0 and 1 included exactly, so the ends are the run's initial
 *   and final losses;
 * - 2-D: on the plane θ₁ + a·d₁ + b·d₂ around the final weights, d₁ and d₂ filter-normalised
 *   Gaussian directions (`directions.ts`, seeded), with the trajectory projected onto it by
 *   least squares.
 *
 * Pure computation over a model and data: no Node API (the lab runs it in a Worker). Throws
 * `LandscapeError` for a request it cannot serve (unknown run, a function task, a grid over the
 * limits) before training anything, and `Cancelled` when `signal` aborts.
 */
export async function computeLandscape(
  spec: ExperimentSpec,
  runName: string,
  options: LandscapeRunOptions = {},
): Promise<LandscapeResult> {
  const run = spec.runs.find((r) => r.name === runName);
  if (!run) {
    throw new LandscapeError(
      'run',
      `run: no run named "${runName}"; the spec has ${spec.runs.map((r) => `"${r.name}"`).join(', ')}`,
    );
  }
  if (spec.task.kind === 'function') {
    throw new LandscapeError(
      'task',
      'task: a loss landscape needs a model trained on a dataset; a test function is drawn whole by the Paths view',
    );
  }
  const resolved = resolveLandscapeOptions(options);
  const alphas = resolved.dim === 1 ? interpolationAlphas(resolved.steps, resolved.span) : null;
  const prepared = (await prepareTask(spec)) as PreparedData;
  const backend = await (options.backendFactory ?? createBackend)({
    backend: run.backend,
    gpuMode: run.gpuMode,
  });
  const seed = seedsOf(run)[0];
  const yieldEvery = options.yieldEveryMs ?? 50;
  try {
    const trained = await trainAndWatch(spec, run, seed, backend, prepared, options, yieldEvery);
    const task = newTask(spec, run, seed, backend, prepared);
    try {
      await task.start();
      const objective = task.objective();
      const grid = new GridEvaluator(objective, options, yieldEvery);
      const base = {
        kind: 'loss-landscape' as const,
        experiment: spec.name,
        run: run.name,
        dim: resolved.dim,
        steps: resolved.steps,
        span: resolved.span,
        seed,
        directionSeed: resolved.seed,
        directions:
          resolved.dim === 1
            ? 'interpolation from the initial to the final weights'
            : 'filter-normalised Gaussian directions (per output unit; biases zero)',
        batch: objective.batch,
        trainedSteps: trained.steps,
        initialLoss: trained.initialLoss,
        finalLoss: trained.finalLoss,
      };
      const { initial, final } = trained;
      if (alphas) {
        const delta = Float64Array.from(final, (v, i) => v - initial[i]);
        const dd = delta.reduce((s, v) => s + v * v, 0);
        const losses = await grid.evaluate(alphas.length, (k, w) => {
          const a = alphas[k];
          for (let i = 0; i < w.length; i++) w[i] = (1 - a) * initial[i] + a * final[i];
        });
        return {
          ...base,
          xs: alphas,
          ys: [],
          losses,
          trajectory: trained.trajectory.map(({ step, weights }) => {
            let along = 0;
            for (let i = 0; i < weights.length; i++) along += (weights[i] - initial[i]) * delta[i];
            return { step, x: dd > 0 ? along / dd : 0, y: null };
          }),
        };
      }
      const rng = new Rng(resolved.seed);
      const d1 = filterNormalizedDirection(objective.layout, final, rng);
      const d2 = filterNormalizedDirection(objective.layout, final, rng);
      const coords = sliceCoordinates(resolved.steps, resolved.span);
      const n = coords.length;
      const losses = await grid.evaluate(n * n, (k, w) => {
        const a = coords[k % n];
        const b = coords[Math.floor(k / n)];
        for (let i = 0; i < w.length; i++) w[i] = final[i] + a * d1[i] + b * d2[i];
      });
      return {
        ...base,
        xs: coords,
        ys: coords,
        losses,
        trajectory: trained.trajectory.map(({ step, weights }) => {
          const [x, y] = projectOntoPlane(weights, final, d1, d2);
          return { step, x, y };
        }),
      };
    } finally {
      task.dispose();
    }
  } finally {
    prepared.dispose();
    backend.dispose();
  }
}

function newTask(
  spec: ExperimentSpec,
  run: RunSpec,
  seed: number,
  backend: Backend,
  prepared: PreparedData,
): DataTask {
  return new DataTask(backend, spec, prepared, {
    run: run.name,
    seed,
    boundarySize: null,
    batchSize: run.training?.batchSize,
    init: run.model?.init,
  });
}

interface Trained {
  readonly initial: Float64Array;
  readonly final: Float64Array;
  readonly initialLoss: number;
  readonly finalLoss: number;
  readonly steps: number;
  readonly trajectory: { step: number; weights: Float64Array }[];
}

/** Trains the run as the runner would, keeping its weights every few updates. */
async function trainAndWatch(
  spec: ExperimentSpec,
  run: RunSpec,
  seed: number,
  backend: Backend,
  prepared: PreparedData,
  options: LandscapeRunOptions,
  yieldEveryMs: number,
): Promise<Trained> {
  const trajectory: { step: number; weights: Float64Array }[] = [];
  let totalSteps = 0;
  let initialLoss = NaN;
  let finalLoss = NaN;
  let steps = 0;
  const now = () => performance.now();
  const task = newTask(spec, run, seed, backend, prepared);
  const every = { value: 1 };
  const events = trainRun(
    {
      spec,
      run: { ...run, diagnostics: undefined },
      runIndex: spec.runs.indexOf(run),
      seed,
      label: runLabel(run),
      backend,
      now,
      t0: now(),
      signal: options.signal,
      yieldEveryMs,
      observeWeights: {
        get every() {
          return every.value;
        },
        observe: (step, weights) => {
          trajectory.push({ step, weights });
          options.onProgress?.({ phase: 'training', done: step, total: totalSteps });
        },
      },
    },
    task,
  );
  for await (const e of events) {
    if (e.type === 'start') {
      if (e.parameterCount > LANDSCAPE_LIMITS.parameters) {
        await events.return(undefined);
        throw new LandscapeError(
          'model',
          `model: a loss landscape keeps copies of the weights; at most ${LANDSCAPE_LIMITS.parameters} parameters, the model has ${e.parameterCount}`,
        );
      }
      totalSteps = e.totalSteps;
      every.value = Math.max(1, Math.ceil(totalSteps / LANDSCAPE_DEFAULTS.trajectoryPoints));
      initialLoss = e.initialLoss;
    } else if (e.type === 'diverged') {
      throw new LandscapeError(
        'run',
        `run: "${run.name}" diverged at step ${e.step} (${e.reason}); there is no final point to draw a landscape around`,
      );
    } else if (e.type === 'end') {
      finalLoss = e.metrics.finalLoss;
      steps = e.metrics.steps;
    }
  }
  const initial = trajectory[0]?.weights;
  const final = trajectory.at(-1)?.weights;
  if (!initial || !final || trajectory.at(-1)!.step !== steps) {
    throw new Error('landscape: the run did not report its final weights');
  }
  return { initial, final, initialLoss, finalLoss, steps, trajectory };
}

/** Evaluates the loss at a sequence of weights, reporting progress and honouring cancellation. */
class GridEvaluator {
  constructor(
    private readonly objective: WeightObjective,
    private readonly options: LandscapeRunOptions,
    private readonly yieldEveryMs: number,
  ) {}

  async evaluate(
    count: number,
    fill: (index: number, weights: Float64Array) => void,
  ): Promise<number[]> {
    const { objective, options } = this;
    const w = new Float64Array(objective.layout.total);
    const losses: number[] = [];
    let lastYield = performance.now();
    for (let k = 0; k < count; k++) {
      if (options.signal?.aborted) throw new Cancelled(k);
      if (performance.now() - lastYield >= this.yieldEveryMs) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        lastYield = performance.now();
        if (options.signal?.aborted) throw new Cancelled(k);
      }
      fill(k, w);
      losses.push(await objective.loss(w));
      options.onProgress?.({ phase: 'grid', done: k + 1, total: count });
    }
    return losses;
  }
}
