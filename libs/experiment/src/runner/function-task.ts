import { Parameter, type Backend } from '@optlab/tensor';
import type { RunMetrics } from './events.js';
import { flatLayoutOf } from '../diagnostics/flat-weights.js';
import { machineEpsilon, type WeightObjective } from '../diagnostics/objective.js';
import { allFinite } from './divergence.js';
import type { PreparedFunction } from './prepared-task.js';
import { logParams } from './trajectory.js';
import type { ClosureEvaluation, Evaluation, TaskStart, TrainingTask } from './training-task.js';

/**
 * A test function: one parameter (a vector, or a matrix for a matrix start point), its gradient
 * computed on the host in float64 from the point read back. Every update
 * is evaluated: f after the update, and the point (the trajectory).
 */
export class FunctionTask implements TrainingTask {
  #param: Parameter | null = null;
  /** The point read back by the last evaluation: where the next gradient is taken. */
  #point: Float64Array = new Float64Array(0);

  constructor(
    private readonly backend: Backend,
    private readonly task: PreparedFunction,
    private readonly totalSteps: number,
  ) {}

  async start(): Promise<TaskStart> {
    const { fn, shape } = this.task;
    const param = new Parameter(this.backend.tensor([...this.task.start], shape), fn.kind);
    this.#param = param;
    return {
      model: fn.name,
      parameters: [param],
      totalSteps: this.totalSteps,
      totalEpochs: null,
      stepsPerEpoch: null,
      scheduleInterval: 'step',
      evaluationEvent: 'step',
      lossName: 'the loss',
      initial: await this.evaluate(),
      events: [],
    };
  }

  /**
   * The gradient at the parameter as it is now: read back afresh, since an optimizer may have
   * moved it since the last evaluation (Schedule-Free evaluates at x, then steps from y).
   */
  async step(): Promise<null> {
    const point = await this.readPoint();
    this.param.grad = this.backend.tensor(this.task.fn.grad(point), this.task.shape);
    return null;
  }

  closure(_stepIndex: number, observe?: (e: ClosureEvaluation) => void): () => Promise<number> {
    return async () => {
      const point = await this.readPoint();
      const { fn, shape } = this.task;
      this.param.grad = this.backend.tensor(fn.grad(point), shape);
      const loss = fn.f(point);
      observe?.({ loss, point });
      return loss;
    };
  }

  private async readPoint(): Promise<Float64Array> {
    const value = this.param.value;
    return Float64Array.from(this.backend.canReadSync ? value.dataSync() : await value.data());
  }

  evaluatesAfter(): boolean {
    return true;
  }

  async evaluate(): Promise<Evaluation> {
    const point = await this.readPoint();
    this.#point = point;
    return { loss: this.task.fn.f(point), point, paramsFinite: allFinite(point) };
  }

  async afterEvaluation(): Promise<[]> {
    return [];
  }

  epochAfter(): null {
    return null;
  }

  endsEpoch(): boolean {
    return false;
  }

  async finalMetrics(last: Evaluation): Promise<Partial<RunMetrics>> {
    const { params, paramsMode, paramsSample } = logParams(last.point ?? this.#point);
    return {
      finalParams: params,
      finalParamsMode: paramsMode,
      finalParamsSample: paramsSample ?? null,
    };
  }

  /**
   * f and its gradient on the host in float64 at any point: nothing on the backend moves, so
   * restoring is a no-op.
   */
  objective(): WeightObjective {
    const { fn } = this.task;
    const layout = flatLayoutOf([this.param]);
    return {
      layout,
      epsilon: machineEpsilon('float64'),
      batch: 'the function',
      loss: async (point) => fn.f(point),
      gradient: async (point) => Float64Array.from(fn.grad(point)),
      current: () => this.readPoint(),
      currentGradients: async () => {
        const g = this.param.grad;
        if (!g) return null;
        return Float64Array.from(this.backend.canReadSync ? g.dataSync() : await g.data());
      },
      restore: () => {},
    };
  }

  dispose(): void {
    this.#param?.dispose();
    this.#param = null;
  }

  private get param(): Parameter {
    if (!this.#param) throw new Error('FunctionTask: start() has not run, or dispose() has');
    return this.#param;
  }
}
