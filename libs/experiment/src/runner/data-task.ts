import { tidy, type Backend, type Tensor } from '@optlab/tensor';
import { BatchSampler, createModel, type Model } from '@optlab/models';
import type { ExperimentSpec } from '../spec/schema.js';
import {
  flatLayoutOf,
  readGradients,
  readWeights,
  writeGradients,
  writeWeights,
} from '../diagnostics/flat-weights.js';
import { machineEpsilon, type WeightObjective } from '../diagnostics/objective.js';
import { optionsOf } from '../spec/options-check.js';
import { BoundarySampler, boundaryPoints } from './boundary.js';
import { allFinite } from './divergence.js';
import { classificationReport } from './classification-report.js';
import type { BoundaryEvent, ExperimentEvent, RunMetrics } from './events.js';
import type { DataTensors, PreparedData } from './prepared-task.js';
import type { ClosureEvaluation, Evaluation, TaskStart, TrainingTask } from './training-task.js';

export interface DataTaskOptions {
  readonly run: string;
  readonly seed: number;
  /** Cells per side of the decision boundary to report, or null for none. */
  readonly boundarySize: number | null;
  /** The run's own batch size (`run.training.batchSize`), in place of the spec's. */
  readonly batchSize?: number | 'full';
  /** The run's own weight initialisation (`run.model.init`), in place of the model's. */
  readonly init?: string;
  /** Misclassified rows in the final `classification-report`; absent: no report. */
  readonly reportSamples?: number;
}

/**
 * A model on a dataset: minibatches from a seeded sampler, the full training loss (and the
 * accuracies, and the test loss) at every evaluation, as the tutorial records its loss history
 * after each epoch. The data tensors belong to the experiment (shared by its runs); the model,
 * the boundary grid and the minibatch order belong to the task.
 */
export class DataTask implements TrainingTask {
  readonly #data: DataTensors;
  #model: Model | null = null;
  #boundary: BoundarySampler | null = null;
  #sampler: BatchSampler | null = null;
  #batches: Int32Array[] = [];
  #stepsPerEpoch = 1;
  #fullBatch = false;
  /** Best validation numbers over the evaluations after `start` (finite ones only). */
  #bestValidationLoss: number | null = null;
  #bestValidationAccuracy: number | null = null;

  constructor(
    private readonly backend: Backend,
    private readonly spec: ExperimentSpec,
    private readonly task: PreparedData,
    private readonly options: DataTaskOptions,
  ) {
    this.#data = task.tensors(backend);
  }

  async start(): Promise<TaskStart> {
    const { spec, task, backend, options } = this;
    const training = spec.training;
    const modelSpec = spec.task.kind === 'function' ? null : spec.task.model;
    if (!modelSpec) throw new Error('DataTask: the spec has a function task');
    const model = createModel(
      backend,
      {
        kind: modelSpec.type,
        ...optionsOf(modelSpec),
        ...(options.init !== undefined ? { init: options.init } : {}),
      },
      {
        features: task.train.features,
        classes: task.train.classes,
        seed: options.seed,
        ...(task.train.imageShape ? { inputShape: task.train.imageShape } : {}),
      },
    );
    this.#model = model;
    const n = task.train.n;
    const asked = options.batchSize ?? training.batchSize;
    const batchSize = asked === 'full' ? n : Math.min(asked, n);
    this.#sampler = new BatchSampler(n, {
      batchSize,
      shuffle: training.shuffle && batchSize < n,
      seed: options.seed,
      dropLast: training.dropLast ?? false,
    });
    this.#stepsPerEpoch = this.#sampler.batchesPerEpoch;
    this.#fullBatch = batchSize === n;
    const initial = await this.evaluate();
    // The best validation numbers are over the evaluations of training, not the initial model.
    this.#bestValidationLoss = null;
    this.#bestValidationAccuracy = null;
    const wantsBoundary =
      options.boundarySize !== null && task.kind === 'classification' && task.train.features === 2;
    this.#boundary = wantsBoundary
      ? new BoundarySampler(
          backend,
          task.test ? [task.train, task.test] : [task.train],
          options.boundarySize!,
        )
      : null;
    return {
      model: model.name,
      parameters: model.parameters(),
      totalSteps: training.epochs ? training.epochs * this.#stepsPerEpoch : training.steps!,
      totalEpochs: training.epochs ?? null,
      stepsPerEpoch: this.#stepsPerEpoch,
      scheduleInterval: training.scheduleInterval,
      evaluationEvent: 'eval',
      lossName: 'the training loss',
      initial,
      events: this.#boundary ? [await this.boundaryEvent(0, 0, true)] : [],
    };
  }

  step(stepIndex: number): Tensor {
    return this.lossAndGrad(this.batchOf(stepIndex));
  }

  /** Every call evaluates the loss and writes the gradients on update `stepIndex`'s minibatch. */
  closure(stepIndex: number, observe?: (e: ClosureEvaluation) => void): () => Promise<number> {
    const batch = this.batchOf(stepIndex);
    return async () => {
      const loss = await readScalar(this.lossAndGrad(batch));
      observe?.({ loss });
      return loss;
    };
  }

  /** The minibatch of update `stepIndex` (a new epoch's order drawn at its first update). */
  private batchOf(stepIndex: number): Int32Array {
    const spe = this.#stepsPerEpoch;
    // The model stands for "started and not disposed": refuse before touching the sampler.
    if (!this.#model || !this.#sampler) {
      throw new Error('DataTask: start() has not run, or dispose() has');
    }
    if (stepIndex % spe === 0) this.#batches = this.#sampler.nextEpoch();
    return this.#batches[stepIndex % spe];
  }

  private lossAndGrad(batch: Int32Array): Tensor {
    const model = this.model;
    const { x, y } = this.#data;
    return tidy(() => {
      if (this.#fullBatch && isIdentity(batch)) return model.lossAndGrad(x, y);
      return model.lossAndGrad(this.backend.gather(x, batch), this.backend.gather(y, batch));
    });
  }

  evaluatesAfter(step: number): boolean {
    const training = this.spec.training;
    const last = step === this.totalSteps;
    if (!training.epochs) return step % training.evalEvery === 0 || last;
    const epoch = step / this.#stepsPerEpoch;
    return this.endsEpoch(step) && (epoch % training.evalEvery === 0 || last);
  }

  async evaluate(): Promise<Evaluation> {
    const model = this.model;
    const { x, y, testX, testY, validationX, validationY } = this.#data;
    const out: {
      loss: number;
      trainAccuracy?: number;
      testLoss?: number;
      testAccuracy?: number;
      validationLoss?: number;
      validationAccuracy?: number;
    } = { loss: NaN };
    [out.loss, out.trainAccuracy] = await lossAndAccuracy(model, x, y);
    if (validationX && validationY) {
      [out.validationLoss, out.validationAccuracy] = await lossAndAccuracy(
        model,
        validationX,
        validationY,
      );
      this.#bestValidationLoss = better(this.#bestValidationLoss, out.validationLoss, 'lower');
      this.#bestValidationAccuracy = better(
        this.#bestValidationAccuracy,
        out.validationAccuracy,
        'higher',
      );
    }
    if (testX && testY)
      [out.testLoss, out.testAccuracy] = await lossAndAccuracy(model, testX, testY);
    return { ...out, paramsFinite: await paramsFinite(model) };
  }

  async afterEvaluation(step: number, epoch: number | null): Promise<BoundaryEvent[]> {
    return this.#boundary ? [await this.boundaryEvent(step, epoch)] : [];
  }

  epochAfter(step: number): number {
    return Math.floor(step / this.#stepsPerEpoch);
  }

  endsEpoch(step: number): boolean {
    return step % this.#stepsPerEpoch === 0;
  }

  async finalMetrics(last: Evaluation): Promise<Partial<RunMetrics>> {
    let linearRegression: RunMetrics['linearRegression'] = null;
    const ls = this.task.leastSquares;
    if (ls) {
      const weights = Array.from(await this.model.parameters()[0].value.data());
      linearRegression = ls.ok
        ? {
            weights,
            leastSquares: [...ls.weights],
            maxAbsDifference: Math.max(...weights.map((w, i) => Math.abs(w - ls.weights[i]))),
            leastSquaresUnavailable: null,
          }
        : {
            weights,
            leastSquares: null,
            maxAbsDifference: null,
            leastSquaresUnavailable: ls.reason,
          };
    }
    return {
      trainAccuracy: last.trainAccuracy ?? null,
      testAccuracy: last.testAccuracy ?? null,
      testLoss: last.testLoss ?? null,
      validationLoss: last.validationLoss ?? null,
      bestValidationLoss: this.#bestValidationLoss,
      validationAccuracy: last.validationAccuracy ?? null,
      bestValidationAccuracy: this.#bestValidationAccuracy,
      linearRegression,
    };
  }

  /**
   * The full training loss (`model.loss` on every training row, as `evaluate` computes it) as a
   * function of the flat weights, and its gradient (`model.lossAndGrad` on the same rows).
   */
  objective(): WeightObjective {
    const model = this.model;
    const { backend } = this;
    const parameters = model.parameters();
    const layout = flatLayoutOf(parameters);
    const { x, y } = this.#data;
    return {
      layout,
      epsilon: machineEpsilon(backend.dtype),
      batch: `the full training set (${this.task.train.n} rows)`,
      loss: async (weights) => {
        writeWeights(backend, parameters, layout, weights);
        return readScalar(tidy(() => model.loss(x, y)));
      },
      gradient: async (weights) => {
        writeWeights(backend, parameters, layout, weights);
        tidy(() => model.lossAndGrad(x, y)).dispose();
        return (await readGradients(parameters, layout)) ?? new Float64Array(layout.total);
      },
      current: () => readWeights(parameters, layout),
      currentGradients: () => readGradients(parameters, layout),
      restore: (weights, gradients) => {
        writeWeights(backend, parameters, layout, weights);
        writeGradients(backend, parameters, layout, gradients);
      },
    };
  }

  async finalEvents(): Promise<ExperimentEvent[]> {
    const samples = this.options.reportSamples;
    if (samples === undefined || this.task.kind !== 'classification') return [];
    const { x, testX } = this.#data;
    const onTest = this.task.test !== null && testX !== null;
    const report = await classificationReport(
      this.model,
      onTest ? testX : x,
      onTest ? this.task.test! : this.task.train,
      onTest ? 'test' : 'train',
      samples,
    );
    return [
      { type: 'classification-report', run: this.options.run, seed: this.options.seed, report },
    ];
  }

  dispose(): void {
    this.#boundary?.dispose();
    this.#boundary = null;
    this.#model?.dispose();
    this.#model = null;
  }

  private get totalSteps(): number {
    const t = this.spec.training;
    return t.epochs ? t.epochs * this.#stepsPerEpoch : t.steps!;
  }

  private get model(): Model {
    if (!this.#model) throw new Error('DataTask: start() has not run, or dispose() has');
    return this.#model;
  }

  private async boundaryEvent(
    step: number,
    epoch: number | null,
    first = false,
  ): Promise<BoundaryEvent> {
    const sampler = this.#boundary!;
    return {
      type: 'boundary',
      run: this.options.run,
      seed: this.options.seed,
      step,
      epoch,
      classes: this.task.train.classes,
      grid: sampler.grid,
      ...(await sampler.sample(this.model)),
      ...(first ? { points: boundaryPoints(this.task.train) } : {}),
    };
  }
}

/**
 * The mean loss, and the accuracy of a classifier (undefined otherwise), from one forward pass
 * where the model can (`Model.evaluate`), else from `loss` and `accuracy`.
 */
async function lossAndAccuracy(
  model: Model,
  x: Tensor,
  y: Tensor,
): Promise<[number, number | undefined]> {
  if (model.evaluate) {
    const { loss, accuracy } = await model.evaluate(x, y);
    return [loss, accuracy];
  }
  const loss = await readScalar(tidy(() => model.loss(x, y)));
  return [loss, model.accuracy ? await model.accuracy(x, y) : undefined];
}

/** The better of a best-so-far and a new value; non-finite values never count. */
function better(
  best: number | null,
  value: number | undefined,
  direction: 'lower' | 'higher',
): number | null {
  if (value === undefined || !Number.isFinite(value)) return best;
  if (best === null) return value;
  return direction === 'lower' ? Math.min(best, value) : Math.max(best, value);
}

function isIdentity(batch: Int32Array): boolean {
  for (let i = 0; i < batch.length; i++) if (batch[i] !== i) return false;
  return true;
}

/** Reads a scalar tensor back and frees it. */
async function readScalar(t: Tensor): Promise<number> {
  try {
    return (await t.data())[0];
  } finally {
    t.dispose();
  }
}

async function paramsFinite(model: Model): Promise<boolean> {
  for (const p of model.parameters()) if (!allFinite(await p.value.data())) return false;
  return true;
}
